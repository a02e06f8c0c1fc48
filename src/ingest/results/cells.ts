/**
 * Task cells of a results sheet in long form (`_imp_cells`): wide task columns, part-1 answer
 * characters and part-2 `score(max)` pairs, each with its maximum (from the title, the string
 * or `tasks`), the not-attempted flag and the numeric score. Built per chunk of source rows so
 * that a million participants × twenty tasks never sit in one temporary table.
 */
import type { Connector } from '../../db/connector';
import type { RawSource } from '../read/types';
import { ROLE_TASK, type Mapping } from '../mapping';
import { lit, q, txt } from '../sql';
import { fieldCol, hasColumn } from '../tables';

/** Task cells per chunk of the unpivot: bounds the temporary tables of a million-row sheet. */
export const CELLS_PER_CHUNK = 2_000_000;

export interface CellPlan {
  /** `CREATE OR REPLACE TEMP TABLE _imp_cells` for source rows lo ≤ _row < hi (and, with `only`, in that table's `_row`). */
  sql: (lo: number, hi: number, only?: string) => string;
  chunks: [number, number][];
  /** SQL giving the source column title of a cell alias `c` (part strings share one title each). */
  colOf: (alias: string) => string;
  hasCells: boolean;
  /**
   * SQL appended to a read of `_imp_cells` that must come in (_row, ord) order. Empty when the
   * cells come from one source (task columns, or one answer string): the unpivot keeps the scan's
   * order, as every step of the build does, so no sort of millions of cells is needed.
   */
  orderBy: string;
}

/** The work and participant of each cell, carried from `_imp_stage` through the unpivot (no per-cell join). */
const KEYS: [string, string][] = [
  ['year', '_w_year'],
  ['procedure', '_w_procedure'],
  ['subject', '_w_subject'],
  ['grade', '_w_grade'],
  ['school_id', '_w_school'],
  ['student_id', '_w_student'],
];
const KEY_LIST = KEYS.map(([, k]) => k).join(', ');

const EMPTY_CELLS = `SELECT NULL::INTEGER AS _row, NULL::VARCHAR AS task, NULL::VARCHAR AS val, NULL::DOUBLE AS mx, NULL::VARCHAR AS part, 0 AS ord, false AS sq,
  ${KEYS.map(([, k]) => `NULL AS ${k}`).join(', ')} WHERE false`;

function sourceCells(m: Mapping, rows: string): string {
  const taskCols = m.columns.filter((c) => c.field === ROLE_TASK && c.task);
  const p1 = fieldCol(m, 'part1');
  const p2 = fieldCol(m, 'part2');
  const parts: string[] = [];
  if (taskCols.length) {
    const values = taskCols
      .map((c, i) => `(${lit(c.column)}, ${lit(c.task!)}, ${c.max == null ? 'NULL' : lit(c.max)}, ${lit(c.level ?? null)}, ${i}, ${c.sequential ? 'true' : 'false'})`)
      .join(', ');
    parts.push(`SELECT u._row, t.task, u.val, CAST(t.mx AS DOUBLE) AS mx, NULL AS part, t.ord AS ord, t.sq AS sq, ${KEY_LIST}
      FROM (UNPIVOT (SELECT _row, ${KEY_LIST}, ${taskCols.map((c) => q(c.column)).join(', ')} FROM ${rows})
            ON ${taskCols.map((c) => q(c.column)).join(', ')} INTO NAME col VALUE val) u
      JOIN (VALUES ${values}) t(col, task, mx, lvl, ord, sq) ON t.col = u.col`);
  }
  const p1len = p1 ? `coalesce(length(${txt(`s.${q(p1)}`)}), 0)` : '0';
  if (p1) {
    parts.push(`SELECT _row, CAST(i AS VARCHAR) AS task, substr(s, i, 1) AS val, NULL AS mx, '1' AS part, 1000 + i AS ord, false AS sq, ${KEY_LIST}
      FROM (SELECT _row, ${KEY_LIST}, s, unnest(range(1, length(s) + 1)) AS i FROM (SELECT _row, ${KEY_LIST}, ${txt(q(p1))} AS s FROM ${rows}) WHERE s IS NOT NULL)`);
  }
  if (p2) {
    const re = `'([^()]*)\\((\\d+)\\)'`;
    parts.push(`SELECT _row, CAST(n1 + k AS VARCHAR) AS task, trim(sc) AS val, CAST(mx AS DOUBLE) AS mx, '2' AS part, 2000 + k AS ord, false AS sq, ${KEY_LIST}
      FROM (SELECT _row, ${KEY_LIST}, n1, unnest(regexp_extract_all(s2, ${re}, 1)) AS sc, unnest(regexp_extract_all(s2, ${re}, 2)) AS mx,
                   unnest(range(1, len(regexp_extract_all(s2, ${re}, 1)) + 1)) AS k
            FROM (SELECT s._row, ${KEYS.map(([, k]) => `s.${k}`).join(', ')}, ${p1len} AS n1, ${txt(`s.${q(p2)}`)} AS s2 FROM ${rows} s) WHERE s2 IS NOT NULL)`);
  }
  return parts.length ? parts.join('\nUNION ALL\n') : EMPTY_CELLS;
}

