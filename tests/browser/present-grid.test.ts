import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Locator } from 'playwright-core';
import { openApp, type AppSession } from './harness';
import { sql, waitReady } from './app-helpers';

let app: AppSession;
beforeAll(async () => {
  app = await openApp();
  await waitReady(app.page);
}, 180_000);
afterAll(() => app?.close());

const nbsp = (s: string) => s.replace(/\u00a0/g, ' ').trim();
const rowTexts = (grid: Locator): Promise<string[][]> =>
  grid.locator('.rt-row').evaluateAll((rows) =>
    rows
      .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
      .map((r) => [...r.querySelectorAll('.rt-cell')].slice(1).map((c) => (c.textContent ?? '').replace(/\u00a0/g, ' '))),
  );

test('the grid reads as a report: Russian titles, school names with codes on hover, percents; sorts and filters', async () => {
  const { page } = app;
  const year = Number((await sql(page, 'SELECT max(year) AS y FROM assessment_results'))[0]!.y);
  // Raw rows, aggregated here in plain TypeScript: the expected figures do not come from the product's SQL.
  const raw = (await sql(page, `SELECT school_id, mark FROM assessment_results WHERE year = ${year} AND procedure = 'ВПР' AND mark IS NOT NULL`)) as { school_id: string; mark: number }[];
  const bySchool = new Map<string, { n: number; pass: number }>();
  for (const r of raw) {
    const g = bySchool.get(r.school_id) ?? bySchool.set(r.school_id, { n: 0, pass: 0 }).get(r.school_id)!;
    g.n++;
    if (Number(r.mark) >= 3) g.pass++;
  }
  const expected = [...bySchool.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  await page.evaluate(
    (y) =>
      window.msoko!.showResult(
        `SELECT school_id, count(*) AS n, avg(CASE WHEN mark >= 3 THEN 1 ELSE 0 END) AS "Доля успевающих" FROM assessment_results WHERE year = ${y} AND procedure = 'ВПР' AND mark IS NOT NULL GROUP BY 1 ORDER BY 1`,
      ),
    year,
  );
  const grid = page.locator('[data-testid=result-dialog] [data-testid=result-table]');
  await grid.locator('.rt-row').first().waitFor();
  const heads = (await grid.locator('.rt-head .rt-head-title').allTextContents()).map(nbsp);
  expect(heads).toEqual(['ОО', 'Число участников', 'Доля успевающих']);

  // The school of code 220005 is «МБОУ «СОШ № 5» г. Светлоозёрска» in the demo: shown short, its code on hover.
  await expect.poll(async () => (await rowTexts(grid)).some((r) => r[0] === 'СОШ № 5')).toBe(true);
  const cell5 = grid.locator('.rt-row .rt-cell', { hasText: /^СОШ № 5$/ }).first();
  expect(await cell5.getAttribute('title')).toBe('СОШ № 5 (код 220005)');
  const shown = await rowTexts(grid);
  const k5 = expected.findIndex(([id]) => id === '220005');
  const g5 = expected[k5]![1];
  expect(shown[k5]).toEqual(['СОШ № 5', String(g5.n), `${((100 * g5.pass) / g5.n).toFixed(1).replace('.', ',')} %`]);
  for (const r of shown) expect(r.join(' ')).not.toMatch(/\d\.\d/);

  // Sort by «Число участников»: ascending, then descending (ties keep the school-code order).
  const byN = (dir: 1 | -1) => expected.map(([, g], i) => ({ n: g.n, i })).sort((a, b) => dir * (a.n - b.n) || a.i - b.i);
  const header = grid.locator('.rt-head[data-column="n"]');
  await header.click();
  expect(await header.getAttribute('data-sort')).toBe('asc');
  let top = (await rowTexts(grid)).slice(0, 8).map((r) => Number(r[1]));
  expect(top).toEqual(byN(1).slice(0, 8).map((x) => x.n));
  await header.click();
  expect(await header.getAttribute('data-sort')).toBe('desc');
  top = (await rowTexts(grid)).slice(0, 8).map((r) => Number(r[1]));
  expect(top).toEqual(byN(-1).slice(0, 8).map((x) => x.n));

  // Search by a part of a name, and by a code.
  await grid.getByTestId('grid-search').fill('лицей');
  await expect.poll(async () => (await rowTexts(grid)).map((r) => r[0])).toEqual(['Лицей № 1']);
  await grid.getByTestId('grid-search').fill('220005');
  await expect.poll(async () => (await rowTexts(grid)).map((r) => r[0])).toEqual(['СОШ № 5']);
  expect(nbsp(await page.locator('[data-testid=result-dialog] [data-testid=result-rowcount]').innerText())).toMatch(/^1 из \d+ строк/);

  // Dragging a column edge widens it.
  await grid.getByTestId('grid-search').fill('');
  const first = grid.locator('.rt-head').first();
  const before = (await first.boundingBox())!.width;
  const handle = (await first.getByTestId('grid-resize').boundingBox())!;
  await page.mouse.move(handle.x + 2, handle.y + 5);
  await page.mouse.down();
  await page.mouse.move(handle.x + 82, handle.y + 5, { steps: 4 });
  await page.mouse.up();
  expect((await first.boundingBox())!.width).toBeGreaterThan(before + 60);
  await page.getByTestId('result-dialog-close').click();
  expect(app.offOrigin).toEqual([]);
});
