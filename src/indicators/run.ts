/**
 * The indicator runner: checks every definition's inputs against the loaded tables, computes
 * the indicators in dependency order, and materialises the rows into the `indicators` table
 * (contract columns) so that derived indicators and notebooks can query them.
 *
 * Rows that are not values (see src/indicators/README.md):
 *  - dimension = 'missing', dimension_value = '<table>.<column>, …' (or 'monitoring.code=<code>'):
 *    an input the formula needs is absent, or present but entirely empty (NULL in every row);
 *  - dimension = 'missing', dimension_value = 'нет данных для расчёта': inputs exist, but no row qualifies
 *    (e.g. no ФГ results for PREP-10);
 *  - dimension = 'error', dimension_value = the message: the computation failed (a defect, reported not thrown).
 * In all three, value, numerator and denominator are NULL.
 */
import { createTableSql, INDICATOR_COLUMNS } from '../model/contract';
import { indicatorsOutOfMemory, UserError } from '../errors';
import { quoteIdent, quoteLiteral, type Connector, type TableInfo } from '../db/connector';
import { INDICATORS } from './registry';
import { INDICATOR_SELECT_COLUMNS, INDICATORS_TABLE, makeRow, toIndicatorRow } from './sql';
import { dropStages, isSmallData, releaseStages, stageResults } from './stage';
import { STAGING_TABLE, assertUniqueKey, dropStaging, oneAtATime, swapIn } from './table';
import { DEFAULT_PARAMS, type IndicatorContext, type IndicatorDef, type IndicatorParams, type IndicatorRow, type SqlRows } from './types';
import { runLanes } from './lanes';
import { breathe } from './yield';

export const NO_DATA = 'нет данных для расчёта';

/**
 * Engine failures after which the run cannot go on: DuckDB out of memory (native and WASM), and the
 * browser connector's crash (a wasm heap exhausted: the engine restarts, and the staging table is
 * lost with it). Recorded as an indicator's `error` row, such a failure let the run continue into
 * a table that no longer existed («indicators__next does not exist»).
 */
