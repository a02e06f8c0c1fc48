/**
 * A sheet holding several works (here a grade column): each task cell carries its work number
 * (`_imp_works`), so the task maxima come from that work's `tasks` rows and each score is written
 * with its own row's work and participant. Expected values are worked out here from the raw rows.
 */
import { afterEach, expect, test } from 'vitest';
import { NodeConnector } from '../../../../src/db/node-connector';
import { importMath, writtenScores } from './math-import';

const headers = ['логин школы', 'код обучающегося', 'параллель', 'класс', 'всего баллов', 'балл за 1', 'балл за 2', 'балл за 3'];
const rows: (string | null)[][] = [
  ['sch220001', '1', '4', '4а', '6', '2', '2', '2'], // grade 4: maxima 2, kept
  ['sch220001', '2', '5', '5а', '4', '2', '1', '1'], // grade 5: task 1 above its maximum 1, excluded
  ['sch220001', '3', '5', '5а', '2', '1', '1', '0'], // grade 5, kept
  ['sch220002', '1', '4', '4б', '3', '1', 'X', '2'], // grade 4, X scores 0, kept
  ['sch220002', '2', null, '4б', '2', '0', '2', '0'], // no grade: the file name's 4, kept
];
const MAX: Record<string, number> = { '4': 2, '5': 1 };
const gradeOf = (r: (string | null)[]) => r[2] ?? '4';
const scoreOf = (v: string) => (v === 'X' ? 0 : Number(v));

/** The rows no rule excludes: every task score within its work's maximum. */
const kept = rows.filter((r) => r.slice(5).every((v) => scoreOf(v!) <= MAX[gradeOf(r)]));
const expectedScores = kept
  .flatMap((r) => r.slice(5).map((v, t) => `${gradeOf(r)}|${r[0]!.slice(3)}|${r[1]}|${t + 1}|${scoreOf(v!)}`))
  .sort();

let conn: NodeConnector | undefined;
afterEach(async () => conn?.close());

async function importWith(chunkCells?: number) {
  const adjust = (m: { columns: { header: string; field: string | null }[] }) => (m.columns.find((c) => c.header === 'параллель')!.field = 'grade');
  const run = await importMath({ 4: [2, 2, 2], 5: [1, 1, 1] }, headers, rows, { chunkCells, adjust });
  conn = run.conn;
  const scores = (await conn.query({ type: 'rows', sql: `SELECT grade, school_id, student_id, task, score FROM task_scores` }))
    .map((r) => `${r.grade}|${r.school_id}|${r.student_id}|${r.task}|${Number(r.score)}`)
    .sort();
  const issues = (await conn.query({ type: 'rows', sql: `SELECT "row", "column", code FROM import_issues ORDER BY "row", code` })).map(
    (r) => `${r.row}:${r.column}:${r.code}`,
  );
  const results = (await conn.query({ type: 'rows', sql: `SELECT grade || '|' || school_id || '|' || student_id AS k FROM assessment_results ORDER BY 1` })).map(
    (r) => String(r.k),
  );
  const tasks = Number((await conn.query({ type: 'rows', sql: `SELECT count(*) AS n FROM tasks` }))[0].n);
  return { report: run.report, scores, issues, results, tasks };
}

test('each cell is checked against its own work’s maxima and written with its own row’s work', async () => {
  const one = await importWith();
  expect(one.scores).toEqual(expectedScores);
  expect(one.results).toEqual(kept.map((r) => `${gradeOf(r)}|${r[0]!.slice(3)}|${r[1]}`).sort());
  // Data rows start at line 2. The grade-5 row: 2 points for task 1 (maximum 1) and a total of 4
  // (maximum 1 + 1 + 1) — within grade 4's maxima, so a cell checked against the wrong work passes.
  expect(one.issues).toEqual([
    '2:логин школы:school_added',
    '3:балл за 1:task_out_of_range',
    '3:всего баллов:total_out_of_range',
    '5:балл за 2:not_attempted',
    '5:логин школы:school_added',
  ]);
  expect(one.report.excludedRows).toBe(1);
  expect(one.tasks).toBe(6);
  const perRow = await importWith(3);
  expect(perRow.scores).toEqual(one.scores);
  expect(perRow.issues).toEqual(one.issues);
  expect(perRow.results).toEqual(one.results);
});
