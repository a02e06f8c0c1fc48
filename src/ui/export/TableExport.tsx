/** CSV (Russian Excel), XLSX and Parquet export of one result table. */
import { createSignal, type JSX } from 'solid-js';
import { Table } from 'apache-arrow';
import { toCsv } from '../../export/csv';
import { fromArrow, type ExportTable } from '../../export/table';
import { downloadBytes, fileName } from './download';
import { ExportStatus, createExportStatus } from './status';
import './export.css';

type Source = Table | ExportTable;

export interface TableExportProps {
  /** The result (an Arrow table from a query, or an ExportTable), or a loader of the whole table. */
  table: Source | (() => Promise<Source>);
  /** File name base and sheet name (the cell's name). */
  name: string;
}

export function TableExport(props: TableExportProps): JSX.Element {
  const [comma, setComma] = createSignal(false);
  const { status, run } = createExportStatus();
  const source = async (): Promise<Source> => (typeof props.table === 'function' ? props.table() : props.table);
  const exportTable = async (): Promise<ExportTable> => {
    const t = await source();
    return t instanceof Table ? fromArrow(t) : t;
  };

  const csv = () => run('CSV', async () => downloadBytes(fileName(props.name, 'csv'), toCsv(await exportTable(), { decimalComma: comma() }), 'csv'));
  const xlsx = () => run('XLSX', async () => downloadBytes(fileName(props.name, 'xlsx'), await (await import('../../export/xlsx')).toXlsx(await exportTable(), props.name), 'xlsx'));
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
      <button onClick={csv} data-testid="export-csv" title="CSV для Excel: UTF-8 с BOM, разделитель «;»">
        CSV
      </button>
      <label title="Записывать дробные числа с запятой (12,5)">
        <input type="checkbox" checked={comma()} onChange={(e) => setComma(e.currentTarget.checked)} data-testid="export-csv-comma" />
        запятая
      </label>
      <button onClick={xlsx} data-testid="export-xlsx" title="Книга Excel с оформленной шапкой">
        XLSX
      </button>
      <button onClick={parquet} data-testid="export-parquet" title="Parquet — для обмена данными">
        Parquet
      </button>
      <ExportStatus status={status} testid="export-status" />
    </div>
  );
}