const FATAL = /out of memory|failed to allocate|allocation fail|could not allocate|memory access out of bounds|Aborted\(|RuntimeError|не хватило памяти|Сбой движка/i;

async function stagingExists(conn: Connector): Promise<boolean> {
  const sql = `SELECT 1 FROM information_schema.tables WHERE table_schema = 'main' AND table_name = $1`;
  return conn
    .query({ type: 'rows', sql, params: [STAGING_TABLE] })
    .then((rows) => rows.length > 0)
    .catch(() => false);
}

/** Whether an error ends the run: out of memory, or an engine that lost the staging table. */
async function isFatal(conn: Connector, e: unknown): Promise<boolean> {
  return FATAL.test(e instanceof Error ? e.message : String(e)) || !(await stagingExists(conn));
}

/** A fatal error as the Russian message naming where the run stopped; any other error as it is. */
async function stopped(conn: Connector, where: string, e: unknown): Promise<unknown> {
  if (e instanceof UserError && /^Показатели не рассчитаны/.test(e.message)) return e;
  return (await isFatal(conn, e)) ? new UserError(indicatorsOutOfMemory(where)) : e;
}

export interface RunOptions {
  params?: Partial<IndicatorParams>;
  /** Only these ids (their dependencies are computed as well). Default: all. */
  ids?: string[];
  /** Definitions to run (default: the registry). */
  indicators?: IndicatorDef[];
  /** Called after each indicator (progress in the UI). */
  onProgress?: (done: number, total: number, id: string) => void;
  /**
   * Return the rows (default true). false: they are only in the `indicators` table, and SQL-computed
   * indicators never pass through JavaScript — the way for regional-size data in a browser tab.
   */
  collect?: boolean;
}

/** What `ensureIndicators` adds to a run (it holds the one-at-a-time turn itself). */
export interface StagedRunOptions extends RunOptions {
  /** Copy the rows of every indicator not recomputed from the current table. */
  keepOthers?: boolean;
  /** Statements run in the swap's transaction (the data fingerprint). */
  alsoSql?: string[];
}

/** Input check of one definition: the list of missing `table.column` / monitoring codes. */
export async function missingInputs(def: IndicatorDef, conn: Connector, tables: TableInfo[], cache: Map<string, Set<string>>): Promise<string[]> {
  const missing: string[] = [];
  for (const [table, columns] of Object.entries(def.reads)) {
    const info = tables.find((t) => t.name === table);
    if (!info || info.rowCount === 0) {
      missing.push(columns && columns.length ? columns.map((c) => `${table}.${c}`).join(', ') : table);
      continue;
    }
    const filled = await filledColumns(conn, info, cache);
    for (const c of columns ?? []) if (!filled.has(c)) missing.push(`${table}.${c}`);
  }
  if (def.monitoringCodes?.length) {
    const codes = await monitoringCodes(conn, tables, cache);
    for (const code of def.monitoringCodes) if (!codes.has(code)) missing.push(`monitoring.code=${code}`);
  }
  return missing;
}

async function filledColumns(conn: Connector, info: TableInfo, cache: Map<string, Set<string>>): Promise<Set<string>> {
  const key = `table:${info.name}`;
  let set = cache.get(key);
  if (!set) {
    const counts = info.columns.map((c, i) => `count(${quoteIdent(c.name)}) AS c${i}`).join(', ');
    const [row] = await conn.query({ type: 'rows', sql: `SELECT ${counts} FROM ${quoteIdent(info.name)}` });
    set = new Set(info.columns.filter((_, i) => Number(row?.[`c${i}`] ?? 0) > 0).map((c) => c.name));
    cache.set(key, set);
  }
  return set;
}

async function monitoringCodes(conn: Connector, tables: TableInfo[], cache: Map<string, Set<string>>): Promise<Set<string>> {
  let set = cache.get('monitoring:codes');
  if (!set) {
    const has = tables.some((t) => t.name === 'monitoring' && t.columns.some((c) => c.name === 'code'));
    const rows = has ? await conn.query({ type: 'rows', sql: 'SELECT DISTINCT code FROM monitoring WHERE value IS NOT NULL' }) : [];
    set = new Set(rows.map((r) => String(r.code)));
    cache.set('monitoring:codes', set);
  }
  return set;
}

/** Orders definitions so that every `dependsOn` comes first; unknown dependencies are ignored. */
export function orderByDependencies(defs: IndicatorDef[]): IndicatorDef[] {
  const byId = new Map(defs.map((d) => [d.id, d]));
  const done = new Set<string>();
  const out: IndicatorDef[] = [];
  const visit = (d: IndicatorDef, stack: Set<string>) => {
    if (done.has(d.id) || stack.has(d.id)) return;
    stack.add(d.id);
    for (const dep of d.dependsOn ?? []) {
      const dd = byId.get(dep);
      if (dd) visit(dd, stack);
    }
    done.add(d.id);
    out.push(d);
  };
  for (const d of defs) visit(d, new Set());
  return out;
}

/** Creates (replaces) the empty `indicators` table. */
export async function createIndicatorsTable(conn: Connector, name = INDICATORS_TABLE): Promise<void> {
  await conn.query({ type: 'exec', sql: createTableSql(name, INDICATOR_COLUMNS) });
}

/** A CSV field: NULL as \N, text always quoted (so '' stays an empty string), non-finite numbers as NULL. */
const csvCell = (v: string | number | null | undefined): string =>
  v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))
    ? '\\N'
    : typeof v === 'number'
      ? String(v)
      : `"${v.replaceAll('"', '""')}"`;

let insertSeq = 0;

/** Rows per CSV file: the text of one file is built, encoded and handed over in one piece. */
const INSERT_CHUNK = 5_000;

