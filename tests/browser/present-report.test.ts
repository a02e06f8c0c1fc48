/**
 * What a reader sees in a notebook and its DOCX: school names in chart tooltips, an explicit empty
 * state instead of an empty chart, and Russian column titles in the Word tables.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import type { Locator } from 'playwright-core';
import { openApp, type AppSession } from './harness';
import { sql, waitReady } from './app-helpers';

const OUT = '.cache/present-browser';
const NOTEBOOK = `---
title: Средние баллы ОО
---

# Средний первичный балл ВПР по ОО за последний год

\`\`\`sql id=by_school name=by_school
SELECT school_id, count(*) AS n, avg(primary_score) AS mean
FROM assessment_results WHERE year = (SELECT max(year) FROM assessment_results) AND procedure = 'ВПР' AND primary_score IS NOT NULL
GROUP BY 1 ORDER BY 1
\`\`\`

\`\`\`vega-lite id=chart data=by_school
{ "mark": { "type": "bar", "tooltip": true },
  "encoding": { "y": { "field": "school_id", "type": "nominal" }, "x": { "field": "mean", "type": "quantitative" } } }
\`\`\`

\`\`\`sql id=none name=none
SELECT school_id, avg(mark) AS mean FROM assessment_results WHERE procedure = 'ОГЭ' AND grade = 5 GROUP BY 1
\`\`\`

\`\`\`vega-lite id=empty_chart data=none
{ "title": "Средняя отметка ОГЭ", "empty": "Нет данных: ОГЭ, 5 класс", "mark": "bar",
  "encoding": { "y": { "field": "school_id", "type": "nominal" }, "x": { "field": "mean", "type": "quantitative" } } }
\`\`\`
`;

let app: AppSession;
const cell = (id: string): Locator => app.page.locator(`[data-testid=cell][data-cell-id="${id}"]`);
type Hook = { openText(t: string): Promise<void>; idle(): Promise<void> };

beforeAll(async () => {
  app = await openApp();
  await waitReady(app.page);
  const page = app.page;
  await page.locator('[data-testid=notebook][data-ready=true]').waitFor({ timeout: 120_000 });
  await page.evaluate(() => (window as unknown as { __msoko: { notebook: Hook } }).__msoko.notebook.idle());
  await page.evaluate(async (t) => {
    const nb = (window as unknown as { __msoko: { notebook: Hook } }).__msoko.notebook;
    await nb.openText(t);
    await nb.idle();
  }, NOTEBOOK);
  await page.getByTestId('run-all').click();
  await page.evaluate(() => (window as unknown as { __msoko: { notebook: Hook } }).__msoko.notebook.idle());
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: join(OUT, 'present-report.png'), fullPage: true });
}, 240_000);
afterAll(() => app?.close());

async function expectedMeans(): Promise<{ ids: string[]; mean: Map<string, number>; n: Map<string, number> }> {
  const year = Number((await sql(app.page, 'SELECT max(year) AS y FROM assessment_results'))[0]!.y);
  const raw = await sql(app.page, `SELECT school_id, primary_score FROM assessment_results WHERE year = ${year} AND procedure = 'ВПР' AND primary_score IS NOT NULL`);
  const sum = new Map<string, number>();
  const n = new Map<string, number>();
  for (const r of raw) {
    const id = String(r.school_id);
    sum.set(id, (sum.get(id) ?? 0) + Number(r.primary_score));
    n.set(id, (n.get(id) ?? 0) + 1);
  }
  const ids = [...n.keys()].sort();
  return { ids, n, mean: new Map(ids.map((id) => [id, sum.get(id)! / n.get(id)!])) };
}

test('a chart tooltip names the school and formats its value the Russian way', async () => {
  const { ids, mean } = await expectedMeans();
  const chart = cell('chart').getByTestId('cell-chart');
  await chart.locator('svg .mark-rect path').first().waitFor({ timeout: 60_000 });
  const labels = await chart.locator('svg .role-axis-label text').allTextContents();
  expect(labels).toContain('СОШ № 5');
  expect(labels).not.toContain('220005');
  const k = ids.indexOf('220005');
  await chart.locator('svg .mark-rect path').nth(k).hover();
  const tip = app.page.locator('#vg-tooltip-element');
  await expect.poll(() => tip.innerText(), { timeout: 10_000 }).toContain('СОШ № 5');
  const text = (await tip.innerText()).replace(/\u00a0/g, ' ');
  const shown = /([\d ]+,\d+)/.exec(text)?.[1];
  expect(shown, text).toBeTruthy();
  expect(Number(shown!.replace(/ /g, '').replace(',', '.'))).toBeCloseTo(mean.get('220005')!, 2);
  expect(text).not.toMatch(/\d\.\d/);
  expect(app.offOrigin).toEqual([]);
});

test('an empty result shows «Нет данных: ОГЭ, 5 класс» instead of an empty chart', async () => {
  const chart = cell('empty_chart').getByTestId('cell-chart');
  await chart.locator('svg').waitFor({ timeout: 60_000 });
  await expect.poll(() => chart.locator('svg').textContent()).toContain('Нет данных: ОГЭ, 5 класс');
  const svg = (await chart.locator('svg').textContent()) ?? '';
  expect(svg).toContain('Средняя отметка ОГЭ');
  expect(svg).not.toMatch(/0,0000/);
  expect(await chart.locator('svg .role-axis').count()).toBe(0);
  // Its table says so too, instead of an empty grid.
  expect(await cell('none').getByTestId('cell-empty').textContent()).toBe('Нет данных');
  expect(await cell('none').getByTestId('cell-table').count()).toBe(0);
  expect(app.offOrigin).toEqual([]);
});

test('the DOCX report has Russian column titles and school names, no Latin column names', async () => {
  const { ids, n } = await expectedMeans();
  await app.page.getByTestId('nb-report').click();
  const dialog = app.page.getByTestId('report-dialog');
  await dialog.waitFor();
  const [dl] = await Promise.all([app.page.waitForEvent('download', { timeout: 120_000 }), dialog.getByTestId('report-docx').click()]);
  const bytes = readFileSync((await dl.path())!);
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'present-report.docx'), bytes);
  const xml = await (await JSZip.loadAsync(bytes)).file('word/document.xml')!.async('string');
  const tables = [...xml.matchAll(/<w:tbl>([\s\S]*?)<\/w:tbl>/g)].map((m) => m[1]!);
  expect(tables.length).toBeGreaterThan(0);
  const cellsOf = (row: string) => [...row.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((c) => [...c[1]!.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''));
  const rowsOf = (t: string) => [...t.matchAll(/<w:tr(?: [^>]*)?>([\s\S]*?)<\/w:tr>/g)].map((r) => cellsOf(r[1]!));
  const first = rowsOf(tables[0]!);
  expect(first[0]).toEqual(['ОО', 'Число участников', 'Среднее']);
  for (const t of tables) for (const title of rowsOf(t)[0]!) expect(title).not.toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
  const row5 = first.find((r) => r[0] === 'СОШ № 5');
  expect(row5?.[1]).toBe(String(n.get('220005')));
  expect(first.slice(1).map((r) => r[0])).not.toContain('220005');
  expect(first.length - 1).toBe(ids.length);
  for (const r of first.slice(1)) expect(r.join(' ')).not.toMatch(/\d\.\d/);
  await app.page.keyboard.press('Escape');
  expect(app.offOrigin).toEqual([]);
});
