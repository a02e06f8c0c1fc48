/**
 * Grid exports follow what the user sees (issue #13): sort a result by a header, search it, and
 * the CSV/XLSX hold every row of the whole result the search keeps, in the grid's order, with the
 * Russian titles; the status line says which rows were written. Expected rows are computed here
 * in plain TypeScript from the result's raw rows (and from the demo's CSV for a whole table).
 */
import { readFileSync } from 'node:fs';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as XLSX from 'xlsx';
import type { AppSession } from './harness';
import { notebookIdle, sql } from './app-helpers';
import { cell, openNotebookApp, openTrusted } from './notebook-helpers';

const RESULT_SQL = `SELECT school_id, procedure, subject, grade, student_id, mark, primary_score / 2 AS "Половина балла"
FROM assessment_results WHERE year = 2024 ORDER BY procedure, subject, grade, school_id, student_id`;
const NOTEBOOK = `---\ntitle: Выгрузка\n---\n\n\`\`\`sql id=r name=r\n${RESULT_SQL}\n\`\`\`\n`;

interface ResultRow { school_id: string; procedure: string; subject: string; grade: number; student_id: string; mark: number | null; 'Половина балла': number | null }

let app: AppSession;
beforeAll(async () => {
  app = await openNotebookApp();
  await openTrusted(app.page, NOTEBOOK);
  await notebookIdle(app.page);
  await cell(app.page, 'r').getByTestId('cell-table').locator('.rt-row').first().waitFor();
}, 180_000);
afterAll(() => app?.close());

async function download(button: Locator): Promise<Uint8Array> {
  const [dl] = await Promise.all([app.page.waitForEvent('download', { timeout: 60_000 }), button.click()]);
  return new Uint8Array(readFileSync((await dl.path())!));
}

/** CSV bytes → header and rows of fields (the export's `;`, CRLF, BOM; no field here holds a `;` or a quote). */
function parseCsv(bytes: Uint8Array): { header: string[]; rows: string[][] } {
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  expect(text.startsWith('\ufeff')).toBe(true);
  const [header, ...rows] = text.slice(1).replace(/\r\n$/, '').split('\r\n').map((l) => l.split(';'));
  return { header: header!, rows };
}

const spaces = (s: string | null) => (s ?? '').replace(/[\u00a0\u202f]/g, ' ');
/** Stable sort by mark, descending, empty marks last: the order the grid shows after two clicks on «Отметка». */
const byMarkDesc = (rows: ResultRow[]) =>
  rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.mark === null || b.r.mark === null ? (a.r.mark === null ? 1 : 0) - (b.r.mark === null ? 1 : 0) || a.i - b.i : b.r.mark - a.r.mark || a.i - b.i))
    .map((x) => x.r);
/** A result row as the CSV writes it (school name column checked apart). */
const csvFields = (r: ResultRow) => [r.school_id, r.procedure, r.subject, String(r.grade), String(r.student_id), r.mark === null ? '' : String(r.mark), String(r['Половина балла']).replace('.', ',')];
const withoutName = (fields: string[]) => [fields[0]!, ...fields.slice(2)];

