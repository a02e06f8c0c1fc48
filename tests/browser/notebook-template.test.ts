import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { runHeadless } from '../../scripts/notebook';
import { openApp, type AppSession } from './harness';
import { notebookIdle as idle } from './app-helpers';

const FIXTURE_DIR = 'tests/fixtures/notebook/data';
const FIXTURE = readFileSync(join(FIXTURE_DIR, 'assessment_results.csv'), 'utf8');
const DEMO = 'notebooks/examples/demo.md';
const raw = FIXTURE.trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(','))
  .map(([year, procedure, subject, school_id, mark]) => ({ year: Number(year), procedure, subject, school_id, mark: Number(mark) }));

// One app for the file (each start cost a boot of the engine and the notebook, ≈8 s, four times):
// every test opens its own notebook (template, file or text) on the same small data set, and
// none changes the data.
let app: AppSession | undefined;
let shared: Page;
beforeAll(async () => {
  app = await openApp({ path: '#/notebook' });
  shared = app.page;
  await shared.locator('[data-testid=notebook][data-ready=true]').waitFor({ timeout: 120_000 });
  await idle(shared);
  // The same small data set the headless runs use (replaces the demo municipality's table).
  await shared.evaluate((csv) => (window as any).__msoko.notebook.loadData('assessment_results.csv', csv), FIXTURE);
}, 300_000);
afterAll(async () => app?.close());

async function start(): Promise<Page> {
  return shared;
}
const cell = (page: Page, id: string) => page.locator(`[data-testid=cell][data-cell-id="${id}"]`);
const runCounts = (page: Page): Promise<Record<string, number>> =>
  page.locator('[data-testid=cell]').evaluateAll((cells) => Object.fromEntries(cells.map((c) => [c.getAttribute('data-cell-id')!, Number(c.getAttribute('data-run-count'))])));
const tableText = (page: Page, id: string): Promise<string[][]> =>
  cell(page, id)
    .locator('[data-testid=cell-table] .rt-row')
    .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('.rt-cell')].slice(1).map((c) => c.textContent ?? '')));

function bySchool(minN: number) {
  const sel = raw.filter((r) => r.subject === 'Математика');
  return [...new Set(sel.map((r) => r.school_id))]
    .sort()
    .map((s) => {
      const g = sel.filter((r) => r.school_id === s);
      return { school_id: s, n: g.length, mean: g.reduce((a, r) => a + r.mark, 0) / g.length };
    })
    .filter((g) => g.n >= minN);
}

test('a template: change a parameter, the downstream table and chart change, exactly the dependants re-run', async () => {
  const page = await start();
  await page.getByTestId('nb-picker').selectOption('template:examples/demo');
  // A template opens as a report (the read-only note is hidden there): attached is enough.
  await page.locator('[data-testid=nb-readonly]').waitFor({ state: 'attached' });
  await idle(page);
  for (const id of ['intro', 'overall', 'by_school', 'chart', 'spread', 'outro']) {
    expect(await cell(page, id).getAttribute('data-status'), id).toBe('done');
  }

  const check = async (minN: number) => {
    const exp = bySchool(minN);
    const shown = await tableText(page, 'by_school');
    expect(shown.map((r) => [r[0], Number(r[1])])).toEqual(exp.map((r) => [r.school_id, r.n]));
    shown.forEach((r, i) => expect(Number(r[2].replace(',', '.'))).toBeCloseTo(exp[i].mean, 2));
    await expect.poll(() => cell(page, 'chart').locator('svg .mark-rect path').count()).toBe(exp.length);
    const labels = await cell(page, 'chart').locator('svg .role-axis-label text').allTextContents();
    for (const r of exp) expect(labels).toContain(r.school_id);
  };
  await check(5);
  expect(await cell(page, 'intro').getByTestId('cell-md').textContent()).toContain('Результаты по предмету «Математика», 2023–2024 гг.');
  expect(bySchool(10).length).toBeLessThan(bySchool(5).length);

  const before = await runCounts(page);
  await page.getByTestId('param-min_n-input').fill('10');
  await page.getByTestId('param-min_n-input').press('Enter');
  await page.getByTestId('param-min_n-input').blur();
  await expect.poll(async () => (await runCounts(page)).by_school).toBe(before.by_school + 1);
  await idle(page);
  await check(10);
  const after = await runCounts(page);
  const changed = Object.keys(after).filter((id) => after[id] !== before[id]).sort();
  expect(changed).toEqual(['by_school', 'chart', 'outro', 'spread']);
  for (const id of changed) expect(after[id]).toBe(before[id] + 1);

  // «Сделать копию» gives an editable notebook of the user's own; «Скачать .md» saves its text.
  await page.getByTestId('nb-copy').click();
  await expect.poll(() => page.getByTestId('nb-readonly').count()).toBe(0);
  await idle(page);
  expect(await page.getByTestId('nb-title').inputValue()).toBe('Пример блокнота (копия)');
  expect(await cell(page, 'by_school').getAttribute('data-status')).toBe('done');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('nb-download').click()]);
  expect(download.suggestedFilename()).toBe('Пример блокнота (копия).md');
  const saved = readFileSync((await download.path())!, 'utf8');
  const original = readFileSync(DEMO, 'utf8');
  expect(saved).toBe(original.replace('title: Пример блокнота', 'title: Пример блокнота (копия)'));
  expect(app!.offOrigin).toEqual([]);
});

