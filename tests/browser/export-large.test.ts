/**
 * A large result (300 000 rows) exports in the table-export worker: the status line shows
 * progress, the file holds every row the grid's search keeps in the grid's order (checked
 * against rows computed here from the generating formula), and «Отменить» stops a run with no
 * file. Prints the longest main-thread block during the export (PerformanceObserver longtask) —
 * a figure for the notes, not an assertion.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { AppSession } from './harness';
import { notebookIdle } from './app-helpers';
import { cell, openNotebookApp, openTrusted } from './notebook-helpers';

const N = 300_000;
const RESULT_SQL = `SELECT i AS num, 'ОО-' || (i % 97) AS label, (i % 1000) / 8.0 AS x_frac, CASE WHEN i % 11 = 0 THEN '=cmd' || i END AS note FROM range(${N}) t(i)`;
const NOTEBOOK = `---\ntitle: Большая выгрузка\n---\n\n\`\`\`sql id=big name=big\n${RESULT_SQL}\n\`\`\`\n`;

/** Row i of the result as the CSV writes it: decimal commas, the formula-like note neutralised. */
const csvFields = (i: number) => [String(i), `ОО-${i % 97}`, String((i % 1000) / 8).replace('.', ','), i % 11 === 0 ? `'=cmd${i}` : ''];

let app: AppSession;
beforeAll(async () => {
  app = await openNotebookApp();
  await openTrusted(app.page, NOTEBOOK);
  await notebookIdle(app.page);
  await cell(app.page, 'big').getByTestId('cell-table').locator('.rt-row').first().waitFor();
  // Every status text the export bar shows, and every long main-thread task, from now on.
  await app.page.evaluate(() => {
    const w = window as unknown as { __statuses: string[]; __stages: string[]; __long: { ms: number; at: number }[] };
    w.__statuses = [];
    w.__stages = [];
    w.__long = [];
    new MutationObserver(() => {
      const t = document.querySelector('[data-cell-id=big] [data-testid=export-status]')?.textContent;
      if (t && w.__statuses.at(-1) !== t) (w.__statuses.push(t), w.__stages.push(`${Math.round(performance.now())} ${t}`));
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__long.push({ ms: e.duration, at: e.startTime });
    }).observe({ type: 'longtask', buffered: false });
  });
}, 240_000);
afterAll(() => app?.close());

const statuses = () => app.page.evaluate(() => (window as unknown as { __statuses: string[] }).__statuses.splice(0));
const longestSince = (t0: number) =>
  app.page.evaluate((t) => {
    const tasks = (window as unknown as { __long: { ms: number; at: number }[] }).__long.filter((e) => e.at >= t);
    const w = window as unknown as { __stages: string[] };
    const at = tasks.map((e) => `${Math.round(e.at)}+${Math.round(e.ms)}`).join(', ');
    return { ms: Math.round(Math.max(0, ...tasks.map((e) => e.ms))), count: tasks.length, at, stages: w.__stages.splice(0).join(' | ') };
  }, t0);

test('a 300 000-row result exports in a worker with progress, in the grid order and search', async () => {
  const { page } = app;
  const grid = cell(page, 'big').getByTestId('cell-table');
  const bar = cell(page, 'big').getByTestId('table-export');
  const header = grid.locator('.rt-head[data-column="num"]');
  await header.click();
  await header.click();
  expect(await header.getAttribute('data-sort')).toBe('desc');
  await grid.getByTestId('grid-search').fill('ОО-7');
  await statuses();

  // The search keeps labels ОО-7 and ОО-70…ОО-79 (no number, share or note shows «ОО-»), by number descending.
  const kept: number[] = [];
  for (let i = N - 1; i >= 0; i--) if (i % 97 === 7 || (i % 97 >= 70 && i % 97 <= 79)) kept.push(i);

  const t0 = await page.evaluate(() => performance.now());
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 240_000 }), bar.getByTestId('export-csv').click()]);
  const block = await longestSince(t0);
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(readFileSync((await dl.path())!));
  expect(text.startsWith('\ufeff')).toBe(true);
  const [head, ...rows] = text.slice(1).replace(/\r\n$/, '').split('\r\n');
  expect(head!.split(';')).toEqual(['num', 'label', 'x_frac', 'note']);
  expect(rows.length).toBe(kept.length);
  for (const k of [0, 1, 2, 1000, Math.floor(kept.length / 2), kept.length - 1]) expect(rows[k]!.split(';')).toEqual(csvFields(kept[k]!));

  const seen = await statuses();
  expect(seen.some((s) => /^CSV: выгрузка \d+\s%$/.test(s))).toBe(true);
  expect(seen.at(-1)!.replace(/[\u00a0\u202f]/g, ' ')).toBe(
    `CSV: Выгружено: ${kept.length.toLocaleString('ru-RU')} из ${N.toLocaleString('ru-RU')} строк — с учётом поиска «ОО-7», по столбцу «num», по убыванию`.replace(/[\u00a0\u202f]/g, ' '),
  );
  console.log(`EXPORT-LARGE csv rows=${rows.length} of ${N}: longest main-thread block during the export ${block.ms} ms (${block.count} long tasks)`);
  console.log(`EXPORT-LARGE long tasks (start+ms): ${block.at}; statuses (ms text): ${block.stages}`);
  await grid.getByTestId('grid-search').fill('');
  expect(app.offOrigin).toEqual([]);
}, 300_000);

test('«Отменить» stops a large XLSX export: no file, a Russian status, the buttons back', async () => {
  const { page } = app;
  const bar = cell(page, 'big').getByTestId('table-export');
  let downloads = 0;
  const count = () => downloads++;
  page.on('download', count);
  await bar.getByTestId('export-xlsx').click();
  await expect.poll(() => bar.getByTestId('export-status').textContent(), { timeout: 60_000 }).toMatch(/^XLSX: выгрузка/);
  expect(await bar.getByTestId('export-xlsx').isDisabled()).toBe(true);
  await bar.getByTestId('export-cancel').click();
  await expect.poll(() => bar.getByTestId('export-status').textContent()).toBe('XLSX: отменено');
  expect(await bar.getByTestId('export-cancel').count()).toBe(0);
  expect(await bar.getByTestId('export-xlsx').isDisabled()).toBe(false);
  // The worker is gone: nothing arrives later either.
  await page.waitForTimeout(2_000);
  page.off('download', count);
  expect(downloads).toBe(0);
  expect(await bar.getByTestId('export-status').textContent()).toBe('XLSX: отменено');
  expect(app.offOrigin).toEqual([]);
}, 120_000);