/**
 * Appends rows to the materialised table. The rows go in as CSV files read by read_csv (on
 * both engines): VALUES lists of thousands of literals made the parser and binder the slowest
 * part of the run (npm run bench: ~80% of GIA-06 on a 100k-participant region). A file per
 * INSERT_CHUNK rows, with turns for the page in between (GIA-07 writes ≈50k rows on the demo).
 */
export async function insertIndicatorRows(conn: Connector, rows: IndicatorRow[], name = INDICATORS_TABLE): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    await insertCsvChunk(conn, rows.slice(start, start + INSERT_CHUNK), name);
    await breathe();
  }
}

const CSV_COLUMNS = INDICATOR_COLUMNS.map((c) => c.name) as (keyof IndicatorRow)[];

/**
 * The CSV text of a chunk, a line at a time with turns for the page: built in one expression, a
 * chunk of 5 000 rows held the tab's main thread for most of the catalogue's longest block.
 */
export async function csvText(rows: IndicatorRow[]): Promise<string> {
  const lines: string[] = new Array(rows.length + 1);
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    let line = csvCell(r[CSV_COLUMNS[0]!] as string | number | null);
    for (let j = 1; j < CSV_COLUMNS.length; j++) line += ',' + csvCell(r[CSV_COLUMNS[j]!] as string | number | null);
    lines[i] = line;
    if (i % 256 === 255) await breathe();
  }
  // One join, not `text +=`: a flat string, which the encoder reads without flattening a rope first.
  lines[rows.length] = '';
  return lines.join('\n');
}

async function insertCsvChunk(conn: Connector, rows: IndicatorRow[], name: string): Promise<void> {
  const text = await csvText(rows);
  const file = `indicator_rows_${++insertSeq}.csv`;
  const path = await conn.registerFile(file, new TextEncoder().encode(text));
  // Integers are read as DOUBLE and cast on insert, exactly as the former VALUES literals were.
  const types = INDICATOR_COLUMNS.map((c) => `${quoteLiteral(c.name)}: ${quoteLiteral(c.type === 'INTEGER' ? 'DOUBLE' : c.type)}`).join(', ');
  try {
    await conn.query({
      type: 'exec',
      sql: `INSERT INTO ${quoteIdent(name)} SELECT * FROM read_csv(${quoteLiteral(path)}, header = false, delim = ',', quote = '"', escape = '"',
              nullstr = '\\N', allow_quoted_nulls = false, auto_detect = false, columns = {${types}})`,
    });
  } finally {
    await conn.dropFile(file);
  }
}

/** Inserts the rows of SQL-computed indicators; returns how many were written. */
async function insertSqlRows(conn: Connector, id: string, rows: SqlRows, table: string): Promise<number> {
  // An INSERT answers with its row count: counting the indicator's rows afterwards scanned the
  // growing staging table once per indicator (regional: millions of rows, ≈150 times).
  let inserted = 0;
  try {
    for (const sql of rows.sql) {
      const [r] = await conn.query({ type: 'rows', sql: `INSERT INTO ${quoteIdent(table)} BY NAME ${sql}` });
      inserted += Number(r?.Count ?? r?.count ?? NaN);
    }
  } catch (e) {
    // The original error is the one to report (after an engine restart the DELETE fails as well).
    await conn.query({ type: 'rows', sql: `DELETE FROM ${quoteIdent(table)} WHERE indicator_id = $1`, params: [id] }).catch(() => undefined);
    throw e;
  }
  if (Number.isFinite(inserted)) return inserted;
  const [n] = await conn.query({ type: 'rows', sql: `SELECT count(*) AS n FROM ${quoteIdent(table)} WHERE indicator_id = $1`, params: [id] });
  return Number(n?.n ?? 0);
}

/**
 * Runs the indicators and returns every row (unless `collect` is false); the rows replace the
 * `indicators` table. Runs on one connector never overlap (see table.ts).
 */
export function runIndicators(conn: Connector, options: RunOptions = {}): Promise<IndicatorRow[]> {
  return oneAtATime(conn, () => runStaged(conn, options));
}

