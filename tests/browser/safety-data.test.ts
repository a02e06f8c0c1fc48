/**
 * Issue #14 «Data safety» / #11: a file named like a canonical table or a bundle never replaces
 * the data without consent; the previous version stays until confirmed; the demo and the user's
 * own data set are separate; storage failures and two tabs are reported, not silent.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { NodeConnector } from '../../src/db/node-connector';
import { writeBundle } from '../../src/export/bundle';
import { openApp, type AppSession } from './harness';
import { fixture, importFiles, listedTables, sql, waitReady } from './app-helpers';

const MY_SCHOOLS = [
  ['2025', '990001', 'МБОУ «Моя школа № 1»', 'Мой район', 'город', 'СОШ', '300', '0.5', 'false', 'false'],
  ['2025', '990002', 'МБОУ «Моя школа № 2»', 'Мой район', 'село', 'ООШ', '80', '0.4', 'true', 'false'],
];

let app: AppSession;
let dir: string;
let demoSchools: number;
let demoResults: number;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'msoko-safety-'));
  const header = 'year,school_id,name,municipality,settlement_type,school_type,students_total,social_index,shnor,shnsu';
  writeFileSync(join(dir, 'schools.csv'), [header, ...MY_SCHOOLS.map((r) => r.join(','))].join('\n'), 'utf8');
  // A colleague's bundle: schools and a non-canonical table the manifest tries to plant.
  const conn = await NodeConnector.open();
  await conn.query({ type: 'exec', sql: `CREATE TABLE schools AS SELECT '770001' AS school_id, 'Школа из пакета' AS name` });
  await conn.query({ type: 'exec', sql: `CREATE TABLE planted AS SELECT 1 AS x` });
  writeFileSync(join(dir, 'пакет.zip'), await writeBundle(conn, 'SELECT * FROM schools', { title: 'Пакет коллеги', tables: ['schools', 'planted'] }));
  await conn.close();
  app = await openApp();
  await waitReady(app.page);
  const [c] = await sql(app.page, 'SELECT (SELECT count(*) FROM schools) AS s, (SELECT count(*) FROM assessment_results) AS r');
  demoSchools = Number(c!.s);
  demoResults = Number(c!.r);
});
afterAll(async () => app?.close());

const counts = async () => (await sql(app.page, 'SELECT (SELECT count(*) FROM schools) AS s, (SELECT count(*) FROM assessment_results) AS r'))[0];

test('a bundle declined in the consent dialog changes nothing; a non-canonical table in it is never loaded', async () => {
  const { page } = app;
  expect(demoSchools).toBe(120);
  await page.getByTestId('open-bundle-input').setInputFiles(join(dir, 'пакет.zip'));
  const dialog = page.getByTestId('consent-dialog');
  await dialog.waitFor({ timeout: 60_000 });
  expect(await page.getByTestId('consent-table-schools').innerText()).toMatch(/schools — 120 строк/);
  await page.getByTestId('consent-cancel').click();
  await page.getByTestId('share-status').filter({ hasText: 'не открыт' }).waitFor({ timeout: 60_000 });
  expect(await counts()).toEqual({ s: demoSchools, r: demoResults });
  expect(await listedTables(page)).not.toContain('planted');
  expect(await page.getByTestId('data-summary').getAttribute('data-dataset')).toBe('demo');
  expect(app.offOrigin).toEqual([]);
}, 600_000);

test('schools.csv never replaces the schools until the user agrees; the demo comes back by undo; reload keeps what was confirmed', async () => {
  const { page } = app;
  await importFiles(page, [join(dir, 'schools.csv')], { keepMappingDialog: true });
  expect(await listedTables(page)).toContain('schools_file');
  expect(await counts()).toEqual({ s: demoSchools, r: demoResults });
  expect(await page.evaluate(() => window.msoko!.storedTables())).not.toContain('raw.schools');

  await page.getByTestId('mapping-confirm').click();
  await page.getByTestId('consent-dialog').waitFor({ timeout: 60_000 });
  const listed = await page.getByTestId('consent-tables').innerText();
  expect(listed).toContain('schools — 120');
  expect(listed).toContain('assessment_results —');
  await page.getByTestId('consent-cancel').click();
  await page.getByTestId('consent-dialog').waitFor({ state: 'detached' });
  expect(await counts()).toEqual({ s: demoSchools, r: demoResults });

  await page.getByTestId('mapping-confirm').click();
  await page.getByTestId('consent-accept').click();
  await page.getByTestId('import-summary').waitFor({ timeout: 120_000 });
  expect(await sql(page, 'SELECT school_id, name FROM schools ORDER BY 1')).toEqual(MY_SCHOOLS.map((r) => ({ school_id: r[1], name: r[2] })));
  expect(await counts()).toEqual({ s: 2, r: 0 });
  expect(await page.getByTestId('data-summary').getAttribute('data-dataset')).toBe('own');
  await page.getByTestId('undo-bar').waitFor();

  await page.reload();
  await waitReady(page);
  expect(await counts()).toEqual({ s: 2, r: 0 });
  expect(await page.getByTestId('data-summary').getAttribute('data-dataset')).toBe('own');
  await page.getByTestId('undo-revert').click();
  await page.getByTestId('undo-bar').waitFor({ state: 'detached', timeout: 120_000 });
  expect(await counts()).toEqual({ s: demoSchools, r: demoResults });
  expect(await page.getByTestId('data-summary').getAttribute('data-dataset')).toBe('demo');
  expect(app.offOrigin).toEqual([]);
}, 900_000);

test('two tabs saving one notebook: the second writer is told instead of overwriting', async () => {
  const { page, context } = app;
  const key = 'notebook.user.nb-tabs';
  await page.evaluate((k) => window.msoko!.kv.set(k, { id: 'nb-tabs', title: 'Т', text: 'a', updated: 1, trusted: true }), key);
  const other = await context.newPage();
  await other.goto(page.url());
  await waitReady(other);
  expect(await other.evaluate((k) => window.msoko!.kv.get(k), key)).toMatchObject({ updated: 1 });
  await page.evaluate((k) => window.msoko!.kv.set(k, { id: 'nb-tabs', title: 'Т', text: 'from tab 1', updated: 2, trusted: true }), key);
  // The other tab's notebook list refreshing now (it peeks) must not make its older copy look current:
  // it did, through a plain read, once the list loaded after start-up (CI, this session).
  expect(await other.evaluate((k) => window.msoko!.kv.peek(k), key)).toMatchObject({ updated: 2 });
  const error = await other.evaluate(
    (k) => window.msoko!.kv.set(k, { id: 'nb-tabs', title: 'Т', text: 'from tab 2', updated: 3, trusted: true }).then(() => 'saved', (e: Error) => e.message),
    key,
  );
  expect(error).toMatch(/изменён в другой вкладке/);
  expect(await page.evaluate((k) => window.msoko!.kv.get(k), key)).toMatchObject({ text: 'from tab 1' });
  await other.close();
  expect(app.offOrigin).toEqual([]);
}, 600_000);

test('storage quota exceeded: the import names the table and the reason, the table is marked unsaved, and a reload agrees', async () => {
  const { page } = app;
  // Chromium's CDP quota override does not reach IndexedDB here, so the browser's answer to a full
  // disk is injected where IndexedDB gives it: the put of that table's record throws QuotaExceededError.
  await page.evaluate(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      if (this.name === 'tables' && String(key).includes('vpr_cp1251')) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.call(this, value, key);
    };
  });
  await importFiles(page, [fixture('vpr-cp1251.csv')]);
  const error = await page.locator('[data-testid="import-progress-vpr-cp1251.csv"] [data-testid=import-error]').innerText();
  expect(error).toMatch(/Таблица «vpr_cp1251» не сохранена/);
  expect(error).toMatch(/не хватает места/);
  await page.getByTestId('table-unsaved-vpr_cp1251').waitFor();
  expect(await sql(page, 'SELECT count(*) AS n FROM vpr_cp1251')).toEqual([{ n: 5 }]);
  expect(await page.evaluate(() => window.msoko!.storedTables())).not.toContain('vpr_cp1251');
  await page.reload();
  await waitReady(page);
  expect(await listedTables(page)).not.toContain('vpr_cp1251');
  expect(app.offOrigin).toEqual([]);
}, 600_000);
