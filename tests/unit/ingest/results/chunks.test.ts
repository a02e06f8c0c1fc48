/**
 * Task cells are built once per chunk and each chunk's scores are written as it is checked; a row
 * whose exclusion depends on other rows (a repeated participant) waits until every rule ran. The
 * result must not depend on the chunk size: one row per chunk gives what one chunk gives, and both
 * equal scores computed here from the raw rows. The same for the stage written in slices.
 */
import { afterEach, expect, test } from 'vitest';
import { NodeConnector } from '../../../../src/db/node-connector';
import { importMath, writtenScores } from './math-import';

const headers = [
  'логин школы', 'регион', 'номер обучающегося', 'код обучающегося', 'отметка за предыдущую четверть/триместр', 'пол', 'класс',
  'вариант', 'всего баллов', 'балл за 1', 'балл за 2', 'балл за 3', 'Учебник', 'Др.уч. автор/название',
];
const row = (school: string, n: number, code: string, total: string, t: [string, string, string]) =>
  [school, 'Район', String(n), code, '4', 'м', '4а', '1', total, ...t, 'Моро', null];
const rows = [
  row('sch220001', 1, '20001', '3', ['1', 'абв', '2']), // excluded: bad_value
  row('sch220001', 2, '20002', '3', ['1', '1', '1']),
  row('sch220001', 3, '20002', '6', ['2', '2', '2']), // excluded: the same participant again
  row('sch220001', 4, '20001', '1', ['0', '1', '0']), // kept: its first row is excluded
  row('sch220002', 5, '20001', '3', ['1', 'X', '2']), // kept: the same code in another school
  row('sch220002', 6, '20004', '3,5', [' 0', '1,5', '2\u00a0']),
  row('sch220002', 7, '20005', '5', ['1', '1', '3']), // excluded: task 3 above its maximum 2
];
const excluded = new Set([0, 2, 6]);

/** Scores from the raw text by the README's rules: X → 0, decimal comma, spaces around. */
const score = (v: string) => (/^[XxХх]$/.test(v.trim()) ? 0 : Number(v.replace('\u00a0', ' ').trim().replace(',', '.')));
const expected = rows
  .flatMap((r, i) => (excluded.has(i) ? [] : [9, 10, 11].map((k, t) => `${String(r[0]).slice(3)}|${r[3]}|${t + 1}|${score(String(r[k]))}`)))
  .sort();

let conn: NodeConnector | undefined;
afterEach(async () => conn?.close());

async function importWith(chunkCells?: number, stageRows?: number) {
  const run = await importMath({ 4: [2, 2, 2] }, headers, rows, { chunkCells, stageRows });
  conn = run.conn;
  expect(run.mapping.layout).toBe('vpr-regional');
  const issues = (await conn.query({ type: 'rows', sql: `SELECT "row", code FROM import_issues ORDER BY "row", code` })).map((r) => `${r.row}:${r.code}`);
  const results = (await conn.query({ type: 'rows', sql: `SELECT school_id || '|' || student_id AS k FROM assessment_results ORDER BY 1` })).map((r) => String(r.k));
  return { report: run.report, scores: await writtenScores(conn), issues, results };
}

test('one row per chunk writes exactly what one chunk writes, and what the raw rows say', async () => {
  const one = await importWith();
  await conn!.close();
  conn = undefined;
  const many = await importWith(3);
  expect(one.scores).toEqual(expected);
  expect(many.scores).toEqual(expected);
  expect(many.issues).toEqual(one.issues);
  expect(one.issues).toEqual(['2:bad_value', '3:school_added', '4:duplicate', '6:not_attempted', '6:school_added', '8:task_out_of_range']);
  expect(many.results).toEqual(one.results);
  expect(one.results).toEqual(['220001|20001', '220001|20002', '220002|20001', '220002|20004']);
  expect(many.report.written.task_scores).toBe(expected.length);
  expect(one.report.written.task_scores).toBe(expected.length);
  expect(many.report.excludedRows).toBe(3);
});

test('the stage written two source rows at a time gives what one statement gives', async () => {
  const one = await importWith();
  const [n] = await conn!.query({ type: 'rows', sql: `SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_name = '_imp_stage'` });
  // Dropped after the import: never left in the data list.
  expect(n).toEqual({ n: 0 });
  await conn!.close();
  conn = undefined;
  const sliced = await importWith(undefined, 2);
  expect(sliced.scores).toEqual(expected);
  expect(sliced.issues).toEqual(one.issues);
  expect(sliced.results).toEqual(one.results);
  expect(sliced.report).toEqual(one.report);
});
