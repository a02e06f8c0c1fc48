import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, type AppSession } from './harness';
import { notebookIdle as idle } from './app-helpers';

const FIXTURE = readFileSync('tests/fixtures/notebook/data/assessment_results.csv', 'utf8');
const raw = FIXTURE.trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(','))
  .map(([year, procedure, subject, school_id, mark]) => ({ year: Number(year), procedure, subject, school_id, mark: Number(mark) }));

let app: AppSession | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function ready(page: Page) {
  await page.locator('[data-testid=notebook][data-ready=true]').waitFor({ timeout: 120_000 });
  await idle(page);
}

const cell = (page: Page, id: string) => page.locator(`[data-testid=cell][data-cell-id="${id}"]`);

/** Text of every data cell of a result table (row number column dropped). */
async function tableText(page: Page, id: string): Promise<string[][]> {
  return cell(page, id)
    .locator('[data-testid=cell-table] .rt-row')
    .evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('.rt-cell')].slice(1).map((c) => c.textContent ?? '')));
}

async function typeInto(page: Page, id: string, text: string) {
  await cell(page, id).locator('.monaco-editor').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

const runCounts = (page: Page) =>
  page.locator('[data-testid=cell]').evaluateAll((cells) => Object.fromEntries(cells.map((c) => [c.getAttribute('data-cell-id'), Number(c.getAttribute('data-run-count'))])));

test('run SQL, see the values, errors in Russian on the cell, Jupyter keys, reload keeps everything', async () => {
  app = await openApp({ path: '#/notebook' });
  const { page } = app;
  await ready(page);
  await page.evaluate((csv) => (window as any).__msoko.notebook.loadData('nb_marks.csv', csv), FIXTURE);

  const sql = 'SELECT school_id, count(*) AS low FROM nb_marks WHERE mark < 3 GROUP BY school_id ORDER BY school_id';
  await typeInto(page, 'q1', sql);
  await page.keyboard.press('Shift+Enter');
  await idle(page);
  await expect.poll(() => cell(page, 'q1').getAttribute('data-status')).toBe('done');
  const schools = [...new Set(raw.map((r) => r.school_id))].sort();
  const expected = schools.map((s) => [s, String(raw.filter((r) => r.school_id === s && r.mark < 3).length)]);
  expect(await tableText(page, 'q1')).toEqual(expected);

  // A second cell reads the first by its name; a broken one shows a Russian error on itself.
  await page.getByTestId('add-sql').click();
  const ids = await page.locator('[data-testid=cell]').evaluateAll((c) => c.map((x) => x.getAttribute('data-cell-id')!));
  const second = ids[ids.length - 1];
  await typeInto(page, second, 'SELECT sum(low) AS total FROM q1');
  await page.keyboard.press('Shift+Enter');
  await idle(page);
  expect(await tableText(page, second)).toEqual([[String(raw.filter((r) => r.mark < 3).length)]]);

  await page.getByTestId('add-sql').click();
  const third = await page.locator('[data-testid=cell]').last().getAttribute('data-cell-id');
  await typeInto(page, third!, 'SELECT * FROM нет_такой_таблицы');
  await page.keyboard.press('Shift+Enter');
  await idle(page);
  await expect.poll(() => cell(page, third!).getByTestId('cell-error').textContent()).toContain('Таблица «нет_такой_таблицы» не найдена');

  // Command mode: Esc, then D D deletes the cell, Z brings it back, B adds one below.
  await cell(page, third!).locator('.monaco-editor').click();
  await page.keyboard.press('Escape');
  const before = await page.locator('[data-testid=cell]').count();
  await page.keyboard.press('d');
  await page.keyboard.press('d');
  await expect.poll(() => page.locator('[data-testid=cell]').count()).toBe(before - 1);
  await page.keyboard.press('z');
  await expect.poll(() => page.locator('[data-testid=cell]').count()).toBe(before);
  await expect.poll(() => page.locator('[data-testid=cell]').last().getAttribute('data-cell-id')).toBe(third);
  await page.keyboard.press('b');
  await expect.poll(() => page.locator('[data-testid=cell]').count()).toBe(before + 1);
  await page.keyboard.press('d');
  await page.keyboard.press('d');
  await expect.poll(() => page.locator('[data-testid=cell]').count()).toBe(before);

  const saved = await page.evaluate(() => (window as any).__msoko.notebook.serialize());
  await page.waitForTimeout(300); // autosave is an IndexedDB write in flight
  await page.reload();
  await ready(page);
  expect(await page.evaluate(() => (window as any).__msoko.notebook.serialize())).toBe(saved);
  expect(saved).toContain(sql);
  await expect.poll(() => cell(page, 'q1').getAttribute('data-status')).toBe('done');
  expect(await tableText(page, 'q1')).toEqual(expected);
  expect(await tableText(page, second)).toEqual([[String(raw.filter((r) => r.mark < 3).length)]]);
  await expect.poll(() => cell(page, third!).getByTestId('cell-error').textContent()).toContain('не найдена');
  expect(app.offOrigin).toEqual([]);
});

// The million-row table and the cancelled query share one app (a boot of the engine less); the
// million-row test runs first, on the fresh app, so its check that nothing logged an error is
// about its own run only.
describe('long results and long queries in one app', () => {
  let shared: AppSession | undefined;
  beforeAll(async () => {
    shared = await openApp({ path: '#/notebook' });
    await ready(shared.page);
  }, 300_000);
  afterAll(async () => shared?.close());

  test('a million-row result is shown in the virtualised table and scrolls to its last row', async () => {
    const { page } = shared!;
    await typeInto(page, 'q1', 'SELECT i AS id, i * 2 AS twice FROM range(1000000) t(i) ORDER BY i');
    const t0 = Date.now();
    await page.keyboard.press('Shift+Enter');
    await idle(page);
    await expect.poll(() => cell(page, 'q1').getAttribute('data-status')).toBe('done');
    console.log(`notebook: 1,000,000-row SQL cell run and shown in ${Date.now() - t0} ms`);
    const table = cell(page, 'q1').getByTestId('cell-table');
    expect(await table.getAttribute('data-rows')).toBe('1000000');
    // Only the visible rows are in the DOM.
    expect(await table.locator('.rt-row').count()).toBeLessThan(100);
    await table.locator('.rt-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect.poll(() => table.locator('.rt-row[data-row="999999"]').count()).toBe(1);
    const last = await table.locator('.rt-row[data-row="999999"] .rt-cell').allTextContents();
    expect(last.slice(1).map((t) => t.replace(/\s/g, ''))).toEqual(['999999', '1999998']);
    expect(shared!.errors).toEqual([]);
    expect(shared!.offOrigin).toEqual([]);
  });

  test('cancel a long query: the cell says so, the notebook and loaded tables stay, the next run works', async () => {
    const { page } = shared!;
    await page.evaluate((csv) => (window as any).__msoko.notebook.loadData('nb_marks.csv', csv), FIXTURE);
    await typeInto(page, 'q1', 'SELECT count(*) AS n FROM nb_marks');
    await page.keyboard.press('Shift+Enter');
    await idle(page);
    expect(await tableText(page, 'q1')).toEqual([[String(raw.length)]]);

    await page.getByTestId('add-sql').click();
    const slow = await page.locator('[data-testid=cell]').last().getAttribute('data-cell-id');
    await typeInto(page, slow!, 'SELECT count(*) AS n FROM range(20000000000) t(i) WHERE i % 7 = 3');
    await page.keyboard.press('Shift+Enter');
    await expect.poll(() => cell(page, slow!).getAttribute('data-status')).toBe('running');
    await page.getByTestId('nb-cancel').click();
    await expect.poll(() => cell(page, slow!).getAttribute('data-status')).toBe('cancelled');
    expect(await cell(page, slow!).getByTestId('cell-error').textContent()).toBe('Выполнение отменено');
    expect(await page.locator('[data-testid=cell]').count()).toBe(3);

    await cell(page, 'q1').getByTestId('run-cell').click();
    await idle(page);
    await expect.poll(() => cell(page, 'q1').getAttribute('data-status')).toBe('done');
    expect(await tableText(page, 'q1')).toEqual([[String(raw.length)]]);
    expect(shared!.offOrigin).toEqual([]);
  });
});
