/**
 * exportView: the one CSV/XLSX writer of a grid's rows (the page's fallback and the table-export
 * worker call it). Expected files are written out by hand from the raw values below.
 */
import { expect, test } from 'vitest';
import { Float64, Utf8, tableFromArrays, tableFromIPC, tableToIPC, vectorFromArray, Table } from 'apache-arrow';
import * as XLSX from 'xlsx';
import { exportView, type ViewExportOptions } from '../../../src/export/view';
import { toCsv } from '../../../src/export/csv';
import { PLAIN_VIEW } from '../../../src/ui/grid';

const NAMES = new Map([
  ['220001', 'Лицей № 1'],
  ['220002', 'СОШ № 2'],
  ['220003', 'Гимназия № 3'],
]);

const TABLE = () =>
  new Table({
    school_id: vectorFromArray(['220002', '220001', '220003', null], new Utf8()),
    subject: vectorFromArray(['Математика', 'Русский язык', 'Математика', '=HYPERLINK("x")'], new Utf8()),
    half: vectorFromArray([10.5, 7, 12.25, null], new Float64()),
  });

const csvText = (bytes: Uint8Array) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
const opts = (o: Partial<ViewExportOptions>): ViewExportOptions => ({ format: 'csv', view: PLAIN_VIEW, sheet: 'Данные', decimalComma: true, ...o });

test('CSV of a searched and sorted grid: kept rows in the grid order, titles, school names, decimal commas', async () => {
  const { bytes, written } = await exportView(TABLE(), opts({ view: { query: 'математ', sort: { column: 2, dir: 'desc' } } }), NAMES);
  expect(written).toBe(2);
  expect(csvText(bytes)).toBe('\ufeffОО;Наименование ОО;Предмет;half\r\n220003;Гимназия № 3;Математика;12,25\r\n220002;СОШ № 2;Математика;10,5\r\n');
});

test('CSV of the plain grid: every row as it came, formulas neutralised, empty values empty, decimal point on request', async () => {
  const { bytes, written } = await exportView(TABLE(), opts({ decimalComma: false }), NAMES);
  expect(written).toBe(4);
  expect(csvText(bytes)).toBe(
    '\ufeffОО;Наименование ОО;Предмет;half\r\n220002;СОШ № 2;Математика;10.5\r\n220001;Лицей № 1;Русский язык;7\r\n220003;Гимназия № 3;Математика;12.25\r\n;;"\'=HYPERLINK(""x"")";\r\n',
  );
});

test('ascending sort puts empty values last; XLSX holds the same rows with real numbers', async () => {
  const { bytes } = await exportView(TABLE(), opts({ format: 'xlsx', view: { query: '', sort: { column: 2, dir: 'asc' } } }), NAMES);
  const wb = XLSX.read(bytes, { type: 'array' });
  expect(wb.SheetNames).toEqual(['Данные']);
  const rows = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets['Данные']!, { header: 1, defval: null });
  expect(rows).toEqual([
    ['ОО', 'Наименование ОО', 'Предмет', 'half'],
    ['220001', 'Лицей № 1', 'Русский язык', 7],
    ['220002', 'СОШ № 2', 'Математика', 10.5],
    ['220003', 'Гимназия № 3', 'Математика', 12.25],
    [null, null, '=HYPERLINK("x")', null],
  ]);
});

test('a table sent as Arrow IPC pieces (as the page sends it to the worker) writes the same bytes', async () => {
  const n = 1000;
  const t = tableFromArrays({
    school_id: Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : `22000${i % 4}`)),
    score: Float64Array.from({ length: n }, (_, i) => (i * 37) % 101 / 4),
  });
  const pieces = [0, 300, 600, 900].map((i) => tableFromIPC(tableToIPC(t.slice(i, i + 300), 'stream')));
  const joined = pieces[0]!.concat(...pieces.slice(1));
  expect(joined.numRows).toBe(n);
  const view = { query: '22000', sort: { column: 1, dir: 'desc' as const } };
  const a = await exportView(t, opts({ view }), NAMES);
  const b = await exportView(joined, opts({ view }), NAMES);
  expect(b.written).toBe(t.toArray().filter((r) => r.school_id !== null).length);
  expect(Buffer.from(b.bytes).equals(Buffer.from(a.bytes))).toBe(true);
});

test('progress rises from 0 to 1, with steps while rows are written', async () => {
  const seen: number[] = [];
  const t = tableFromArrays({ v: Float64Array.from({ length: 500 }, (_, i) => i / 3) });
  await exportView(t, opts({}), NAMES, (f) => seen.push(f));
  expect(seen[0]).toBe(0);
  expect(seen.at(-1)).toBe(1);
  expect(seen.every((f, i) => i === 0 || f >= seen[i - 1]!)).toBe(true);
  expect(seen.filter((f) => f > 0.3 && f < 1).length).toBeGreaterThan(10);
});

test('the CSV writer reports the share of rows written', () => {
  const seen: number[] = [];
  const rows = Array.from({ length: 100 }, (_, i) => ({ i }));
  toCsv({ columns: [{ name: 'i', kind: 'integer' }], rows }, { progress: (f) => seen.push(f) });
  expect(seen.length).toBe(50);
  expect(seen.at(-1)).toBe(1);
});
