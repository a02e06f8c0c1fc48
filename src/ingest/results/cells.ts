/**
 * Task cells of a results sheet in long form (`_imp_cells`): wide task columns, part-1 answer
 * characters and part-2 `score(max)` pairs, each with its maximum (from the title, the string
 * or `tasks`), the not-attempted flag and the numeric score. Built per chunk of source rows so
 * that a million participants × twenty tasks never sit in one temporary table.
 */
import type { Connector } from '../../db/connector';
import type { RawSource } from '../read/types';
import { ROLE_TASK, type ColumnMapping, type Mapping } from '../mapping';
import { lit, q, txt } from '../sql';
import { fieldCol, hasColumn } from '../tables';

/** Task cells per chunk of the unpivot: bounds the temporary tables of a million-row sheet. */
export const CELLS_PER_CHUNK = 1_000_000;

export interface CellPlan {
  /** `CREATE OR REPLACE TEMP TABLE _imp_cells` for source rows lo ≤ _row < hi (and, with `only`, in that table's `_row`). */
  sql: (lo: number, hi: number, only?: string) => string;
  chunks: [number, number][];
  /** SQL giving the source column title of a cell alias `c` (part strings share one title each). */
  colOf: (alias: string) => string;
  hasCells: boolean;
  /**
   * `INSERT INTO task_scores` of the cells (alias c) of rows lo ≤ _row < hi passing `where`. In the
   * order the cells are built when they come from one source (task columns, or one answer
   * string): the unpivot keeps the scan's order, so no sort of millions of cells is needed.
   */
  insertScores: (lo: number, hi: number, where: string) => string;
  /** The task columns, and whether the scores also come from answer strings or are relabelled by `tasks.seq` (then no wide form: wide.ts). */
  taskCols: ColumnMapping[];
  longOnly: boolean;
}

/**
 * A cell carries only its source row and its work (`_w`, a row of `_imp_works`): the participant
 * is joined from the stage when scores are written. Carrying the six key columns through the
 * unpivot made each chunk's table several times wider (100k rows: ≈ 3× the time to build it).
 */
const W = '_w';

/** A cell's text trimmed, non-breaking spaces too. */
export const trimmedCell = (v: string) => `trim(replace(${v}, chr(160), ' '))`;
const notAttemptedSql = (tv: string) => `(upper(${tv}) IN ('X', 'Х') OR lower(${tv}) LIKE 'не пройд%')`;

/**
 * A task cell's score from its text `v` and its plain cast `f` (the one place of the rule, for the
 * long form here and the wide form of wide.ts): the cast where it reads a number; else X / «не
 * пройд.» → 0, `+` → 1, `-` → 0 where `dashIsZero` (part 1), a decimal comma; NULL otherwise.
 */
export function cellScoreSql(v: string, f: string, dashIsZero?: string): string {
  const tv = trimmedCell(v);
  return `CASE WHEN ${f} IS NOT NULL THEN ${f}
             WHEN ${notAttemptedSql(tv)} THEN 0
             WHEN ${tv} = '+' THEN 1${dashIsZero ? ` WHEN ${tv} = '-' AND ${dashIsZero} THEN 0` : ''}
             ELSE TRY_CAST(replace(${tv}, ',', '.') AS DOUBLE) END`;
}

const EMPTY_CELLS = `SELECT NULL::INTEGER AS _row, NULL::INTEGER AS _w, NULL::VARCHAR AS task, NULL::VARCHAR AS val, NULL::DOUBLE AS mx, NULL::VARCHAR AS part, 0 AS ord, false AS sq WHERE false`;

