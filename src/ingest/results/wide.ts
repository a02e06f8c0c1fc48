/**
 * Task columns checked in wide form: one cast per column per row (`_imp_wide`, one chunk of
 * source rows at a time), the row's sums straight from its columns, and `task_scores` written
 * by unnesting the wide row. Only the rows with an unusual cell — not a plain number, or outside
 * 0…max — go through the long-form cells of cells.ts, which find and place their issues; most
 * rows of a million-row sheet never become cells at all.
 *
 * Used when the task scores come from task columns alone (no part-1 answer string, no part-2
 * `score(max)` string, no relabelling of sequential numbers through `tasks.seq`); otherwise every
 * row goes through cells.ts. The score of a cell is cells.ts's, in the same order of tests.
 */
import type { Connector } from '../../db/connector';
import type { RawSource } from '../read/types';
import type { ColumnMapping } from '../mapping';
import { lit, q } from '../sql';
import { cellScoreSql } from './cells';

export interface WidePlan {
  /** Builds `_imp_wide` (rows lo ≤ _row < hi of present participants) and `_imp_odd` (its rows with an unusual cell). */
  build: (lo: number, hi: number) => string;
  /** Per-row sums of the rows without an unusual cell, into `_imp_rowsum`. */
  rowSums: string;
  /** Per-(work, task) maxima of the rows without an unusual cell that have the task, into `_imp_taskmax`. */
  taskMaxima: string;
  /** `INSERT INTO task_scores` of `_imp_wide`'s rows passing `where` (on `_row`). */
  insertScores: (where: string) => string;
}

/** The participant of a task score, from the stage. */
const KEYS = 'year, procedure, subject, grade, school_id, student_id';
const f = (i: number) => `f${i}`;
const s = (i: number) => `s${i}`;
const mx = (i: number) => `m${i}`;

/**
 * The wide plan, or null when the sheet needs the long form for every row. Creates `_imp_wmax`:
 * each work's maximum per task column (the title's, else `tasks`'), as cells.ts takes it.
 */
export async function planWide(conn: Connector, raw: RawSource, taskCols: ColumnMapping[], longOnly: boolean): Promise<WidePlan | null> {
  if (longOnly || !taskCols.length) return null;
  const maxima = taskCols.map((c, i) => {
    const spec = `(SELECT max(t.max_score) FROM tasks t WHERE t.year = w.year AND t.procedure = w.procedure AND t.subject = w.subject
      AND t.grade IS NOT DISTINCT FROM w.grade AND t.task = ${lit(c.task!)})`;
    return `CAST(coalesce(CAST(${c.max == null ? 'NULL' : lit(c.max)} AS DOUBLE), ${spec}) AS DOUBLE) AS ${mx(i)}`;
  });
  await conn.query({ type: 'exec', sql: `CREATE OR REPLACE TEMP TABLE _imp_wmax AS SELECT w.*, ${maxima.join(', ')} FROM _imp_works w` });
  const n = taskCols.length;
  const idx = [...Array(n).keys()];
  const tasksList = `[${taskCols.map((c) => lit(c.task!)).join(', ')}]`;

  const build = (lo: number, hi: number) => {
    const casts = taskCols.map((c, i) => `r.${q(c.column)} AS v${i}, TRY_CAST(r.${q(c.column)} AS DOUBLE) AS ${f(i)}`).join(', ');
    // A cell is unusual when it is there (not NULL) and its plain cast is not a number in 0…max.
    const odd = idx.map((i) => `(v${i} IS NOT NULL AND (${f(i)} IS NULL OR ${f(i)} < 0 OR coalesce(${f(i)} > ${mx(i)}, false)))`).join(' OR ');
    return `CREATE OR REPLACE TEMP TABLE _imp_wide AS
      SELECT _row, _w, ${KEYS}, ${idx.map((i) => `${cellScoreSql(`v${i}`, f(i))} AS ${s(i)}`).join(', ')}, (${odd}) AS _odd
      FROM (SELECT r._row, x._w, ${KEYS.split(', ').map((k) => `st.${k}`).join(', ')}, ${idx.map((i) => `x.${mx(i)}`).join(', ')}, ${casts}
            FROM raw.${q(raw.table)} r JOIN _imp_stage st ON st._row = r._row AND NOT st._absent
            JOIN _imp_wmax x ON x.year IS NOT DISTINCT FROM st.year AND x.procedure IS NOT DISTINCT FROM st.procedure
              AND x.subject IS NOT DISTINCT FROM st.subject AND x.grade IS NOT DISTINCT FROM st.grade
            WHERE r._row >= ${lo} AND r._row < ${hi} AND st._row >= ${lo} AND st._row < ${hi});
      CREATE OR REPLACE TEMP TABLE _imp_odd AS SELECT _row FROM _imp_wide WHERE _odd`;
  };

  // In a row without an unusual cell every present cell is a plain number: a cell is a non-NULL score.
  const has = (i: number) => `(${s(i)} IS NOT NULL)`;
  const nCells = idx.map((i) => `${has(i)}::INTEGER`).join(' + ');
  const nMax = idx.map((i) => `(${has(i)} AND x.${mx(i)} IS NOT NULL)::INTEGER`).join(' + ');
  const rowSums = `INSERT INTO _imp_rowsum
    SELECT _row, task_sum, n, n_max, CASE WHEN n_max > 0 THEN max_sum END FROM (
      SELECT w._row, ${idx.map((i) => `coalesce(${s(i)}, 0)`).join(' + ')} AS task_sum, ${nCells} AS n, ${nMax} AS n_max,
        ${idx.map((i) => `CASE WHEN ${has(i)} THEN coalesce(x.${mx(i)}, 0) ELSE 0 END`).join(' + ')} AS max_sum
      FROM _imp_wide w JOIN _imp_wmax x USING (_w) WHERE NOT w._odd)
    WHERE n > 0`;

  const taskMaxima = `INSERT INTO _imp_taskmax
    SELECT x.year, x.procedure, x.subject, x.grade, t.task, t.ord, NULL, [${idx.map((i) => `x.${mx(i)}`).join(', ')}][t.ord + 1], NULL, t.lvl
    FROM (SELECT _w, unnest([${idx.map((i) => `count(${s(i)}) > 0`).join(', ')}]) AS present, unnest(range(${n})) AS ord
          FROM _imp_wide WHERE NOT _odd GROUP BY _w) p
    JOIN (VALUES ${taskCols.map((c, i) => `(${i}, ${lit(c.task!)}, ${lit(c.level ?? null)})`).join(', ')}) t(ord, task, lvl) ON t.ord = p.ord
    JOIN _imp_wmax x ON x._w = p._w
    WHERE p.present`;

  // Cells in row order, each row's in column order, as the long form's unpivot gives them; blank
  // cells are not cells. The wide row carries its participant: no join of millions of cells.
  const insertScores = (where: string) => `INSERT INTO task_scores (${KEYS}, task, score)
    SELECT ${KEYS}, ${tasksList}[i + 1], score
    FROM (SELECT ${KEYS}, unnest([${idx.map(s).join(', ')}]) AS score, unnest(range(${n})) AS i FROM _imp_wide WHERE ${where})
    WHERE score IS NOT NULL`;
  return { build, rowSums, taskMaxima, insertScores };
}
