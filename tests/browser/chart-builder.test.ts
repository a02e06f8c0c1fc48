/**
 * The chart builder and collapsible cells in the real app on the demo: a bar chart of a share by
 * school built through the dialog becomes a chart cell after its source (data=<name>), draws one
 * bar per school with Russian axis titles, a percent axis and school names; a cell collapses to
 * one line and reopens, «Свернуть все» comes from the command palette, and the collapsed state
 * survives a reload.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { openApp, type AppSession } from './harness';
import { notebookIdle, sql, waitReady } from './app-helpers';

const OUT = '.cache/chart-builder';
const NOTEBOOK = `---
title: Доля низких отметок по ОО
---

# Доля отметок «2» по ОО

\`\`\`sql id=by_school name=by_school
SELECT school_id, count(*) AS n, avg(CASE WHEN mark < 3 THEN 1 ELSE 0 END) AS share
FROM assessment_results WHERE procedure = 'ВПР' AND mark IS NOT NULL AND year = (SELECT max(year) FROM assessment_results WHERE procedure = 'ВПР')
GROUP BY 1 ORDER BY 1
\`\`\`
`;

type Hook = { openText(t: string): Promise<void>; idle(): Promise<void>; serialize(): string };
let app: AppSession;
let page: Page;
const cell = (id: string): Locator => page.locator(`[data-testid=cell][data-cell-id="${id}"]`);
const hook = <T,>(fn: (h: Hook) => T | Promise<T>) => page.evaluate(`(${fn.toString()})(window.__msoko.notebook)`) as Promise<T>;

beforeAll(async () => {
  app = await openApp();
  page = app.page;
  await waitReady(page);
  await page.locator('[data-testid=notebook][data-ready=true]').waitFor({ timeout: 120_000 });
  await notebookIdle(page);
  await page.evaluate(async (t) => {
    const nb = (window as unknown as { __msoko: { notebook: Hook } }).__msoko.notebook;
    await nb.openText(t);
    await nb.idle();
  }, NOTEBOOK);
  await notebookIdle(page);
}, 240_000);
afterAll(() => app?.close());

/** Schools with ВПР marks in the latest ВПР year, from the raw rows. */
async function expectedSchools(): Promise<string[]> {
  const raw = await sql(page, `SELECT year, school_id, mark FROM assessment_results WHERE procedure = 'ВПР' AND mark IS NOT NULL`);
  const year = Math.max(...raw.map((r) => Number(r.year)));
  return [...new Set(raw.filter((r) => Number(r.year) === year).map((r) => String(r.school_id)))].sort();
}

test('build a bar chart of a share by school through the dialog: a new chart cell with Russian axes', async () => {
  const schools = await expectedSchools();
  expect(schools.length).toBeGreaterThan(1);
  const dialog = page.getByTestId('chart-builder');
  // A modal dialog: it opens with the first choice focused and Esc closes it without adding anything.
  await cell('by_school').getByTestId('build-chart').click();
  await dialog.waitFor();
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('builder-x');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  expect(await page.locator('[data-testid=cell][data-kind=vega-lite]').count()).toBe(0);
  await cell('by_school').getByTestId('build-chart').click();
  await dialog.waitFor();
  // Category × number: bars by default, school across, the first measure up.
  expect(await dialog.getByTestId('builder-x').inputValue()).toBe('school_id');
  expect(await dialog.getByTestId('builder-y').inputValue()).toBe('n');
  expect(await dialog.getByTestId('builder-mark').inputValue()).toBe('bar');
  await dialog.getByTestId('builder-y').selectOption('share');
  // The live preview follows the choice: one bar per school, the share's Russian title.
  const preview = dialog.getByTestId('builder-preview');
  await preview.locator('svg .role-axis-title text', { hasText: 'Доля' }).waitFor({ timeout: 30_000 });
  expect(await preview.locator('svg .mark-rect path').count()).toBe(schools.length);
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: `${OUT}/dialog.png` });
  await dialog.getByTestId('builder-add').click();
  await dialog.waitFor({ state: 'detached' });

  // The chart cell comes right after its source and reads it by name.
  const order = await page.locator('[data-testid=cell]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-cell-id'), e.getAttribute('data-kind')]));
  const at = order.findIndex(([id]) => id === 'by_school');
  expect(order[at + 1]![1]).toBe('vega-lite');
  const chartId = order[at + 1]![0]!;
  const text = await hook((h) => h.serialize());
  const fence = text.slice(text.indexOf(`\`\`\`vega-lite id=${chartId}`));
  expect(fence.split('\n')[0]).toBe(`\`\`\`vega-lite id=${chartId} data=by_school`);
  const spec = JSON.parse(fence.slice(fence.indexOf('\n') + 1, fence.indexOf('\n```'))) as { mark: { type: string }; encoding: Record<string, { field: string }> };
  expect([spec.mark.type, spec.encoding.x!.field, spec.encoding.y!.field]).toEqual(['bar', 'school_id', 'share']);

  // Drawn in the notebook: one bar per school, Russian axis titles, percents, school names not codes.
  const chart = cell(chartId).getByTestId('cell-chart');
  await chart.locator('svg .mark-rect path').first().waitFor({ timeout: 60_000 });
  expect(await chart.locator('svg .mark-rect path').count()).toBe(schools.length);
  const titles = await chart.locator('svg .role-axis-title text').allTextContents();
  expect(titles.sort()).toEqual(['Доля', 'ОО']);
  const labels = await chart.locator('svg .role-axis-label text').allTextContents();
  expect(labels.some((l) => /^\d+ %$/.test(l.replace(/\u00a0/g, ' ')))).toBe(true);
  const codes = new Set(schools);
  expect(labels.filter((l) => codes.has(l))).toEqual([]);
  const names = (await sql(page, 'SELECT name FROM schools')).map((r) => String(r.name));
  expect(labels.some((l) => l.length > 2 && names.some((n) => n.includes(l.replace(/…$/, ''))))).toBe(true);
  expect(app.offOrigin).toEqual([]);
});

