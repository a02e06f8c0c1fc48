/**
 * CSV/XLSX of an Arrow result as its grid shows it (sort, search, Russian titles, school names),
 * the one implementation the page's fallback and the table-export worker both call. Pure: the
 * grid's view and the school directory come in as arguments, so it runs the same in a worker.
 */
import type { Table } from 'apache-arrow';
import type { SchoolNames } from '../format';
import { gridColumns, viewRows, type GridView } from '../ui/grid';
import { toCsv } from './csv';
import { fromArrow, withSchoolNames, type ExportTable } from './table';

export type ViewFormat = 'csv' | 'xlsx';

export interface ViewExportOptions {
  format: ViewFormat;
  /** The grid's sort and search to follow (the search already dropped when «все строки» is ticked). */
  view: GridView;
  /** Sheet name of the XLSX. */
  sheet: string;
  /** CSV decimal commas. */
  decimalComma: boolean;
}

/** Share of the work done (0…1); called a few dozen times per export. */
export type ViewProgress = (fraction: number) => void;

/** The file's bytes and how many rows it holds. Stages: ordering (10 %), reading (20 %), writing (70 %). */
export async function exportView(t: Table, opts: ViewExportOptions, names: SchoolNames, progress: ViewProgress = () => undefined): Promise<{ bytes: Uint8Array; written: number }> {
  progress(0);
  const order = viewRows(t.numRows, gridColumns(t), opts.view, names);
  progress(0.1);
  // Kinds and digits are inferred over the whole result (as before), then the shown rows picked.
  const all = fromArrow(t);
  const table: ExportTable = order ? { columns: all.columns, rows: Array.from(order, (i) => all.rows[i]!) } : all;
  progress(0.3);
  const writing = (f: number) => progress(0.3 + 0.7 * f);
  let bytes: Uint8Array;
  if (opts.format === 'csv') {
    bytes = toCsv(withSchoolNames(table, names), { decimalComma: opts.decimalComma, titles: true, progress: writing });
  } else {
    const { toXlsxWorkbook } = await import('./xlsx');
    bytes = await toXlsxWorkbook([{ name: opts.sheet, table: withSchoolNames(table, names) }], writing);
  }
  progress(1);
  return { bytes, written: table.rows.length };
}
