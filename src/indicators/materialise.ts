/**
 * Gives a notebook database the `indicators` table its templates read: the canonical files are
 * loaded typed into a scratch database (as `npm run indicators` does), every indicator is
 * computed there, and the rows are copied into the notebook's database. Used by the headless
 * runner for notebooks whose front matter says `indicators: true` and whose data has no
 * `indicators` table of its own.
 */
import type { Connector } from '../db/connector';
import { INDICATOR_COLUMNS, createTableSql } from '../model/contract';
import { loadCanonicalFiles, type CanonicalFile } from './load';
import { insertIndicatorRows, runIndicators } from './run';
import { INDICATORS_TABLE } from './sql';
import type { IndicatorParams } from './types';

/** Returns the number of indicator rows written, or null when no canonical table was among the files. */
export async function materialiseIndicators(
  target: Connector,
  scratch: Connector,
  files: CanonicalFile[],
  params: Partial<IndicatorParams> = {},
): Promise<number | null> {
  const loaded = await loadCanonicalFiles(scratch, files);
  if (!loaded.length) return null;
  const rows = await runIndicators(scratch, { params });
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

/**
 * Same-database variant (the browser, where the canonical tables are already typed): computes
 * the `indicators` table unless it exists. Call it before running a notebook whose front matter
 * says `indicators: true`. Returns whether it computed the table.
 */
export async function ensureIndicators(conn: Connector, params: Partial<IndicatorParams> = {}): Promise<boolean> {
  if (await hasTable(conn, INDICATORS_TABLE)) return false;
  await runIndicators(conn, { params });
  return true;
}
