/**
 * The measured steps, written once over the Connector interface and run unchanged by the
 * browser page (DuckDB-WASM through the app's worker) and by native DuckDB in Node — so the
 * browser/native ratio compares the same SQL.
 */
import { quoteIdent, type Connector } from '../../src/db/connector';
import { readFile } from '../../src/ingest/read';
import { planImport, runImport } from '../../src/ingest/import';
import { DEMO_SALT } from '../../src/ingest/pseudonym';
import { loadCanonicalFiles, type CanonicalFile } from '../../src/indicators/load';
import { runIndicators } from '../../src/indicators/run';
import { INDICATOR_SELECT_COLUMNS, INDICATORS_TABLE, toIndicatorRow } from '../../src/indicators/sql';
import type { IndicatorRow } from '../../src/indicators/types';

export interface ImportResult {
  readMs: number;
  mapMs: number;
  totalMs: number;
  layout: string;
  counts: Record<string, number>;
}

const now = () => performance.now();

/** Median of the runs (null without runs). */
export const median = (xs: number[]): number | null => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2) : null;
};

async function count(conn: Connector, table: string): Promise<number> {
  const [r] = await conn.query({ type: 'rows', sql: `SELECT count(*)::DOUBLE AS n FROM ${table}` });
  return Number(r?.n ?? 0);
}

/**
 * Step 1/2: one file through the app's import pipeline — reader (bytes → raw table), proposed
 * mapping, and the mapping SQL into canonical tables (unpivot of the task columns included).
 */
export async function importFile(conn: Connector, name: string, bytes: Uint8Array): Promise<ImportResult> {
  // Every table a results sheet writes or adds to: each run starts as the first did (the native
  // side opens a fresh engine per run; the tab's runs share one).
  for (const t of ['assessment_results', 'task_scores', 'import_issues', 'schools', 'tasks', 'class_teaching'])
    await conn.query({ type: 'exec', sql: `DROP TABLE IF EXISTS ${t}` });
  const t0 = now();
  const raws = await readFile(conn, name, bytes);
  const t1 = now();
  const plans = await planImport(raws);
  await runImport(conn, plans, { salt: DEMO_SALT });
  const t2 = now();
  const counts: Record<string, number> = {};
  for (const t of ['assessment_results', 'task_scores', 'import_issues']) counts[t] = await count(conn, t);
  // Free the raw tables so that repeated runs start from the same state.
  for (const raw of raws) {
    for (const ref of [`raw.${quoteIdent(raw.table)}`, `main.${quoteIdent(raw.table)}`])
      await conn.query({ type: 'exec', sql: `DROP TABLE IF EXISTS ${ref}` }).catch(() => undefined);
  }
  return { readMs: t1 - t0, mapMs: t2 - t1, totalMs: t2 - t0, layout: plans.map((p) => p.mapping.layout).join(', '), counts };
}

/** What both sides report for several runs of importFile. */
export function summariseImports(results: ImportResult[], bytes: number) {
  return {
    ms: median(results.map((r) => r.totalMs)),
    readMs: median(results.map((r) => r.readMs)),
    mapMs: median(results.map((r) => r.mapMs)),
    samples: results.map((r) => r.totalMs),
    layout: results[0]?.layout,
    counts: results[0]?.counts,
    bytes,
  };
}

/** What the limit and the contract-form floor report for several runs (native, or the floor in the tab). */
export function summariseLimits(results: { totalMs: number; transcodeMs: number; sqlMs: number; counts: Record<string, number> }[]) {
  return {
    ms: median(results.map((r) => r.totalMs)),
    transcodeMs: median(results.map((r) => r.transcodeMs)),
    sqlMs: median(results.map((r) => r.sqlMs)),
    samples: results.map((r) => r.totalMs),
    counts: results[0]?.counts,
  };
}

export interface LoadResult {
  ms: number;
  counts: Record<string, number>;
}

/** Loads canonical files (not a measured step on its own; reported for context). */
export async function loadCanonical(conn: Connector, files: CanonicalFile[]): Promise<LoadResult> {
  const t0 = now();
  const tables = await loadCanonicalFiles(conn, files);
  const ms = now() - t0;
  const counts: Record<string, number> = {};
  for (const t of tables) counts[t] = await count(conn, t);
  return { ms, counts };
}

export interface IndicatorResult {
  ms: number;
  /** Milliseconds per indicator id (including its input check and insert). */
  perIndicator: Record<string, number>;
  rows: number;
  errors: string[];
}

/**
 * Step 3: every indicator of the catalogue on the loaded tables, as the app runs them: the rows
 * stay in the `indicators` table (collect: false). `withTable` reads them back for comparisons.
 */
export async function runAllIndicators(
  conn: Connector,
  opts: { onIndicator?: (id: string) => void; ids?: string[]; withTable?: boolean } = {},
): Promise<IndicatorResult & { table?: IndicatorRow[] }> {
  const { onIndicator, ids } = opts;
  const perIndicator: Record<string, number> = {};
  let last = now();
  const t0 = last;
  await runIndicators(conn, {
    ids,
    collect: false,
    onProgress: (_done, _total, id) => {
      const t = now();
      perIndicator[id] = t - last;
      last = t;
      onIndicator?.(id);
    },
  });
  const ms = now() - t0;
  const errors = (await conn.query({ type: 'rows', sql: `SELECT indicator_id || ': ' || dimension_value AS e FROM ${INDICATORS_TABLE} WHERE dimension = 'error'` })).map((r) => String(r.e));
  const rows = await count(conn, INDICATORS_TABLE);
  const table = opts.withTable ? (await conn.query({ type: 'rows', sql: `SELECT ${INDICATOR_SELECT_COLUMNS} FROM ${INDICATORS_TABLE}` })).map(toIndicatorRow) : undefined;
  return { ms, perIndicator, rows, errors, table };
}

/** What both sides report for several runs of runAllIndicators after one load. */
export function summariseIndicators(results: (IndicatorResult & { table?: IndicatorRow[] })[], load: LoadResult) {
  const last = results[results.length - 1]!;
  return {
    loadMs: load.ms,
    counts: load.counts,
    ms: median(results.map((r) => r.ms)),
    samples: results.map((r) => r.ms),
    perIndicator: Object.fromEntries(Object.keys(last.perIndicator).map((id) => [id, median(results.map((r) => r.perIndicator[id] ?? 0))])),
    rows: last.rows,
    errors: last.errors,
  };
}

/** Canonical order of the indicator table, so two engines' outputs compare row by row. */
export function sortIndicatorRows(rows: IndicatorRow[]): IndicatorRow[] {
  const key = (r: IndicatorRow) =>
    [r.indicator_id, r.year, r.procedure, r.subject, r.grade, r.school_id, r.dimension, r.dimension_value].map((v) => (v == null ? '\u0000' : String(v))).join('\u0001');
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
