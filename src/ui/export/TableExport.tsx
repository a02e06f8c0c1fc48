/**
 * CSV (Russian Excel), XLSX and Parquet export of one result table. CSV and XLSX follow the grid
 * that shows the result: every row of the whole result (not only the rows on screen), in the
 * grid's sort order, kept by its search unless «все строки» is ticked, headed by the Russian
 * titles the grid shows; the status line says which it was. They are written in a worker
 * (a million-row table froze the page for seconds), with progress and «Отменить»; without
 * workers, here. Parquet is for exchanging data: all rows as they came.
 */
import { Show, createSignal, type JSX } from 'solid-js';
import * as Comlink from 'comlink';
import { Table, tableToIPC } from 'apache-arrow';
import { toCsv } from '../../export/csv';
import { fromArrow, withSchoolNames, type ExportTable } from '../../export/table';
import { exportView, type ViewExportOptions, type ViewFormat } from '../../export/view';
import { formatPercent, schoolNames } from '../../format';
import type { TableExportWorkerApi } from '../../../workers/table-export.worker';
import { PLAIN_VIEW, exportSummary, gridColumns, type GridView } from '../grid';
import { gridViewOf } from '../ResultTable';
import { downloadBytes, fileName } from './download';
import { ExportCancelled, ExportStatus, createExportStatus } from './status';
import { inExportWorker } from './worker-run';
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

/** Cells per Arrow IPC piece sent to the worker: each piece is serialised in one short main-thread task (a few ms; 100 000 cells took up to 200 ms on a busy machine). */
const CHUNK_CELLS = 25_000;
const nextTask = () => new Promise<void>((ok) => setTimeout(ok, 0));

/** The table as Arrow IPC streams of about CHUNK_CELLS cells, yielding to the page between them. */
async function ipcChunks(t: Table, signal: AbortSignal): Promise<Uint8Array[]> {
  const rows = Math.max(1000, Math.floor(CHUNK_CELLS / Math.max(1, t.numCols)));
  const out: Uint8Array[] = [];
  for (let i = 0; i === 0 || i < t.numRows; i += rows) {
    out.push(tableToIPC(t.slice(i, i + rows), 'stream'));
    await nextTask();
    if (signal.aborted) throw new ExportCancelled();
  }
  return out;
}

type Written = { bytes: Uint8Array; written: number };

/** The file written by the table-export worker; null when workers cannot start (then the page writes it). */
async function inWorker(t: Table, opts: ViewExportOptions, progress: (f: number) => void, signal: AbortSignal): Promise<Written | null> {
  return inExportWorker<TableExportWorkerApi, Written>(
    () => new Worker(new URL('../../../workers/table-export.worker.ts', import.meta.url), { type: 'module' }),
    signal,
    async (api, stopped) => {
      const chunks = await Promise.race([ipcChunks(t, signal), stopped]);
      const names = [...schoolNames()];
      return Promise.race([api.build(Comlink.transfer(chunks, chunks.map((c) => c.buffer as ArrayBuffer)), opts, names, Comlink.proxy(progress)), stopped]);
    },
  );
}

export function TableExport(props: TableExportProps): JSX.Element {
  const [comma, setComma] = createSignal(true);
  const [everyRow, setEveryRow] = createSignal(false);
  const [running, setRunning] = createSignal<AbortController | null>(null);
  const { status, setStatus, run } = createExportStatus();
  const source = async (): Promise<Source> => (typeof props.table === 'function' ? props.table() : props.table);
  const grid = (): Table | undefined => props.grid ?? (props.table instanceof Table ? props.table : undefined);
  const gridView = (): GridView => {
    const g = grid();
    return g ? gridViewOf(g) : PLAIN_VIEW;
  };
  const searching = () => gridView().query.trim();

  /** CSV or XLSX of the rows as shown; the view is read when the button is pressed. */
  const write = (format: ViewFormat) => async () => {
    const what = format.toUpperCase();
    const abort = new AbortController();
    setRunning(abort);
    await run(what, async () => {
      const shown = gridView();
      const ignored = everyRow() ? shown.query : '';
      const view = ignored ? { ...shown, query: '' } : shown;
      const t = await source();
      if (abort.signal.aborted) throw new ExportCancelled();
      const file = fileName(props.name, format);
      if (!(t instanceof Table)) {
        const bytes = format === 'csv' ? toCsv(withSchoolNames(t), { decimalComma: comma(), titles: true }) : await (await import('../../export/xlsx')).toXlsx(t, props.name);
        downloadBytes(file, bytes, format);
        return `${what}: ${exportSummary(t.rows.length, t.rows.length, PLAIN_VIEW, [])}`;
      }
      const opts: ViewExportOptions = { format, view, sheet: props.name, decimalComma: comma() };
      // The worker's progress comes over its own message port and may land after the file: `done` drops it.
      let done = false;
      const progress = (f: number) => done || abort.signal.aborted || setStatus({ text: `${what}: выгрузка ${formatPercent(f, 0)}` });
      progress(0);
      const out = (await inWorker(t, opts, progress, abort.signal)) ?? (await exportView(t, opts, schoolNames(), progress));
      done = true;
      const summary = `${what}: ${exportSummary(t.numRows, out.written, view, gridColumns(t), ignored)}`;
      // The status says what was written by the time the file is saved.
      setStatus({ text: summary });
      downloadBytes(file, out.bytes, format);
      return summary;
    });
    setRunning(null);
  };
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
      <button onClick={write('csv')} disabled={running() !== null} data-testid="export-csv" title="CSV для Excel: UTF-8 с BOM, разделитель «;», в порядке и с поиском таблицы">
        CSV
      </button>
      <label title="Записывать дробные числа с запятой (12,5), как их читает русский Excel">
        <input type="checkbox" checked={comma()} onChange={(e) => setComma(e.currentTarget.checked)} data-testid="export-csv-comma" />
        запятая
      </label>
      <button onClick={write('xlsx')} disabled={running() !== null} data-testid="export-xlsx" title="Книга Excel с оформленной шапкой, в порядке и с поиском таблицы">
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
      <Show when={running()}>
        {(a) => (
          <button onClick={() => a().abort()} data-testid="export-cancel" title="Остановить выгрузку; файл не будет сохранён">
            Отменить
          </button>
        )}
      </Show>
      <ExportStatus status={status} testid="export-status" />
    </div>
  );
}
