/**
 * The PREP, GIA, LOW, OBJ templates and the annual report in the real app on the demo
 * municipality: the indicator table is computed in the browser (DuckDB-WASM), every cell finishes
 * without an error and every chart cell draws an SVG with marks.
 */
import { afterEach, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, type AppSession } from './harness';
import { notebookIdle as idle } from './app-helpers';

let app: AppSession | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

const TEMPLATES: [string, string, string][] = [
  ['prep', 'Качество подготовки обучающихся', 'PREP-01'],
  ['gia', 'Статистический анализ результатов', 'GIA-01'],
  // Schools appear by name (src/format), not by code: the demo's LOW-01 list holds «Каменская СОШ».
  ['low', 'Школы с низкими образовательными результатами', 'Каменская СОШ'],
  ['obj', 'Объективность оценочных процедур', 'OBJ-0'],
  ['annual-report', 'Муниципальная система оценки качества образования', 'PREP-01'],
];

test('PREP, GIA, LOW, OBJ and annual-report templates render on the demo with every cell done and their charts drawn', async () => {
  app = await openApp();
  const { page } = app;
  await page.locator('[data-testid=notebook][data-ready=true]').waitFor({ timeout: 120_000 });
  await idle(page);
  for (const [name, heading, inSummary] of TEMPLATES) {
    await page.getByTestId('nb-picker').selectOption(`template:${name}`);
    await page.locator('[data-testid=nb-readonly]').waitFor({ state: 'attached' });
    // The picker lists the titles too, so wait for the summary cell itself to finish.
    await page.waitForFunction(
      (t) => {
        const cell = document.querySelector('[data-testid=cell][data-cell-id=summary]');
        const main = document.querySelector('[data-testid=notebook]');
        return !!cell && ['done', 'error'].includes(cell.getAttribute('data-status') ?? '') && !!main?.textContent?.includes(t);
      },
      heading,
      { timeout: 600_000 },
    );
    await idle(page);
    const statuses = await page
      .locator('[data-testid=cell]')
      .evaluateAll((cells) => cells.map((c) => [c.getAttribute('data-cell-id'), c.getAttribute('data-status')]));
    expect(statuses.length, name).toBeGreaterThan(8);
    expect(statuses.filter(([, s]) => s !== 'done'), name).toEqual([]);
    const summary = await page.locator('[data-testid=cell][data-cell-id=summary] [data-testid=cell-table]').textContent();
    expect(summary, name).toContain(inSummary);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=cell-chart]')].every((c) => c.querySelector('svg')), null, { timeout: 60_000 });
    const charts = await page.locator('[data-testid=cell-chart]').evaluateAll((els) => els.map((e) => e.querySelectorAll('svg path, svg rect, svg line, svg circle, svg symbol').length));
    expect(charts.length, name).toBeGreaterThanOrEqual(2);
    for (const n of charts) expect(n, name).toBeGreaterThan(3);
  }
  expect(app.offOrigin).toEqual([]);
}, 1_500_000);
