/**
 * Task columns are checked in wide form and only rows with an unusual cell (not a plain number,
 * or outside 0…max) become long-form cells. Plain and unusual rows sit in the same chunks here:
 * each issue must keep its row, its column title and its message, a plain row's sums must still
 * be checked against its total, and the scores must be those of the raw text. Every expected
 * value below is written out by hand.
 */
import { afterEach, expect, test } from 'vitest';
import { NodeConnector } from '../../../../src/db/node-connector';
import { importMath, writtenScores } from './math-import';

const headers = ['логин школы', 'код обучающегося', 'класс', 'всего баллов', 'балл за 1', 'балл за 2', 'балл за 3'];
// Maxima (tasks): 1, 2, 2. Source rows are numbered from 2 (row 1 is the header).
const rows: (string | null)[][] = [
  ['sch220001', '1', '4а', '5', '1', '2', '2'], // row 2: plain, adds up
  ['sch220001', '2', '4а', '4', '1', '2', '2'], // row 3: plain, total 4 ≠ 5 (kept, total_mismatch)
  ['sch220001', '3', '4а', '6', '1', '2', '2'], // row 4: plain, total 6 above 0…5 (excluded)
  ['sch220001', '4', '4а', '3', '1', '-1', '2'], // row 5: task 2 below 0 (excluded)
  ['sch220001', '5', '4а', '2', '0', 'не пройдено', '2'], // row 6: task 2 not attempted → 0 (kept)
  ['sch220002', '6', '4б', '4', '+', '1,5', '1.5'], // row 7: + → 1, decimal comma (kept, sum 4)
  ['sch220002', '7', '4б', '3', '1', '  ', '2'], // row 8: blank task 2 is no cell (kept, sum 3)
  ['sch220002', '8', '4б', '2', '1', '1', 'б'], // row 9: task 3 not a number (excluded)
  ['sch220002', '9', '4б', '3', '1', '2,5', '0'], // row 10: task 2 above 2 (excluded)
  ['sch220002', '10', '4б', '2', '1', '1', null], // row 11: plain, task 3 empty (kept)
];

const expectedIssues = [
  '3|всего баллов|total_mismatch|Первичный балл 4 не равен сумме баллов за задания 5: оставлен балл из файла',
  '4|всего баллов|total_out_of_range|Первичный балл 6 вне диапазона 0…5',
  '5|балл за 2|task_out_of_range|Балл за задание 2 (-1) вне диапазона 0…2',
  '5|всего баллов|total_mismatch|Первичный балл 3 не равен сумме баллов за задания 2: оставлен балл из файла',
  '6|балл за 2|not_attempted|Задание 2 не выполнялось («не пройдено»): 0 баллов',
  '9|балл за 3|bad_value|Балл за задание 3 не число: «б»',
  '10|балл за 2|task_out_of_range|Балл за задание 2 (2,5) вне диапазона 0…2',
  '10|всего баллов|total_mismatch|Первичный балл 3 не равен сумме баллов за задания 3.5: оставлен балл из файла',
];

// school|participant|task|score of the kept rows (2, 3, 6, 7, 8, 11).
const expectedScores = [
  '220001|1|1|1', '220001|1|2|2', '220001|1|3|2',
  '220001|2|1|1', '220001|2|2|2', '220001|2|3|2',
  '220001|5|1|0', '220001|5|2|0', '220001|5|3|2',
  '220002|6|1|1', '220002|6|2|1.5', '220002|6|3|1.5',
  '220002|7|1|1', '220002|7|3|2',
  '220002|10|1|1', '220002|10|2|1',
].sort();

let conn: NodeConnector | undefined;
afterEach(async () => conn?.close());

async function importWith(chunkCells?: number) {
  const run = await importMath({ 4: [1, 2, 2] }, headers, rows, { chunkCells });
  conn = run.conn;
  expect(run.mapping.layout).toBe('vpr-regional');
  const issues = (
    await conn.query({ type: 'rows', sql: `SELECT "row", "column", code, message FROM import_issues WHERE code <> 'school_added' ORDER BY "row", "column", code` })
  ).map((r) => `${r.row}|${r.column}|${r.code}|${r.message}`);
  return { report: run.report, issues, scores: await writtenScores(conn) };
}

test('unusual cells among plain rows keep their row, column and message; plain rows are still summed', async () => {
  for (const chunkCells of [undefined, 9]) {
    const { report, issues, scores } = await importWith(chunkCells);
    expect(issues).toEqual(expectedIssues);
    expect(scores).toEqual(expectedScores);
    expect(report.written.assessment_results).toBe(6);
    expect(report.written.task_scores).toBe(expectedScores.length);
    expect(report.excludedRows).toBe(4);
    await conn!.close();
    conn = undefined;
  }
});
