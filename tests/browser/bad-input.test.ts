import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openApp, type AppSession } from './harness';
import { DEMO_TABLES, fixture, importFiles, listedTables, sql, waitReady } from './app-helpers';

let app: AppSession;
beforeAll(async () => {
  app = await openApp();
  await waitReady(app.page);
});
afterAll(async () => app?.close());

const errorOf = (file: string) => app.page.locator(`[data-testid="import-progress-${file}"] [data-testid=import-error]`).innerText();

test('bad files get a Russian message naming the file (and row); loaded tables and stored work stay', async () => {
  const { page } = app;
  await importFiles(page, [fixture('marks.tsv')]);
  await page.evaluate(() => window.msoko!.kv.set('notebook.test', { cells: ['SELECT * FROM marks'] }));
  const tablesBefore = await listedTables(page);
  const demoBefore = await sql(page, 'SELECT count(*) AS n FROM assessment_results');

  // A limit low enough for a small file stands in for a file larger than the browser can hold.
  const dir = mkdtempSync(join(tmpdir(), 'msoko-bad-'));
  const big = join(dir, 'big.csv');
  writeFileSync(big, 'a;b\n' + '1;2\n'.repeat(50_000));
  // A row shorter than the header fails the file (one longer is a spilled value, listed at import).
  const short = join(dir, 'short.csv');
  writeFileSync(short, 'Класс;Отметка;Балл\n5А;4;14\n5Б;3;9\n5В;5\n');
  await page.evaluate(() => localStorage.setItem('msoko.maxFileBytes', '100000'));

  await importFiles(page, [fixture('empty.csv'), fixture('garbage.csv'), short, fixture('empty.xlsx'), fixture('not-really.xlsx'), big]);
  expect(await errorOf('empty.csv')).toBe('Файл «empty.csv»: файл пуст (0 байт).');
  expect(await errorOf('garbage.csv')).toMatch(/^Файл «garbage\.csv»: не похож на таблицу: это не текст CSV\/TSV, не книга Excel, не Parquet и не JSON/);
  expect(await errorOf('short.csv')).toBe(
    'Файл «short.csv», строка 4: в строке меньше столбцов, чем в заголовке: ожидалось 3, найдено 2. Проверьте разделители и кавычки в этой строке.',
  );
  expect(await errorOf('empty.xlsx')).toBe('Файл «empty.xlsx»: в книге нет ни одного листа с данными: все листы пусты.');
  expect(await errorOf('not-really.xlsx')).toBe('Файл «not-really.xlsx»: не является книгой Excel: файл повреждён или имеет другой формат.');
  expect(await errorOf('big.csv')).toMatch(/^Файл «big\.csv»: файл слишком большой \(195 КБ\): браузер на этом компьютере может загрузить файл не больше 98 КБ\..*используйте запуск без браузера: npm run import и npm run indicators/);
  await page.evaluate(() => localStorage.removeItem('msoko.maxFileBytes'));

  const after = await listedTables(page);
  expect(after).toEqual(expect.arrayContaining(tablesBefore));
  for (const bad of ['empty', 'garbage', 'short', 'big', 'not_really']) expect(after).not.toContain(bad);
  expect(await sql(page, 'SELECT count(*) AS n FROM assessment_results')).toEqual(demoBefore);
  expect(await sql(page, 'SELECT "Балл" AS b FROM marks ORDER BY 1')).toEqual([{ b: 9 }, { b: 14.5 }, { b: 19.25 }]);
  expect(await page.evaluate(() => window.msoko!.kv.get('notebook.test'))).toEqual({ cells: ['SELECT * FROM marks'] });
  await page.getByTestId('notebook').waitFor();

  // After a reload the failed files left nothing behind and the good table is back.
  await page.reload();
  await waitReady(page);
  const reloaded = await listedTables(page);
  expect(reloaded).toEqual(expect.arrayContaining([...DEMO_TABLES, 'marks']));
  for (const bad of ['empty', 'garbage', 'short', 'big', 'not_really']) expect(reloaded).not.toContain(bad);
  expect(app.offOrigin).toEqual([]);
});
