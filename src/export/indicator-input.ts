/**
 * What the all-schools workbook is made of, read from a connector. Apart from the workbook writer
 * (src/export/indicators.ts carries exceljs), so the page can read it without compiling the writer.
 */
import type { Table } from 'apache-arrow';
import { quoteIdent, type Connector } from '../db/connector';
import { ensureIndicators } from '../indicators/materialise';
import { INDICATORS } from '../indicators/registry';
import { INDICATORS_TABLE } from '../indicators/sql';

/** What the workbook is made of, read from `conn`: the rows (brought up to date), titles and school names. */
export interface IndicatorWorkbookInput {
  rows: Table;
  titles: Record<string, string>;
  schoolNames: Record<string, string>;
}

/**
 * The inputs of the workbook for the data loaded in `conn`: the `indicators` table (brought up to
 * date first) as Arrow (cheap to hand to a worker), indicator titles and school names.
 */
export async function indicatorWorkbookInput(conn: Connector, opts: { ids?: string[] } = {}): Promise<IndicatorWorkbookInput> {
  await ensureIndicators(conn, opts.ids ? { ids: opts.ids } : {});
  const where = opts.ids ? ` WHERE indicator_id IN (${opts.ids.map((_, i) => `$${i + 1}`).join(', ')})` : '';
  const rows = await conn.query({ type: 'arrow', sql: `SELECT * FROM ${quoteIdent(INDICATORS_TABLE)}${where}`, params: opts.ids ?? [] });
  const titles = Object.fromEntries(INDICATORS.map((d) => [d.id, d.title]));
  const schoolNames: Record<string, string> = {};
  if ((await conn.listTables()).some((t) => t.name === 'schools')) {
    const names = await conn.query({ type: 'rows', sql: `SELECT school_id, max(name) AS name FROM ${quoteIdent('schools')} GROUP BY 1` });
    for (const r of names) if (r.school_id !== null && r.name !== null) schoolNames[String(r.school_id)] = String(r.name);
  }
  return { rows, titles, schoolNames };
}
