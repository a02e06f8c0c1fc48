/**
 * Issue #14 «Personal data»: a sheet with names, passports, СНИЛС, dates of birth, phones and
 * e-mails (some under innocent titles) is imported in the real app; nothing of those values is
 * ever written to IndexedDB, and after the mapping step no table holds them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openApp, type AppSession } from './harness';
import { importFiles, sql, waitReady } from './app-helpers';
import { idbFound, storedTables, tablesFound } from './safety-helpers';

const HEADER = ['Код ОО', 'Код обучающегося', 'Класс', 'ФИО ученика', 'Серия и номер паспорта', 'Дата рождения', 'СНИЛС', 'Телефон', 'E-mail', 'Ученик', 'Сведения', 'Первичный балл'];
const ROWS = [
  ['220001', '40001', '4А', 'Зайцева Ульяна Тимуровна', '4510 123456', '12.03.2013', '123-456-789 01', '+7 (912) 345-67-89', 'ulyana@mail.ru', 'Кузнецов Лев Андреевич', '4613 765432', '11'],
  ['220001', '40002', '4А', 'Пантелеев Глеб Аркадьевич', '4510 223344', '01.11.2012', '987-654-321 00', '+7 (912) 111-22-33', 'gleb@mail.ru', 'Морозова Вера Ильинична', '4613 112233', '14'],
  ['220001', '40003', '4Б', 'Смирнова Ева Олеговна', '4511 556677', '30.07.2013', '111-222-333 44', '+7 (912) 444-55-66', 'eva@mail.ru', 'Волков Яков Петрович', '4613 445566', '9'],
];
/** Every personal value (and its digits), whatever column it came from. */
const SECRETS = ROWS.flatMap((r) => [r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10]]).flatMap((v) => [v!, ...(/\d/.test(v!) ? [v!.replace(/\D/g, '')] : [])]);
const SURNAMES = ['Зайцева', 'Пантелеев', 'Смирнова', 'Кузнецов', 'Морозова', 'Волков'];

let app: AppSession;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'msoko-personal-'));
  writeFileSync(join(dir, 'ученики.csv'), [HEADER, ...ROWS].map((r) => r.join(';')).join('\r\n'), 'utf8');
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Результаты');
  sheet.addRow(['ВПР 2025 Математика 4 класс']);
  sheet.addRow(HEADER);
  for (const r of ROWS) sheet.addRow(r);
  writeFileSync(join(dir, 'ученики-книга.xlsx'), Buffer.from(await book.xlsx.writeBuffer()));
  app = await openApp();
  await waitReady(app.page);
});
afterAll(async () => app?.close());

const PERSONAL = [...SECRETS, ...SURNAMES];

test('names, passports, СНИЛС, dates of birth, phones and e-mails never reach IndexedDB nor, after the mapping step, any table', async () => {
  const { page } = app;
  await importFiles(page, [join(dir, 'ученики.csv'), join(dir, 'ученики-книга.xlsx')], { keepMappingDialog: true });
  expect(await page.getByTestId('import-error').count()).toBe(0);
  // While the mapping dialog waits, the typed tables show no personal column and storage holds nothing of them.
  const typed = await sql(page, 'SELECT * FROM "ученики" ORDER BY "Код обучающегося"');
  expect(typed.map((r) => Object.keys(r))).toEqual(ROWS.map(() => ['Код ОО', 'Код обучающегося', 'Класс', 'Первичный балл']));
  expect(typed.map((r) => r['Первичный балл'])).toEqual([11, 14, 9]);
  expect(await idbFound(page, PERSONAL)).toEqual([]);

  await page.getByTestId('mapping-cancel').click();
  await page.getByTestId('mapping-dialog').waitFor({ state: 'detached', timeout: 30_000 });
  await page.waitForFunction(async () => (await window.msoko!.storedTables()).includes('raw.ученики'), undefined, { timeout: 30_000 }).catch(async (e) => {
    console.log('stored', await storedTables(page), app.errors, await page.getByTestId('import-list').innerText().catch(() => ''));
    throw e;
  });
  expect(await tablesFound(page, PERSONAL)).toEqual([]);
  expect(await idbFound(page, PERSONAL)).toEqual([]);
  // Both searches do see what is kept (a search that finds nothing would prove nothing).
  expect(await tablesFound(page, ['Первичный балл', '40001'])).toEqual(['Первичный балл', '40001']);
  expect(await idbFound(page, ['Первичный балл'])).toEqual(['Первичный балл']);
  // The non-personal part of both files is kept.
  const stored = await storedTables(page);
  expect(stored).toEqual(expect.arrayContaining(['ученики', 'raw.ученики']));
  expect(stored.some((t) => t.startsWith('ученики_книга'))).toBe(true);

  // What a reload restores is exactly what is stored (checked above); safety-data.test.ts reloads.
  expect(await sql(page, 'SELECT sum("Первичный балл") AS s FROM "ученики"')).toEqual([{ s: 34 }]);
  expect(app.offOrigin).toEqual([]);
}, 900_000);