test('a cell collapses to one line with its name and status and reopens; all collapse from the palette and stay after a reload', async () => {
  const source = cell('by_school');
  await source.getByTestId('collapse-cell').click();
  const line = source.getByTestId('cell-collapsed');
  await line.waitFor();
  expect(await line.textContent()).toContain('by_school');
  expect(await line.textContent()).toContain('готово');
  expect(await source.locator('.nb-editor').isVisible()).toBe(false);
  expect(await source.getByTestId('cell-output').isVisible()).toBe(false);
  await line.click();
  await source.getByTestId('cell-output').waitFor({ state: 'visible' });
  expect(await source.locator('.nb-editor').isVisible()).toBe(true);
  expect(await source.getAttribute('data-collapsed')).toBe('false');

  const collapsedFlags = () => page.locator('[data-testid=cell]').evaluateAll((els) => els.map((e) => e.getAttribute('data-collapsed')));
  const palette = async (words: string) => {
    await page.locator('body').click({ position: { x: 5, y: 400 } });
    await page.keyboard.press('Control+k');
    await page.getByTestId('palette-input').fill(words);
    await page.keyboard.press('Enter');
    await page.getByTestId('palette').waitFor({ state: 'detached' });
  };
  await palette('свернуть все');
  expect(new Set(await collapsedFlags())).toEqual(new Set(['true']));
  const summaries = await page.locator('[data-testid=cell-collapsed] .nb-collapsed-text').allTextContents();
  expect(summaries).toEqual(['Доля отметок «2» по ОО', 'SQL «by_school»', 'График по «by_school»']);
  await page.screenshot({ path: `${OUT}/collapsed.png` });
  await palette('развернуть все');
  expect(new Set(await collapsedFlags())).toEqual(new Set(['false']));

  // Collapsed cells are remembered per notebook.
  await source.getByTestId('collapse-cell').click();
  // The write to IndexedDB is asynchronous: reload once it is there.
  const stored = () =>
    page.evaluate(async () => {
      const kv = (window as unknown as { msoko: { kv: { get(k: string): Promise<unknown> } } }).msoko.kv;
      const ref = (await kv.get('notebook.current')) as { kind: string; id: string };
      return kv.get(`notebook.collapsed.${ref.kind}:${ref.id}`);
    });
  await expect.poll(stored).toEqual(['by_school']);
  await page.reload();
  await page.locator('[data-testid=notebook][data-ready=true]').waitFor({ timeout: 120_000 });
  await notebookIdle(page);
  await cell('by_school').getByTestId('cell-collapsed').waitFor();
  expect(await cell('by_school').getAttribute('data-collapsed')).toBe('true');
  expect(app.offOrigin).toEqual([]);
});
