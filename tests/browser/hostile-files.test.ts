/**
 * Hostile and odd files in the real app (#14): a workbook declaring the whole grid, one as wide
 * as Excel allows, a zip bomb, a UTF-8 file with a Windows-1251 line, and a parse that never
 * ends, cancelled with the header's «Отменить» while another file waits in the queue.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openApp, type AppSession } from './harness';
import { importFiles, sql, waitReady } from './app-helpers';
import { bombBook, hugeDimensionBook, wideBook } from '../unit/ingest/read/hostile-books';

let app: AppSession;
const dir = mkdtempSync(join(tmpdir(), 'msoko-hostile-'));
beforeAll(async () => {
  app = await openApp();
  await waitReady(app.page).catch((e) => {
    throw new Error(`${e}; page errors: ${JSON.stringify(app.errors)}`);
  });
});
afterAll(async () => app?.close());

const job = (file: string) => app.page.locator(`[data-testid="import-progress-${file}"]`);

test('hostile workbooks end in a Russian message naming file and sheet, or load their real cells', async () => {
  writeFileSync(join(dir, 'huge-range.xlsx'), await hugeDimensionBook());
  writeFileSync(join(dir, 'wide.xlsx'), wideBook(16_384));
  writeFileSync(join(dir, 'bomb.xlsx'), bombBook());
  await importFiles(app.page, ['huge-range.xlsx', 'wide.xlsx', 'bomb.xlsx'].map((f) => join(dir, f)));
  expect(await job('huge-range.xlsx').getAttribute('data-status')).toBe('done');
  expect(await sql(app.page, 'SELECT "Класс" AS k, "Балл" AS b FROM huge_range ORDER BY 1')).toEqual([
    { k: '4А', b: 7 },
    { k: '4Б', b: 9 },
  ]);
  expect(await job('wide.xlsx').getByTestId('import-error').innerText()).toBe(
    'Файл «wide.xlsx», лист «Лист1»: на листе 16384 столбцов (от A до XFD), а читается не больше 1000. Удалите лишние столбцы или проверьте, не повреждён ли файл.',
  );
  expect(await job('bomb.xlsx').getByTestId('import-error').innerText()).toMatch(/^Файл «bomb\.xlsx»: книга слишком велика или повреждена: часть «xl\/worksheets\/sheet1\.xml»/);
  expect(app.offOrigin).toEqual([]);
});

test('a UTF-8 file with a Windows-1251 line loads as UTF-8 and warns about that line', async () => {
  const bytes = Buffer.concat([
    Buffer.from('Класс;Учитель;Балл\n4А;Иванова;5\n', 'utf8'),
    iconv.encode('4Б;Петрова;7\n', 'win1251'),
    Buffer.from('4В;Сидорова;9\n', 'utf8'),
  ]);
  writeFileSync(join(dir, 'mixed.csv'), bytes);
  await importFiles(app.page, [join(dir, 'mixed.csv')]);
  expect(await job('mixed.csv').getAttribute('data-status')).toBe('done');
  expect(await job('mixed.csv').getByTestId('import-warning').innerText()).toBe(
    'Файл «mixed.csv», строка 3: строка записана в кодировке Windows-1251, а не UTF-8, как остальной файл; прочитано в Windows-1251 — проверьте текст.',
  );
  expect(await sql(app.page, 'SELECT "Учитель" AS t FROM mixed ORDER BY "Балл"')).toEqual([{ t: 'Иванова' }, { t: 'Петрова' }, { t: 'Сидорова' }]);
  expect(app.offOrigin).toEqual([]);
});

test('«Отменить» in the header stops a parse that never ends; the next file in the queue still loads', async () => {
  writeFileSync(join(dir, 'stuck.csv'), 'Класс;Балл\n4А;1\n');
  writeFileSync(join(dir, 'after.csv'), 'Класс;Балл\n4А;3\n4Б;4\n');
  const { page } = app;
  // The next parse worker loads but never answers: a parse that hangs, as a hostile file made it.
  // One-shot, so the file queued behind gets a real worker.
  await page.evaluate(() => {
    const Original = window.Worker;
    window.Worker = class extends Original {
      constructor(_url: string | URL, opts?: WorkerOptions) {
        super(URL.createObjectURL(new Blob(['// never answers'], { type: 'text/javascript' })), opts);
        window.Worker = Original;
      }
    };
  });
  await page.getByTestId('import-input').setInputFiles([join(dir, 'stuck.csv'), join(dir, 'after.csv')]);
  await job('stuck.csv').locator('.muted', { hasText: 'Разбор файла' }).waitFor({ timeout: 60_000 });
  await page.getByTestId('cancel-query').click({ timeout: 60_000 });
  await page.locator('[data-testid="import-progress-stuck.csv"][data-status=error]').waitFor({ timeout: 60_000 });
  expect(await job('stuck.csv').getByTestId('import-error').innerText()).toBe('Файл «stuck.csv»: загрузка файла отменена.');
  // The cancel restarts the engine and restores the saved tables first: that can take a while.
  await page.locator('[data-testid="import-progress-after.csv"]:is([data-status=done], [data-status=error])').waitFor({ timeout: 150_000 });
  expect([await job('after.csv').getAttribute('data-status'), await job('after.csv').getByTestId('import-error').allInnerTexts()]).toEqual(['done', []]);
  expect(await sql(page, 'SELECT sum("Балл") AS s FROM after')).toEqual([{ s: 7 }]);
  expect(await sql(page, `SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'stuck'`)).toEqual([{ n: 0 }]);
  expect(app.offOrigin).toEqual([]);
}, 300_000);