test('a notebook opened from a file runs none of its cells before the user trusts it', async () => {
  const page = await start();
  const text = '---\ntitle: Из файла\n---\n\n```sql id=s name=s\nSELECT count(*) AS n FROM assessment_results\n```\n\n```ts id=t name=t\nreturn md`Всего: **${s[0].n}**`;\n```\n';
  await page.getByTestId('nb-file-input').setInputFiles({ name: 'из-файла.md', mimeType: 'text/markdown', buffer: Buffer.from(text) });
  await page.getByTestId('nb-trust-dialog').waitFor();
  await idle(page);
  expect(await cell(page, 's').getAttribute('data-run-count')).toBe('0');
  expect(await cell(page, 't').getAttribute('data-run-count')).toBe('0');

  await page.getByTestId('nb-trust-accept').click();
  await expect.poll(() => cell(page, 's').getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
  await expect.poll(() => cell(page, 't').getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
  expect((await cell(page, 't').getByTestId('cell-md').textContent())?.trim()).toBe(`Всего: ${raw.length}`);
  expect(await cell(page, 't').locator('[data-testid=cell-md] strong').textContent()).toBe(String(raw.length));
  await expect(page.getByTestId('nb-trust').count()).resolves.toBe(0);
  expect(app!.offOrigin).toEqual([]);
});

test('the same notebook gives identical results in the browser and headless', async () => {
  const page = await start();
  await page.evaluate(() => (window as any).__msoko.notebook.openTemplate('examples/demo'));
  await idle(page);
  await page.evaluate(() => (window as any).__msoko.notebook.runtime().setParam('min_n', 10));
  await idle(page);
  const browser = await page.evaluate(() => (window as any).__msoko.notebook.snapshot());

  const out = mkdtempSync(join(tmpdir(), 'nb-parity-'));
  try {
    const { snapshot } = await runHeadless({ file: DEMO, data: FIXTURE_DIR, out, params: { min_n: '10' } });
    for (const [id, s] of Object.entries(snapshot)) expect(s.status, `${id}: ${s.error}`).toBe('done');
    expect(browser).toEqual(snapshot);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  expect(app!.offOrigin).toEqual([]);
});

test('Markdown and HTML are sanitised, parameter cells drive their dependants, TS results follow them', async () => {
  const page = await start();
  const text = [
    '---\ntitle: Санитизация\n---\n',
    '<!-- cell id=m -->\nЗначение: ${evil.v} <img src="x" onerror="window.__pwned = 1"> <script>window.__pwned = 2</script> **жирный**\n',
    "```sql id=evil name=evil\nSELECT '<img src=y onerror=\"window.__pwned=3\">' AS v\n```\n",
    '```param id=p name=pick\ntype: select\nlabel: Школа\noptions_sql: SELECT DISTINCT school_id FROM assessment_results ORDER BY 1\n```\n',
    '```sql id=cnt name=cnt\nSELECT count(*) AS n FROM assessment_results WHERE school_id = $pick\n```\n',
    "```ts id=dom name=dom\nreturn md`ОО: **${pick}**`;\n```\n",
    '```ts id=h name=h\nreturn html`<i>курсив</i><a href="javascript:alert(1)">ссылка</a>`;\n```\n',
  ].join('\n');
  await page.evaluate((t) => (window as any).__msoko.notebook.openText(t, { trusted: true }), text);
  await idle(page);
  const md = cell(page, 'm').getByTestId('cell-md');
  expect(await md.locator('strong').textContent()).toBe('жирный');
  expect(await md.locator('script').count()).toBe(0);
  expect(await md.locator('[onerror]').count()).toBe(0);
  expect(await cell(page, 'h').locator('i').textContent()).toBe('курсив');
  expect(await cell(page, 'h').locator('a').getAttribute('href')).toBeNull();
  expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();

  const schools = [...new Set(raw.map((r) => r.school_id))].sort();
  const count = (s: string) => String(raw.filter((r) => r.school_id === s).length);
  const shown = () => cell(page, 'cnt').locator('[data-testid=cell-table] .rt-row .rt-cell').nth(1).textContent();
  expect(await shown()).toBe(count(schools[0]));
  expect(await cell(page, 'dom').locator('strong').textContent()).toBe(schools[0]);
  await cell(page, 'p').getByTestId('param-pick-input').selectOption(schools[2]);
  await expect.poll(shown).toBe(count(schools[2]));
  await expect.poll(() => cell(page, 'dom').locator('strong').textContent()).toBe(schools[2]);
  expect(app!.offOrigin).toEqual([]);
});