test('a sorted and searched result exports every row the search keeps, in the grid order, with Russian titles', async () => {
  const { page } = app;
  const result = (await sql(page, RESULT_SQL)) as unknown as ResultRow[];
  expect(result.length).toBeGreaterThan(1000);
  const grid = cell(page, 'r').getByTestId('cell-table');
  const bar = cell(page, 'r').getByTestId('table-export');
  const header = grid.locator('.rt-head[data-column="mark"]');
  await header.click();
  await header.click();
  expect(await header.getAttribute('data-sort')).toBe('desc');
  await grid.getByTestId('grid-search').fill('математ');

  // No school name, procedure or number contains «математ»: the search keeps the mathematics subjects only.
  const kept = byMarkDesc(result.filter((r) => r.subject.toLowerCase().includes('математ')));
  expect(new Set(kept.map((r) => r.subject))).toEqual(new Set(['Математика', 'Математика (базовая)', 'Математика (профильная)', 'Математическая грамотность']));
  expect(kept.some((r) => r.mark === null)).toBe(true);

  const csv = parseCsv(await download(bar.getByTestId('export-csv')));
  expect(csv.header).toEqual(['ОО', 'Наименование ОО', 'Процедура', 'Предмет', 'Класс', 'Код участника', 'Отметка', 'Половина балла']);
  expect(csv.rows.map(withoutName)).toEqual(kept.map(csvFields));
  expect(csv.rows.find((r) => r[0] === '220001')?.[1]).toContain('Лицей № 1');
  // Decimal commas by default: a half score of an odd primary score.
  expect(csv.rows.some((r) => /^\d+,5$/.test(r[7]!))).toBe(true);
  const total = result.length.toLocaleString('ru-RU');
  expect(spaces(await bar.getByTestId('export-status').textContent())).toBe(
    spaces(`CSV: Выгружено: ${kept.length.toLocaleString('ru-RU')} из ${total} строк — с учётом поиска «математ», по столбцу «Отметка», по убыванию`),
  );

  // The grid shows the same first rows.
  const shown = () =>
    grid.locator('.rt-row').evaluateAll((rows) =>
      (rows as HTMLElement[]).sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index)).slice(0, 5).map((r) => r.querySelectorAll('.rt-cell')[5]!.textContent),
    );
  await expect.poll(shown).toEqual(kept.slice(0, 5).map((r) => String(r.student_id)));

  const xlsx = XLSX.read(await download(bar.getByTestId('export-xlsx')), { type: 'array' });
  const sheet = XLSX.utils.sheet_to_json<Record<string, unknown>>(xlsx.Sheets[xlsx.SheetNames[0]!]!, { defval: null });
  expect(sheet.map((r) => [String(r['Код участника']), r['Предмет'], r['Отметка']])).toEqual(kept.map((r) => [String(r.student_id), r.subject, r.mark]));

  // «все строки» writes the whole result past the search, still in the grid's order.
  await bar.getByTestId('export-every-row').check();
  const all = parseCsv(await download(bar.getByTestId('export-csv')));
  expect(all.rows.map(withoutName)).toEqual(byMarkDesc(result).map(csvFields));
  expect(spaces(await bar.getByTestId('export-status').textContent())).toBe(
    spaces(`CSV: Выгружено: ${total} строк — все строки, без учёта поиска «математ», по столбцу «Отметка», по убыванию`),
  );
  await bar.getByTestId('export-every-row').uncheck();
  await grid.getByTestId('grid-search').fill('');
  expect(await bar.getByTestId('export-every-row').count()).toBe(0);
  expect(app.offOrigin).toEqual([]);
});

test('a whole table of the data panel exports in the order and search of its 1000-row preview', async () => {
  const { page } = app;
  await page.locator('[data-testid="table-item-assessment_results"] button.table-name').click();
  const view = page.locator('[data-testid=data-preview][data-table=assessment_results]');
  await view.locator('.rt-row').first().waitFor();
  await view.locator('.rt-head[data-column="primary_score"]').click();
  await view.getByTestId('grid-search').fill('220003');

  // The demo's own file, read here: the rows of school 220003 of every year, by primary score.
  const lines = readFileSync('datasets/demo/canonical/assessment_results.csv', 'utf8').trim().split('\n');
  const cols = lines[0]!.split(',');
  const at = (name: string) => cols.indexOf(name);
  const school = lines.slice(1).map((l) => l.split(',')).filter((c) => c[at('school_id')] === '220003');
  expect(school.length).toBeGreaterThan(1000 / 10);
  const scores = school.map((c) => c[at('primary_score')]!).filter((s) => s !== '').map(Number).sort((a, b) => a - b);
  const empty = school.filter((c) => c[at('primary_score')] === '').length;

  const csv = parseCsv(await download(view.getByTestId('export-csv')));
  const score = csv.header.indexOf('Первичный балл');
  expect(csv.rows.length).toBe(school.length);
  expect(new Set(csv.rows.map((r) => r[csv.header.indexOf('ОО')]))).toEqual(new Set(['220003']));
  expect(csv.rows.map((r) => r[score]!)).toEqual([...scores.map((s) => String(s).replace('.', ',')), ...Array<string>(empty).fill('')]);
  expect(Number((await sql(page, 'SELECT count(*) AS n FROM assessment_results'))[0]!.n)).toBeGreaterThan(1000 + school.length);
  expect(app.offOrigin).toEqual([]);
});