export async function planCells(conn: Connector, raw: RawSource, m: Mapping, chunkCells?: number): Promise<CellPlan> {
  const taskCols = m.columns.filter((c) => c.field === ROLE_TASK && c.task);
  const p1 = fieldCol(m, 'part1');
  const p2 = fieldCol(m, 'part2');
  // `балл за N` counts tasks in sequence; the КИМ spec's `№` (kept as tasks.seq) gives the printed number.
  const hasSeq = taskCols.some((c) => c.sequential) && (await hasColumn(conn, 'tasks', 'seq'));
  const sql = (lo: number, hi: number, only?: string) => {
    // Present participants of the chunk, with their work and identity; absent ones have no cells.
    const rows = `(SELECT r.*, ${KEYS.map(([f, k]) => `s.${f} AS ${k}`).join(', ')}
      FROM raw.${q(raw.table)} r JOIN _imp_stage s ON s._row = r._row AND NOT s._absent
      WHERE r._row >= ${lo} AND r._row < ${hi}${only ? ` AND r._row IN (SELECT _row FROM ${only})` : ''})`;
    const seqJoin = hasSeq
      ? `LEFT JOIN tasks sq ON c0.sq AND sq.year = c0._w_year AND sq.procedure = c0._w_procedure AND sq.subject = c0._w_subject
           AND sq.grade IS NOT DISTINCT FROM c0._w_grade AND CAST(sq.seq AS VARCHAR) = c0.task`
      : '';
    // Most cells are plain numbers: `f` is their score straight from a cast, and the string work
    // (trim, decimal comma, X, «не пройд.») runs only on the rest. Where that cast reads a value,
    // the trimmed, comma-replaced cast reads the same number (tests/unit/ingest/results/chunks.test.ts).
    const tv = `trim(replace(c.v0, chr(160), ' '))`;
    const na = `(upper(${tv}) IN ('X', 'Х') OR lower(${tv}) LIKE 'не пройд%')`;
    return `CREATE OR REPLACE TEMP TABLE _imp_cells AS
      WITH c0 AS (${sourceCells(m, rows)}),
      c AS (
        SELECT c0._row, ${hasSeq ? 'coalesce(sq.task, c0.task)' : 'c0.task'} AS task, c0.val AS v0, TRY_CAST(c0.val AS DOUBLE) AS f, c0.mx, c0.part, c0.ord,
          ${KEYS.map(([, k]) => `c0.${k}`).join(', ')}
        FROM c0 ${seqJoin}
      )
      SELECT _row, task, ord, part, mx, not_attempted, score,
        -- The text is kept only where a message needs it.
        CASE WHEN not_attempted OR score IS NULL OR score < 0 OR score > mx THEN trim(replace(v0, chr(160), ' ')) END AS val,
        CASE WHEN part = '1' THEN (CASE WHEN f IS NOT NULL THEN false ELSE trim(replace(v0, chr(160), ' ')) IN ('+', '-') END) END AS pm,
        ${KEYS.map(([f, k]) => `${k} AS ${f}`).join(', ')}
      FROM (SELECT c._row, c.task, c.ord, c.part, c.v0, c.f, ${KEYS.map(([, k]) => `c.${k}`).join(', ')},
        coalesce(c.mx, spec.max_score) AS mx,
        CASE WHEN c.f IS NOT NULL THEN false ELSE ${na} END AS not_attempted,
        CASE WHEN c.f IS NOT NULL THEN c.f
             WHEN ${na} THEN 0
             WHEN ${tv} = '+' THEN 1 WHEN ${tv} = '-' AND c.part = '1' THEN 0
             ELSE TRY_CAST(replace(${tv}, ',', '.') AS DOUBLE) END AS score
      FROM c
      LEFT JOIN tasks spec ON spec.year = c._w_year AND spec.procedure = c._w_procedure AND spec.subject = c._w_subject
        AND spec.grade IS NOT DISTINCT FROM c._w_grade AND spec.task = c.task
      WHERE CASE WHEN c.f IS NOT NULL THEN true ELSE ${tv} <> '' END)`;
  };

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
  const sources = [taskCols.length > 0, !!p1, !!p2].filter(Boolean).length;
  return { sql, chunks, colOf, hasCells: sources > 0, orderBy: sources > 1 ? 'ORDER BY _row, ord' : '' };
}
