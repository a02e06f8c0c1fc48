/**
 * Gives a notebook database the `indicators` table its templates read (front matter
 * `indicators: true`, optionally `direction: TAL` to compute only that direction and what it
 * depends on).
 *  - Headless (`scripts/notebook.ts`): the canonical files are loaded typed into a scratch
 *    database (as `npm run indicators` does), the indicators computed there and copied over.
 *  - Browser (`ensureIndicators`): the canonical tables are already typed in the same database;
 *    the table is computed once and recomputed when the loaded data change (row counts and
 *    columns of the canonical tables, kept in `indicators_source`).
 */
import { quoteIdent, quoteLiteral, type Connector, type TableInfo } from '../db/connector';
import { INDICATOR_COLUMNS, createTableSql, isCanonicalTable } from '../model/contract';
import { loadCanonicalFiles, type CanonicalFile } from './load';
import { INDICATORS } from './registry';
import { insertIndicatorRows, runIndicators, runStaged } from './run';
import { INDICATORS_TABLE } from './sql';
import { oneAtATime } from './table';
import { registerTableProvider } from '../notebook/providers';
import type { NotebookData } from '../notebook/model';
import type { IndicatorParams } from './types';

export const SOURCE_TABLE = 'indicators_source';

/** Ids of a direction (e.g. 'TAL'), or every id when the direction is absent or unknown. */
export function idsOfDirection(direction: unknown): string[] | undefined {
  const mine = INDICATORS.filter((d) => typeof direction === 'string' && d.direction === direction.toUpperCase()).map((d) => d.id);
  return mine.length ? mine : undefined;
}

/** Returns the number of indicator rows written, or null when no canonical table was among the files. */
export async function materialiseIndicators(
  target: Connector,
  scratch: Connector,
  files: CanonicalFile[],
  opts: { params?: Partial<IndicatorParams>; ids?: string[] } = {},
): Promise<number | null> {
  const loaded = await loadCanonicalFiles(scratch, files);
  if (!loaded.length) return null;
  const rows = await runIndicators(scratch, { params: opts.params, ids: opts.ids });
  await target.query({ type: 'exec', sql: createTableSql(INDICATORS_TABLE, INDICATOR_COLUMNS) });
  await insertIndicatorRows(target, rows, INDICATORS_TABLE);
  return rows.length;
}

export async function hasTable(conn: Connector, name: string): Promise<boolean> {
  const rows = await conn.query({
    type: 'rows',
    sql: `SELECT 1 FROM information_schema.tables WHERE table_schema = 'main' AND table_name = $1`,
    params: [name],
  });
  return rows.length > 0;
}

/** Tables above this many rows are recognised by size and columns only (hashing 16M rows costs seconds in a tab). */
const HASHED_ROWS = 5_000_000;

/**
 * What the indicators were computed from: each canonical table's rows, columns and a sum of its row
 * hashes. Row counts alone missed a corrected file re-imported with as many rows: the old indicators
 * stayed, a silent wrong number.
 */
async function fingerprintOf(conn: Connector, tables: TableInfo[]): Promise<string> {
  const canonical = tables.filter((t) => isCanonicalTable(t.name)).sort((a, b) => (a.name < b.name ? -1 : 1));
  const hashed = canonical.filter((t) => t.rowCount > 0 && t.rowCount <= HASHED_ROWS);
  const sums = new Map<string, string>();
  if (hashed.length) {
    const sql = hashed.map((t) => `SELECT ${quoteLiteral(t.name)} AS name, sum(hash(t))::VARCHAR AS h FROM ${quoteIdent(t.name)} AS t`).join(' UNION ALL ');
    for (const r of await conn.query({ type: 'rows', sql })) sums.set(String(r.name), String(r.h));
  }
  return canonical.map((t) => `${t.name}:${t.rowCount}:${t.columns.map((c) => c.name).join(',')}:${sums.get(t.name) ?? '-'}`).join('|');
}

/**
 * Same-database variant (the browser, and any notebook reading `indicators`): makes sure the
 * `indicators` table holds the given ids (default: all) for the data now loaded. Rows of other
 * ids computed earlier on the same data are kept. Calls on one connector run one after the
 * other; the second finds the table up to date. Returns whether anything was computed.
 */
export function ensureIndicators(conn: Connector, opts: { ids?: string[]; params?: Partial<IndicatorParams> } = {}): Promise<boolean> {
  return oneAtATime(conn, async () => {
    const tables = await conn.listTables();
    const fingerprint = await fingerprintOf(conn, tables);
    let have = new Set<string>();
    if (tables.some((t) => t.name === INDICATORS_TABLE) && tables.some((t) => t.name === SOURCE_TABLE)) {
      const [src] = await conn.query({ type: 'rows', sql: `SELECT fingerprint FROM ${SOURCE_TABLE}` });
      if (src?.fingerprint === fingerprint) {
        const ids = await conn.query({ type: 'rows', sql: `SELECT DISTINCT indicator_id FROM ${INDICATORS_TABLE}` });
        have = new Set(ids.map((r) => String(r.indicator_id)));
      }
    }
    const want = opts.ids ?? INDICATORS.map((d) => d.id);
    const need = want.filter((id) => !have.has(id));
    if (!need.length) return false;
    // The rows stay in the engine: a regional catalogue would not fit through JavaScript in a tab.
    // The fingerprint is the one read before computing: data changed meanwhile are seen next time.
    await runStaged(conn, {
      ids: need,
      params: opts.params,
      collect: false,
      keepOthers: have.size > 0,
      alsoSql: [`CREATE OR REPLACE TABLE ${SOURCE_TABLE} AS SELECT ${quoteLiteral(fingerprint)}::VARCHAR AS fingerprint`],
    });
    return true;
  });
}

/**
 * What a notebook cell reading `indicators` calls first (src/notebook/providers.ts): the whole
 * catalogue for the data now loaded, or a template's direction (front matter `indicators: true`,
 * `direction: TAL`). An `indicators` table that came with the data (a folder holding one, or the
 * headless runner's copy) has no fingerprint and is left as it is.
 */
export async function provideIndicators(conn: Connector, notebook?: NotebookData): Promise<boolean> {
  const names = new Set((await conn.listTables()).map((t) => t.name));
  if (names.has(INDICATORS_TABLE) && !names.has(SOURCE_TABLE)) return false;
  const front = notebook?.frontMatter;
  return ensureIndicators(conn, front?.indicators === true ? { ids: idsOfDirection(front.direction) } : {});
}

registerTableProvider(INDICATORS_TABLE, provideIndicators);
