/**
 * CSV (Russian Excel), XLSX and Parquet export of one result table. CSV and XLSX follow the grid
 * that shows the result: every row of the whole result (not only the rows on screen), in the
 * grid's sort order, kept by its search unless «все строки» is ticked, headed by the Russian
 * titles the grid shows; the status line says which it was. Parquet is for exchanging data: all
 * rows as they came.
 */
import { Show, createSignal, type JSX } from 'solid-js';
import { Table } from 'apache-arrow';
import { toCsv } from '../../export/csv';
import { fromArrow, withSchoolNames, type ExportTable } from '../../export/table';
import { schoolNames } from '../../format';
import { PLAIN_VIEW, exportSummary, gridColumns, viewRows, type GridView } from '../grid';
import { gridViewOf } from '../ResultTable';
import { downloadBytes, fileName } from './download';
import { ExportStatus, createExportStatus } from './status';
import './export.css';

type Source = Table | ExportTable;

export interface TableExportProps {
  /** The result (an Arrow table from a query, or an ExportTable), or a loader of the whole table. */
  table: Source | (() => Promise<Source>);
  /** File name base and sheet name (the cell's name). */
  name: string;
  /**
   * The table a grid on the page shows, whose sort and search the export follows (a preview of
   * the loaded whole, with the same columns). Default: `table` itself when it is an Arrow table.
   */
  grid?: Table | undefined;
}

/** The rows to write under the grid's view, and the status line that says so; `ignoredQuery` is a search exported past. */
function asShown(t: Source, view: GridView, ignoredQuery: string): { table: ExportTable; summary: string } {
  if (!(t instanceof Table)) return { table: t, summary: exportSummary(t.rows.length, t.rows.length, PLAIN_VIEW, []) };
  const cols = gridColumns(t);
  const order = viewRows(t.numRows, cols, view, schoolNames());
  const all = fromArrow(t);
  const table = order ? { columns: all.columns, rows: Array.from(order, (i) => all.rows[i]!) } : all;
  return { table, summary: exportSummary(t.numRows, table.rows.length, view, cols, ignoredQuery) };
}

export function TableExport(props: TableExportProps): JSX.Element {
  const [comma, setComma] = createSignal(true);
  const [everyRow, setEveryRow] = createSignal(false);
  const { status, run } = createExportStatus();
  const source = async (): Promise<Source> => (typeof props.table === 'function' ? props.table() : props.table);
  const grid = (): Table | undefined => props.grid ?? (props.table instanceof Table ? props.table : undefined);
  const gridView = (): GridView => {
    const g = grid();
    return g ? gridViewOf(g) : PLAIN_VIEW;
  };
  const searching = () => gridView().query.trim();
  /** The table to write and the status line; the view is read when the button is pressed. */
  const shown = async (): Promise<{ table: ExportTable; summary: string }> => {
    const view = gridView();
    const ignored = everyRow() ? view.query : '';
    return asShown(await source(), ignored ? { ...view, query: '' } : view, ignored);
  };

  const csv = () =>
    run('CSV', async () => {
      const { table, summary } = await shown();
      downloadBytes(fileName(props.name, 'csv'), toCsv(withSchoolNames(table), { decimalComma: comma(), titles: true }), 'csv');
      return `CSV: ${summary}`;
    });
  const xlsx = () =>
    run('XLSX', async () => {
      const { table, summary } = await shown();
      downloadBytes(fileName(props.name, 'xlsx'), await (await import('../../export/xlsx')).toXlsx(table, props.name), 'xlsx');
      return `XLSX: ${summary}`;
    });
  const parquet = () =>
    run('Parquet', async () => {
      const t = await source();
      const { toParquet } = await import('../../export/parquet');
      let bytes: Uint8Array;
      try {
        bytes = await toParquet(t);
      } catch {
        // Arrow types parquet-wasm cannot take (e.g. some DuckDB extension types): go through plain values.
        bytes = await toParquet(t instanceof Table ? fromArrow(t) : t);
      }
      downloadBytes(fileName(props.name, 'parquet'), bytes, 'parquet');
    });

  return (
    <div class="export-bar" data-testid="table-export">
      <button onClick={csv} data-testid="export-csv" title="CSV для Excel: UTF-8 с BOM, разделитель «;», в порядке и с поиском таблицы">
        CSV
      </button>
      <label title="Записывать дробные числа с запятой (12,5), как их читает русский Excel">
        <input type="checkbox" checked={comma()} onChange={(e) => setComma(e.currentTarget.checked)} data-testid="export-csv-comma" />
        запятая
      </label>
      <button onClick={xlsx} data-testid="export-xlsx" title="Книга Excel с оформленной шапкой, в порядке и с поиском таблицы">
        XLSX
      </button>
      <button onClick={parquet} data-testid="export-parquet" title="Parquet — для обмена данными: все строки в исходном порядке">
        Parquet
      </button>
      <Show when={searching()}>
        <label title="Выгрузить все строки результата, а не только найденные поиском">
          <input type="checkbox" checked={everyRow()} onChange={(e) => setEveryRow(e.currentTarget.checked)} data-testid="export-every-row" />
          все строки, без учёта поиска «{searching()}»
        </label>
      </Show>
      <ExportStatus status={status} testid="export-status" />
    </div>
  );
}
