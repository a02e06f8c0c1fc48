import { readFileSync, writeFileSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openApp, type AppSession } from './harness';
import { fixture, importFiles, sql, waitReady } from './app-helpers';

let app: AppSession;
beforeAll(async () => {
  app = await openApp();
  await waitReady(app.page);
});
afterAll(async () => app?.close());

test('imports a Windows-1251 CSV with `;` and decimal commas, an XLSX with a title row and a Parquet file', async () => {
  const { page } = app;
  await importFiles(page, [fixture('vpr-cp1251.csv'), fixture('vpr-protocol.xlsx'), fixture('scores.parquet')]);
  for (const f of ['vpr-cp1251.csv', 'vpr-protocol.xlsx', 'scores.parquet']) {
    await expect(page.getByTestId(`import-progress-${f}`).getAttribute('data-status')).resolves.toBe('done');
  }
  expect(await page.getByTestId('import-error').count()).toBe(0);

  // The data panel lists the new tables with their row counts.
  await expect(page.getByTestId('table-rows-vpr_cp1251').innerText()).resolves.toBe('5');
  await expect(page.getByTestId('table-rows-vpr_protocol_протокол').innerText()).resolves.toBe('4');
  await expect(page.getByTestId('table-rows-vpr_protocol_классы').innerText()).resolves.toBe('2');
  await expect(page.getByTestId('table-rows-scores').innerText()).resolves.toBe('3');

  // Columns and types.
  await page.getByTestId('table-toggle-vpr_cp1251').click();
  const cols = await page.getByTestId('table-columns-vpr_cp1251').innerText();
  expect(cols).toContain('Доля выполнения DOUBLE');
  expect(cols).toContain('Первичный балл INTEGER');
  expect(cols).toContain('Дата DATE');

  // The preview shows the values as a Russian reader expects them (a share as a percent), and the profile is right.
  await page.locator('[data-testid="table-item-vpr_cp1251"] .table-name').click();
  const preview = page.getByTestId('data-preview');
  await preview.waitFor();
  const firstRow = await preview.locator('.rt-row[data-row="0"]').innerText();
  // The percent sign follows a narrow no-break space; compare with plain spaces.
  expect(firstRow.split('\n').map((s) => s.trim().replace(/\s+/g, ' '))).toEqual(['1', 'sch220001', '4А', 'м', '12', '60,0 %', '15.04.2021']);
  const profile = page.getByTestId('profile-Первичный балл');
  await profile.waitFor();
  expect(await profile.getAttribute('data-nulls')).toBe('1');
  expect(await profile.getAttribute('data-distinct')).toBe('4');
  expect(await profile.getAttribute('data-min')).toBe('9');
  expect(await profile.getAttribute('data-max')).toBe('20');

  // Values computed independently from the fixture: 0,6 + 0,85 + 0,45 + 1 = 2,9; 12+17+9+20 = 58.
  expect(await sql(page, 'SELECT round(sum("Доля выполнения"), 6) AS s, sum("Первичный балл") AS b FROM vpr_cp1251')).toEqual([{ s: 2.9, b: 58 }]);
  expect(await sql(page, `SELECT "Класс" AS k, "Учебник" AS u FROM "vpr_protocol_классы" ORDER BY 1`)).toEqual([
    { k: '4а', u: 'Моро М.И.' },
    { k: '4б', u: 'Петерсон Л.Г.' },
  ]);
  // The title row above the header is not data; the first data row is sheet row 5.
  expect(await sql(page, `SELECT min(_row) AS r, count(*) AS n FROM raw."vpr_protocol_протокол"`)).toEqual([{ r: 5, n: 4 }]);
  expect(await sql(page, `SELECT sum("Первичный балл") AS s FROM "vpr_protocol_протокол"`)).toEqual([{ s: 11.5 }]);
  expect(await sql(page, 'SELECT school_login, year, mean_mark, held_on FROM scores ORDER BY 1')).toEqual([
    { school_login: 'sch220001', year: 2023, mean_mark: 3.75, held_on: '2023-04-20' },
    { school_login: 'sch220002', year: 2023, mean_mark: 4.1, held_on: '2023-04-21' },
    { school_login: 'sch220003', year: 2024, mean_mark: null, held_on: '2024-04-18' },
  ]);
  expect(app.offOrigin).toEqual([]);
});

test('files dropped anywhere on the window are imported, several at once', async () => {
  const { page } = app;
  const files = ['marks.tsv', 'teachers.json'].map((name) => ({ name, bytes: [...readFileSync(fixture(name))] }));
  await page.evaluate((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([new Uint8Array(f.bytes)], f.name));
    const target = document.querySelector('[data-testid=app]')!;
    target.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
    (window as unknown as { overlayShown: boolean }).overlayShown = !!document.querySelector('[data-testid=drop-overlay]');
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, files);
  expect(await page.evaluate(() => (window as unknown as { overlayShown: boolean }).overlayShown)).toBe(true);
  for (const f of files) await page.locator(`[data-testid="import-progress-${f.name}"][data-status=done]`).waitFor();
  expect(await page.getByTestId('drop-overlay').count()).toBe(0);
  expect(await sql(page, 'SELECT sum("Балл") AS s FROM marks')).toEqual([{ s: 42.75 }]);
  expect(await sql(page, 'SELECT sum(age) AS s FROM teachers')).toEqual([{ s: 135 }]);
  expect(app.offOrigin).toEqual([]);
});

// Opt-in measurement (not a timing assertion): MEASURE_IMPORT=1 prints the time to import a 1,000,000-row CSV.
test.runIf(process.env.MEASURE_IMPORT === '1')('measure: import of a 1,000,000-row CSV', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'msoko-big-'));
  const path = join(dir, 'million.csv');
  const lines = ['Логин ОО;Класс;Пол;Первичный балл;Доля выполнения'];
  for (let i = 0; i < 1_000_000; i++) lines.push(`sch22${String(i % 500).padStart(4, '0')};${1 + (i % 11)}А;${i % 2 ? 'м' : 'ж'};${i % 21};${((i % 100) / 100).toFixed(2).replace('.', ',')}`);
  writeFileSync(path, lines.join('\n') + '\n');
  const t0 = Date.now();
  await importFiles(app.page, [path]);
  const seconds = (Date.now() - t0) / 1000;
  expect(await app.page.getByTestId('import-progress-million.csv').getAttribute('data-status')).toBe('done');
  expect(await sql(app.page, 'SELECT count(*) AS n FROM million')).toEqual([{ n: 1_000_000 }]);
  console.log(`IMPORT 1,000,000 rows (${(statSync(path).size / 2 ** 20).toFixed(1)} MB CSV): ${seconds.toFixed(1)} s including persistence`);
  expect(app.offOrigin).toEqual([]);
});
