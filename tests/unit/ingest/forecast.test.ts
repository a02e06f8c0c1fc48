import { afterAll, beforeAll, expect, test } from 'vitest';
import { NodeConnector } from '../../../src/db/node-connector';
import { applyMapping, ensureCanonicalTables } from '../../../src/ingest/apply';
import { forecastImport } from '../../../src/ingest/forecast';
import { proposeMapping } from '../../../src/ingest/mapping';
import { CANONICAL_TABLE_NAMES } from '../../../src/model/contract';
import { makeRaw } from './raw-helper';

let conn: NodeConnector;
beforeAll(async () => {
  conn = await NodeConnector.open();
  await ensureCanonicalTables(conn);
  await conn.query({ type: 'exec', sql: `INSERT INTO schools (year, school_id, name) VALUES (2022, '220001', 'Школа 1')` });
});
afterAll(() => conn.close());

const headers = ['Пользователь', 'Школа', 'Код', 'Вариант', '1 (1б)', '2 (2б)', 'Наименование класса', 'Итого баллов'];
// Codes restart per school; edu220002 is not in `schools`.
const rows = [
  ['edu220001', 'edu220001 | МБОУ СОШ №1', '40001', '1', '1', '2', '5а', '3'],
  ['edu220001', 'edu220001 | МБОУ СОШ №1', '40002', '2', '0', '1', '5а', '1'],
  ['edu220002', 'edu220002 | МБОУ СОШ №2', '40001', '1', '1', '1', '5б', '2'],
  ['edu220002', 'edu220002 | МБОУ СОШ №2', '40002', '2', '0', '0', '5б', '0'],
  ['edu220001', 'edu220001 | МБОУ СОШ №1', '40001', '1', '1', '2', '5а', '3'],
  ['edu220002', 'edu220002 | МБОУ СОШ №2', '40003', 'отсутствовал', null, null, '5б', null],
  ['edu220001', 'edu220001 | МБОУ СОШ №1', '40004', '1', '1', '2', '5а', '9'],
];

const counts = async () => {
  const out: Record<string, number> = {};
  for (const t of CANONICAL_TABLE_NAMES) out[t] = Number((await conn.query({ type: 'rows', sql: `SELECT count(*) AS n FROM ${t}` }))[0]!.n);
  return out;
};

test('the forecast counts what the import will do, per rule, without writing a canonical table', async () => {
  const raw = await makeRaw(conn, 'ВПР 2022 Математика 5 класс.xlsx', headers, rows, { sheet: 'Протокол' });
  const m = proposeMapping(raw);
  expect(m.layout).toBe('vpr-protocol');
  const before = await counts();
  const fc = await forecastImport(conn, raw, m, { salt: 's' });
  expect(await counts()).toEqual(before);

  // By hand: 7 rows; row 6 absent; row 5 repeats school 1 + 40001 (duplicate); row 7 total 9 > 1 + 2.
  // Rows 3–4 reuse codes 40001/40002 in school 2: two more participants, not duplicates.
  expect({ rows: fc.rows, absent: fc.absent, excluded: fc.excluded, willLoad: fc.willLoad }).toEqual({ rows: 7, absent: 1, excluded: 2, willLoad: 4 });
  expect(fc.rules.map((r) => [r.code, r.count, r.rows, Math.round(r.share * 1000) / 1000, !!r.warning])).toEqual([
    ['absent', 1, 0, 0, false],
    ['total_out_of_range', 1, 1, 0.143, true],
    ['duplicate', 1, 1, 0.143, true],
    ['school_added', 1, 0, 0, false],
  ]);
  expect(fc.rules.find((r) => r.code === 'duplicate')!.warning!.fix).toContain('школа + код');
  expect(fc.rules.find((r) => r.code === 'duplicate')!.title).toBe('Повтор участника (та же ОО и тот же код в одной работе)');
  expect(fc.schoolsToAdd).toEqual([{ year: 2022, school_id: '220002', name: 'МБОУ СОШ №2', municipality: null }]);
  const code = fc.samples.find((s) => s.header === 'Код')!;
  expect(code).toEqual({ column: 'c3', header: 'Код', field: 'student_id', values: ['40001', '40002', '40003', '40004'] });
  expect(fc.samples.find((s) => s.header === 'Итого баллов')!.values).toEqual(['3', '1', '2', '0', '9']);

  // The import then does exactly what was forecast.
  const report = await applyMapping(conn, raw, m, { salt: 's' });
  expect(report.written.assessment_results).toBe(fc.willLoad);
  expect(report.excludedRows).toBe(fc.excluded);
  expect(report.schoolsAdded).toBe(1);
  const ar = await conn.query({ type: 'rows', sql: `SELECT school_id, student_id FROM assessment_results ORDER BY school_id, student_id` });
  expect(ar.map((r) => `${r.school_id}/${r.student_id}`)).toEqual(['220001/40001', '220001/40002', '220002/40001', '220002/40002']);

  // Importing the same sheet again: every participant is a duplicate — red, with the fix.
  const again = await forecastImport(conn, raw, m, { salt: 's' });
  const dup = again.rules.find((r) => r.code === 'duplicate')!;
  expect([dup.rows, again.willLoad]).toEqual([5, 0]);
  expect(dup.warning!.cause).toContain('уже загружен');
});