/** Ids to run: the requested ones and everything they depend on, in dependency order. */
function selectDefs(options: RunOptions): IndicatorDef[] {
  const all = options.indicators ?? INDICATORS;
  if (!options.ids) return orderByDependencies(all);
  const want = new Set<string>();
  const byId = new Map(all.map((d) => [d.id, d]));
  const add = (id: string) => {
    if (want.has(id)) return;
    want.add(id);
    for (const dep of byId.get(id)?.dependsOn ?? []) add(dep);
  };
  options.ids.forEach(add);
  return orderByDependencies(all.filter((d) => want.has(d.id)));
}

/**
 * Runs `work` with DuckDB on one thread when every input table is small, and puts the setting back
 * after. The demo's ≈400 statements take a few milliseconds each; a second thread mostly
 * coordinated (native demo catalogue, medians of 9 interleaved runs: at load ≈3 5.35 → 3.90 s
 * wall; quiet, with the staged results too, 4.01 → 3.78 s wall), and single-threaded sums are the same
 * in every run. The regional set (16M task rows) keeps its
 * threads; in the tab DuckDB-WASM has one thread anyway, so nothing changes there.
 */
export async function oneThreadWhenSmall<T>(conn: Connector, tables: TableInfo[], work: () => Promise<T>): Promise<T> {
  if (!isSmallData(tables)) return work();
  const [setting] = await conn.query({ type: 'rows', sql: `SELECT current_setting('threads') AS threads` }).catch(() => []);
  const threads = Number(setting?.threads);
  if (!(Number.isInteger(threads) && threads > 1)) return work();
  await conn.query({ type: 'exec', sql: 'SET threads = 1' });
  try {
    return await work();
  } finally {
    await conn.query({ type: 'exec', sql: `SET threads = ${threads}` }).catch(() => undefined);
  }
}

/**
 * The run itself, for callers already holding the connector's turn (`oneAtATime`): computes into
 * the staging table, checks the key and swaps the table in. On failure `indicators` is unchanged.
 */
export async function runStaged(conn: Connector, options: StagedRunOptions = {}): Promise<IndicatorRow[]> {
  const all = await conn.listTables();
  // Not the indicator table itself: a previous run's rows must not change how this one runs.
  const tables = all.filter((t) => t.name !== INDICATORS_TABLE && t.name !== STAGING_TABLE);
  return oneThreadWhenSmall(conn, tables, () => runStagedOn(conn, all, tables, options));
}

/**
 * A second connection for the `sideBySide` definitions (lanes.ts): natively on small data, where
 * each connection has one thread and the machine's second core otherwise idles. Not on large data
 * (every statement has the threads already, and two working sets would share the memory), not in
 * the tab (no `fork`). Without one the run is as before, one definition after another.
 */
async function secondConnection(conn: Connector, tables: TableInfo[], ordered: IndicatorDef[]): Promise<Connector | undefined> {
  if (!conn.fork || !isSmallData(tables) || !ordered.some((d) => d.sideBySide)) return undefined;
  return conn.fork().catch(() => undefined);
}

/** `all`: every table listed; `tables`: the run's inputs (all but the indicator tables). */
async function runStagedOn(conn: Connector, all: TableInfo[], tables: TableInfo[], options: StagedRunOptions): Promise<IndicatorRow[]> {
  const params: IndicatorParams = { ...DEFAULT_PARAMS, ...options.params };
  const ordered = selectDefs(options);
  const second = await secondConnection(conn, tables, ordered);
  const ctx: IndicatorContext = { conn, params, tables, table: STAGING_TABLE, stage: new Map(), sharedStages: !!second };
  await createIndicatorsTable(conn, STAGING_TABLE);
  try {
    // The shared stages (task rows per school × task, …) live for the computation only.
    const out = await stageResults(ctx)
      .then(() => computeAll(second ? [ctx, { ...ctx, conn: second }] : [ctx], ordered, options))
      .finally(() => dropStages(conn, ctx.stage!))
      .finally(() => second?.close());
    if (options.keepOthers && all.some((t) => t.name === INDICATORS_TABLE)) {
      await conn.query({
        type: 'exec',
        sql: `INSERT INTO ${quoteIdent(STAGING_TABLE)} SELECT * FROM ${quoteIdent(INDICATORS_TABLE)}
              WHERE indicator_id NOT IN (SELECT DISTINCT indicator_id FROM ${quoteIdent(STAGING_TABLE)})`,
      });
    }
    await assertUniqueKey(conn, STAGING_TABLE);
    await swapIn(conn, options.alsoSql);
    return out;
  } catch (e) {
    const error = await stopped(conn, 'записи таблицы', e);
    await dropStaging(conn).catch(() => undefined);
    throw error;
  }
}

