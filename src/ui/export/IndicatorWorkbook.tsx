/**
 * «Показатели всех ОО (.xlsx)»: brings every indicator up to date and saves one workbook, a sheet
 * per direction. The workbook is written in a worker (it froze the page for 17 s on the main
 * thread), with progress and «Отменить»; without workers it is written here.
 */
import { Show, createSignal, type JSX } from 'solid-js';
import * as Comlink from 'comlink';
import { tableFromIPC } from 'apache-arrow';
import type { Connector } from '../../db/connector';
import { formatPercent } from '../../format';
import type { WorkbookWorkerApi } from '../../../workers/indicator-workbook.worker';
import { downloadBytes, errorText } from './download';
import { ExportCancelled, ExportStatus, createExportStatus } from './status';
import { inExportWorker } from './worker-run';
import './export.css';

async function inWorker(ipc: Uint8Array, titles: Record<string, string>, names: Record<string, string>, progress: (f: number) => void, signal: AbortSignal): Promise<Uint8Array | null> {
  return inExportWorker<WorkbookWorkerApi, Uint8Array>(
    () => new Worker(new URL('../../../workers/indicator-workbook.worker.ts', import.meta.url), { type: 'module' }),
    signal,
    (api, stopped) => Promise.race([api.build(Comlink.transfer(ipc, [ipc.buffer as ArrayBuffer]), titles, names, Comlink.proxy(progress)), stopped]),
  );
}

export function IndicatorWorkbookButton(props: { conn: Connector }): JSX.Element {
  const { status, setStatus } = createExportStatus();
  const [running, setRunning] = createSignal<AbortController | null>(null);
  const run = async () => {
    const abort = new AbortController();
    setRunning(abort);
    setStatus({ text: 'Расчёт показателей…' });
    try {
      // Not src/export/indicators.ts: it carries the XLSX writer (exceljs), and compiling it on the page
      // was the export's longest main-thread block (4,6 s under load); the worker loads it instead.
      const input = await (await import('../../export/indicator-input')).indicatorWorkbookIpc(props.conn);
      if (abort.signal.aborted) throw new ExportCancelled();
      const progress = (f: number) => setStatus({ text: `Запись книги: ${formatPercent(f, 0)}` });
      progress(0);
      // The worker takes the bytes over (transferred once it is up); without one they are read here.
      let bytes = await inWorker(input.ipc, input.titles, input.schoolNames, progress, abort.signal);
      if (!bytes) {
        const { indicatorWorkbook, indicatorRowsOf } = await import('../../export/indicators');
        bytes = await indicatorWorkbook(indicatorRowsOf(tableFromIPC(input.ipc)), { titles: input.titles, schoolNames: input.schoolNames }, progress);
      }
      downloadBytes('Показатели ОО.xlsx', bytes, 'xlsx');
      setStatus({ text: 'Показатели: готово' });
    } catch (e) {
      setStatus(e instanceof ExportCancelled ? { text: 'Показатели: отменено' } : { text: `Показатели: ${errorText(e)}`, error: true });
    } finally {
      setRunning(null);
    }
  };
  return (
    <div class="export-bar">
      <button onClick={run} disabled={running() !== null} data-testid="export-indicators" title="Таблица показателей каждой ОО: лист на каждое направление">
        Показатели всех ОО (.xlsx)
      </button>
      <Show when={running()}>
        {(a) => (
          <button onClick={() => a().abort()} data-testid="export-indicators-cancel">
            Отменить
          </button>
        )}
      </Show>
      <ExportStatus status={status} testid="indicators-status" />
    </div>
  );
}
