/**
 * What the all-schools workbook is made of, read from a connector. Apart from the workbook writer
 * (src/export/indicators.ts carries exceljs), so the page can read it without compiling the writer.
 */
import { tableToIPC, type Table } from 'apache-arrow';
import { quoteIdent, type Connector } from '../db/connector';
import { ensureIndicators } from '../indicators/materialise';
import { INDICATORS } from '../indicators/registry';
import { INDICATORS_TABLE } from '../indicators/sql';

interface Labels {
  titles: Record<string, string>;
  schoolNames: Record<string, string>;
}

/** What the workbook is made of, read from `conn`: the rows (brought up to date), titles and school names. */
export interface IndicatorWorkbookInput extends Labels {
  rows: Table;
}

/** The same, with the rows as Arrow IPC bytes, the form a worker takes them in. */
export interface IndicatorWorkbookIpc extends Labels {
  ipc: Uint8Array;
}

const selectRows = (ids?: string[]) =>
  `SELECT * FROM ${quoteIdent(INDICATORS_TABLE)}` + (ids ? ` WHERE indicator_id IN (${ids.map((_, i) => `$${i + 1}`).join(', ')})` : '');

async function labels(conn: Connector): Promise<Labels> {
  const titles = Object.fromEntries(INDICATORS.map((d) => [d.id, d.title]));
  const schoolNames: Record<string, string> = {};
  if ((await conn.listTables()).some((t) => t.name === 'schools')) {
    const names = await conn.query({ type: 'rows', sql: `SELECT school_id, max(name) AS name FROM ${quoteIdent('schools')} GROUP BY 1` });
    for (const r of names) if (r.school_id !== null && r.name !== null) schoolNames[String(r.school_id)] = String(r.name);
  }
  return { titles, schoolNames };
}

/**
 * The inputs of the workbook for the data loaded in `conn`: the `indicators` table (brought up to
 * date first) as Arrow, indicator titles and school names.
 */
export async function indicatorWorkbookInput(conn: Connector, opts: { ids?: string[] } = {}): Promise<IndicatorWorkbookInput> {
  await ensureIndicators(conn, opts.ids ? { ids: opts.ids } : {});
  const rows = await conn.query({ type: 'arrow', sql: selectRows(opts.ids), params: opts.ids ?? [] });
  return { rows, ...(await labels(conn)) };
}

/**
 * The whole workbook's inputs with the rows as IPC bytes for the writing worker. The browser's
 * connector passes the engine's bytes through: decoding 230 022 rows on the page and encoding them
 * again was a 170 ms main-thread block of the export (present-workbook test, under load).
 */
export async function indicatorWorkbookIpc(conn: Connector): Promise<IndicatorWorkbookIpc> {
  await ensureIndicators(conn, {});
  const ipc = conn.exportTable
    ? await conn.exportTable(selectRows(), 'arrow')
    : tableToIPC(await conn.query({ type: 'arrow', sql: selectRows() }), 'stream');
  return { ipc, ...(await labels(conn)) };
}