/** One definition's rows: its missing inputs, its computed rows, or the error it raised. */
async function computeOne(ctx: IndicatorContext, def: IndicatorDef, cache: Map<string, Set<string>>): Promise<{ rows: IndicatorRow[]; inserted: number }> {
  const missing = await missingInputs(def, ctx.conn, ctx.tables, cache);
  if (missing.length) return { rows: [makeRow(def.id, { dimension: 'missing', dimension_value: missing.join(', ') })], inserted: 0 };
  try {
    const computed = await def.compute(ctx);
    const rows = Array.isArray(computed) ? computed : (computed.rows ?? []);
    const inserted = Array.isArray(computed) ? 0 : await insertSqlRows(ctx.conn, def.id, computed, ctx.table ?? INDICATORS_TABLE);
    if (rows.length === 0 && inserted === 0) return { rows: [makeRow(def.id, { dimension: 'missing', dimension_value: NO_DATA })], inserted };
    return { rows, inserted };
  } catch (e) {
    if (await isFatal(ctx.conn, e)) throw e;
    return { rows: [makeRow(def.id, { dimension: 'error', dimension_value: e instanceof Error ? e.message : String(e) })], inserted: 0 };
  }
}

/**
 * Computes the definitions on the lanes of lanes.ts: `laneCtx[1]`, when given, is the run's context
 * on a second connection. Rows are returned in the run's order whichever lane computed them;
 * progress is reported as definitions finish.
 */
async function computeAll(laneCtx: IndicatorContext[], ordered: IndicatorDef[], options: RunOptions): Promise<IndicatorRow[]> {
  const ctx = laneCtx[0]!;
  const table = ctx.table ?? INDICATORS_TABLE;
  const cache = new Map<string, Set<string>>();
  const rowsOf = new Map<string, IndicatorRow[]>();
  const collect = options.collect ?? true;
  const unfinished = new Set(ordered.map((d) => d.id));
  let done = 0;
  await runLanes(ordered, laneCtx.length > 1 ? 2 : 1, async (def, lane) => {
    await breathe();
    const on = laneCtx[lane]!;
    try {
      let { rows, inserted } = await computeOne(on, def, cache);
      await insertIndicatorRows(on.conn, rows, table);
      if (collect && inserted) {
        const sql = `SELECT ${INDICATOR_SELECT_COLUMNS} FROM ${quoteIdent(table)} WHERE indicator_id = $1`;
        rows = (await on.conn.query({ type: 'rows', sql, params: [def.id] })).map(toIndicatorRow);
      }
      if (collect) rowsOf.set(def.id, rows);
      unfinished.delete(def.id);
      // A stage no indicator still to finish reads is dropped now (stage.ts), not at the end of the run.
      if (ctx.stage) await releaseStages(on.conn, ctx.stage, unfinished);
    } catch (e) {
      throw await stopped(on.conn, def.id, e);
    }
    // Not inside the optional call: `onProgress?.(++done)` skips the increment when there is no callback.
    done++;
    options.onProgress?.(done, ordered.length, def.id);
  });
  const out: IndicatorRow[] = [];
  // Not push(...rows): a spread of a regional-size result (GIA-06: ~800k rows) overflows the call stack.
  for (const def of ordered) for (const r of rowsOf.get(def.id) ?? []) out.push(r);
  return out;
}