function sourceCells(m: Mapping, rows: string): string {
  const taskCols = m.columns.filter((c) => c.field === ROLE_TASK && c.task);
  const p1 = fieldCol(m, 'part1');
  const p2 = fieldCol(m, 'part2');
  const parts: string[] = [];
  if (taskCols.length) {
    const values = taskCols
      .map((c, i) => `(${lit(c.task!)}, ${c.max == null ? 'NULL' : lit(c.max)}, ${lit(c.level ?? null)}, ${i}, ${c.sequential ? 'true' : 'false'})`)
      .join(', ');
    // Two unnests of one SELECT run side by side: each value with its column's position (as UNPIVOT
    // does, empty cells dropped), joined to the column's task by that integer, not by its title.
    parts.push(`SELECT u._row, t.task, u.val, CAST(t.mx AS DOUBLE) AS mx, NULL AS part, t.ord AS ord, t.sq AS sq, u.${W}
      FROM (SELECT _row, ${W}, unnest([${taskCols.map((c) => q(c.column)).join(', ')}]) AS val, unnest(range(${taskCols.length})) AS i FROM ${rows}) u
      JOIN (VALUES ${values}) t(task, mx, lvl, ord, sq) ON t.ord = u.i
      WHERE u.val IS NOT NULL`);
  }
  const p1len = p1 ? `coalesce(length(${txt(`s.${q(p1)}`)}), 0)` : '0';
  if (p1) {
    parts.push(`SELECT _row, CAST(i AS VARCHAR) AS task, substr(s, i, 1) AS val, NULL AS mx, '1' AS part, 1000 + i AS ord, false AS sq, ${W}
      FROM (SELECT _row, ${W}, s, unnest(range(1, length(s) + 1)) AS i FROM (SELECT _row, ${W}, ${txt(q(p1))} AS s FROM ${rows}) WHERE s IS NOT NULL)`);
  }
  if (p2) {
    const re = `'([^()]*)\\((\\d+)\\)'`;
    parts.push(`SELECT _row, CAST(n1 + k AS VARCHAR) AS task, trim(sc) AS val, CAST(mx AS DOUBLE) AS mx, '2' AS part, 2000 + k AS ord, false AS sq, ${W}
      FROM (SELECT _row, ${W}, n1, unnest(regexp_extract_all(s2, ${re}, 1)) AS sc, unnest(regexp_extract_all(s2, ${re}, 2)) AS mx,
                   unnest(range(1, len(regexp_extract_all(s2, ${re}, 1)) + 1)) AS k
            FROM (SELECT s._row, s._w, ${p1len} AS n1, ${txt(`s.${q(p2)}`)} AS s2 FROM ${rows} s) WHERE s2 IS NOT NULL)`);
  }
  return parts.length ? parts.join('\nUNION ALL\n') : EMPTY_CELLS;
}

