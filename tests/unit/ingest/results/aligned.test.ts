/**
 * Task scores are compacted in whole row groups (results/aligned.ts): a chunk's insert that
 * reaches the next boundary is cut there, checkpointed, and the rest written after. Here with
 * row groups of 4 and a checkpoint every 8 scores, chunks of 3 rows (9 cells) and blank and
 * excluded cells, so the cuts fall inside rows and inside chunks: every checkpoint while the
 * scores are written must find `task_scores` at 8, 16, 24… rows (counted from its start, rows
 * already there included), and the scores must still be exactly those of the raw rows. The
 * participants are written in slices of two row groups of written rows (8 here), not of source rows.
 */
import { afterEach, expect, test } from 'vitest';
import { NodeConnector } from '../../../../src/db/node-connector';
import { importMath, writtenScores } from './math-import';

const headers = ['логин школы', 'код обучающегося', 'класс', 'всего баллов', 'балл за 1', 'балл за 2', 'балл за 3'];
// Maxima 1, 2, 2. Rows 4 and 9 are excluded (a task above its maximum); blank cells are no scores.
const rows: (string | null)[][] = [
  ['sch220001', '1', '4а', '5', '1', '2', '2'],
  ['sch220001', '2', '4а', '3', '1', null, '2'],
  ['sch220001', '3', '4а', '9', '1', '2', '7'],
  ['sch220001', '4', '4а', '2', null, '2', null],
  ['sch220001', '5', '4а', '4', '0', '2', '2'],
  ['sch220002', '6', '4б', '3', '1', '0', '2'],
  ['sch220002', '7', '4б', '1', '1', null, null],
  ['sch220002', '8', '4б', '9', '5', '2', '2'],
  ['sch220002', '9', '4б', '5', '1', '2', '2'],
  ['sch220002', '10', '4б', '3', null, '1', '2'],
  ['sch220002', '11', '4б', '4', '0', '2', '2'],
  ['sch220002', '12', '4б', '2', '1', '1', null],
  ['sch220002', '13', '4б', '5', '1', '2', '2'],
];
const excluded = new Set([2, 7]);
const expected = rows
  .flatMap((r, i) => (excluded.has(i) ? [] : [4, 5, 6].flatMap((k, t) => (r[k] == null ? [] : [`${r[0]!.slice(3)}|${r[1]}|${t + 1}|${Number(r[k])}`]))))
  .sort();

let conn: NodeConnector | undefined;
afterEach(async () => conn?.close());

/** The import, recording the size of `task_scores` at every checkpoint; `tab`: a connector that cannot fork, as the tab's. */
async function importCounting(before: number, tab = false) {
  const counts: number[] = [];
  const participants: number[] = [];
  const run = await importMath({ 4: [1, 2, 2] }, headers, rows, {
    chunkCells: 9,
    ...(tab ? {} : { compactEvery: 8, rowGroup: 4 }),
    prepare: async (c) => {
      if (tab) Object.assign(c, { fork: undefined });
      if (before) {
        const values = Array.from({ length: before }, (_, i) => `(2021, 'ВПР', 'Русский язык', 4, '220009', 'r${i}', '1', 1)`);
        await c.query({ type: 'exec', sql: `INSERT INTO task_scores (year, procedure, subject, grade, school_id, student_id, task, score) VALUES ${values.join(', ')}` });
      }
      const query = c.query.bind(c);
      c.query = (async (req: Parameters<typeof query>[0]) => {
        if (req.sql.trim() === 'CHECKPOINT') {
          const [r] = await query({ type: 'rows', sql: 'SELECT (SELECT count(*) FROM task_scores) AS n, (SELECT count(*) FROM assessment_results) AS p' });
          counts.push(Number(r.n));
          participants.push(Number(r.p));
        }
        return query(req);
      }) as typeof c.query;
    },
  });
  conn = run.conn;
  expect(run.mapping.layout).toBe('vpr-regional');
  const scores = (await writtenScores(conn)).filter((s) => !s.startsWith('220009|'));
  return { counts, participants, scores, total: before + expected.length, written: run.report.written.task_scores, report: run.report };
}

test('checkpoints while task scores are written fall on whole row groups, and the scores are those of the raw rows', async () => {
  expect(expected.length).toBe(26);
  for (const before of [0, 3]) {
    const { counts, participants, scores, total, written, report } = await importCounting(before);
    expect(scores).toEqual(expected);
    expect(written).toBe(expected.length);
    // Checkpoints before the scores (the stage) see `before`; the ones after them see `total`.
    const during = counts.filter((n) => n > before && n < total);
    expect(during).toEqual([8, 16, 24]);
    // Participants in slices of two row groups (8 here): 11 are written, so one checkpoint between.
    expect(report.written.assessment_results).toBe(rows.length - excluded.size);
    expect(participants.filter((n) => n > 0 && n < 11)).toEqual([8]);
    await conn!.close();
    conn = undefined;
  }
});

test('in the tab (no fork) nothing is cut: the same scores, no checkpoint while they are written', async () => {
  const { counts, participants, scores, written } = await importCounting(0, true);
  expect(scores).toEqual(expected);
  expect(written).toBe(expected.length);
  expect(counts.filter((n) => n > 0 && n < expected.length)).toEqual([]);
  expect(participants.filter((n) => n > 0 && n < 11)).toEqual([]);
});