export async function planCells(conn: Connector, raw: RawSource, m: Mapping, chunkCells?: number): Promise<CellPlan> {
  const taskCols = m.columns.filter((c) => c.field === ROLE_TASK && c.task);
  const p1 = fieldCol(m, 'part1');
  const p2 = fieldCol(m, 'part2');
  // `балл за N` counts tasks in sequence; the КИМ spec's `№` (kept as tasks.seq) gives the printed number.
  const sources = [taskCols.length > 0, !!p1, !!p2].filter(Boolean).length;
  const hasSeq = taskCols.some((c) => c.sequential) && (await hasColumn(conn, 'tasks', 'seq'));
  const sql = (lo: number, hi: number, only?: string) => {
    // Present participants of the chunk, with their work; absent ones have no cells.
    const rows = `(SELECT r.*, w._w AS ${W}
      FROM raw.${q(raw.table)} r JOIN _imp_stage s ON s._row = r._row AND NOT s._absent
      JOIN _imp_works w ON w.year IS NOT DISTINCT FROM s.year AND w.procedure IS NOT DISTINCT FROM s.procedure
        AND w.subject IS NOT DISTINCT FROM s.subject AND w.grade IS NOT DISTINCT FROM s.grade
      WHERE r._row >= ${lo} AND r._row < ${hi}${only ? ` AND r._row IN (SELECT _row FROM ${only})` : ''})`;
    // `tasks` rows of the sheet's works, by work number.
    const workTasks = (cols: string) => `(SELECT w._w, ${cols} FROM tasks t JOIN _imp_works w ON t.year = w.year AND t.procedure = w.procedure
      AND t.subject = w.subject AND t.grade IS NOT DISTINCT FROM w.grade)`;
    const seqJoin = hasSeq ? `LEFT JOIN ${workTasks('t.seq, t.task')} sq ON c0.sq AND sq._w = c0._w AND CAST(sq.seq AS VARCHAR) = c0.task` : '';
    // Most cells are plain numbers: `f` is their score straight from a cast, and the string work
    // (trim, decimal comma, X, «не пройд.») runs only on the rest. Where that cast reads a value,
    // the trimmed, comma-replaced cast reads the same number (tests/unit/ingest/results/chunks.test.ts).
    const tv = trimmedCell('c.v0');
    const na = notAttemptedSql(tv);
    return `CREATE OR REPLACE TEMP TABLE _imp_cells AS
      WITH c0 AS (${sourceCells(m, rows)}),
      c AS (
        SELECT c0._row, c0._w, ${hasSeq ? 'coalesce(sq.task, c0.task)' : 'c0.task'} AS task, c0.val AS v0, TRY_CAST(c0.val AS DOUBLE) AS f, c0.mx, c0.part, c0.ord
        FROM c0 ${seqJoin}
      )
      SELECT _row, _w, task, ord, part, mx, not_attempted, score,
        -- The text is kept only where a message needs it.
        CASE WHEN not_attempted OR score IS NULL OR score < 0 OR score > mx THEN ${trimmedCell('v0')} END AS val,
        CASE WHEN part = '1' THEN (CASE WHEN f IS NOT NULL THEN false ELSE ${trimmedCell('v0')} IN ('+', '-') END) END AS pm
      FROM (SELECT c._row, c._w, c.task, c.ord, c.part, c.v0, c.f,
        coalesce(c.mx, spec.max_score) AS mx,
        CASE WHEN c.f IS NOT NULL THEN false ELSE ${na} END AS not_attempted,
        ${cellScoreSql('c.v0', 'c.f', "c.part = '1'")} AS score
      FROM c
      LEFT JOIN ${workTasks('t.task, t.max_score')} spec ON spec._w = c._w AND spec.task = c.task
      WHERE CASE WHEN c.f IS NOT NULL THEN true ELSE ${tv} <> '' END)`;
  };
  // The sheet's works (year, procedure, subject, grade), numbered: what a cell carries.
  await conn.query({
    type: 'exec',
    sql: `CREATE OR REPLACE TEMP TABLE _imp_works AS
      SELECT CAST(row_number() OVER () AS INTEGER) AS _w, * FROM (SELECT DISTINCT year, procedure, subject, grade FROM _imp_stage)`,
  });
  /** Task scores of `_imp_cells` rows passing `where` (on alias c), with their participant from the stage. */
  const insertScores = (lo: number, hi: number, where: string) => `INSERT INTO task_scores (year, procedure, subject, grade, school_id, student_id, task, score)
    SELECT s.year, s.procedure, s.subject, s.grade, s.school_id, s.student_id, c.task, c.score
    FROM _imp_cells c JOIN (SELECT * FROM _imp_stage WHERE _row >= ${lo} AND _row < ${hi}) s ON s._row = c._row
    WHERE ${where}
    ${sources > 1 ? 'ORDER BY c._row, c.ord' : ''}`;

  const names = [
    ...taskCols.map((c, i) => `(${i}, ${lit(c.header)}, ${lit(c.level ?? null)})`),
    ...(p1 ? [`(1000, ${lit(m.columns.find((c) => c.column === p1)!.header)}, NULL)`] : []),
    ...(p2 ? [`(2000, ${lit(m.columns.find((c) => c.column === p2)!.header)}, NULL)`] : []),
  ];
  await conn.query({
    type: 'exec',
    sql: `CREATE OR REPLACE TEMP TABLE _imp_colnames AS SELECT * FROM (${names.length ? `VALUES ${names.join(', ')}` : 'SELECT 0, NULL::VARCHAR, NULL::VARCHAR WHERE false'}) v(ord, col, lvl)`,
  });
  const colOf = (c: string) => `(SELECT col FROM _imp_colnames n WHERE n.ord = CASE WHEN ${c}.ord >= 2000 THEN 2000 WHEN ${c}.ord >= 1000 THEN 1000 ELSE ${c}.ord END)`;

  const [bounds] = await conn.query({ type: 'rows', sql: `SELECT min(_row) AS lo, max(_row) AS hi FROM _imp_stage` });
  const firstRow = Number(bounds?.lo ?? 0);
  const lastRow = Number(bounds?.hi ?? -1);
  const cellsPerRow = Math.max(1, taskCols.length + (p1 ? 40 : 0) + (p2 ? 10 : 0));
  const step = Math.max(1, Math.floor((chunkCells ?? CELLS_PER_CHUNK) / cellsPerRow));
  const chunks: [number, number][] = [];
  for (let lo = firstRow; lo <= lastRow; lo += step) chunks.push([lo, lo + step]);
  return { sql, chunks, colOf, hasCells: sources > 0, insertScores, taskCols, longOnly: !!p1 || !!p2 || hasSeq };
}
