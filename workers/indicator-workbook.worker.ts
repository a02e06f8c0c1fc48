/**
 * Writes the all-schools indicator workbook (src/export/indicators.ts) off the page's main
 * thread: the rows arrive as Arrow IPC bytes (transferred), the XLSX bytes go back transferred,
 * progress is reported through a callback. Cancelling terminates the worker.
 */
import * as Comlink from 'comlink';
import { tableFromIPC } from 'apache-arrow';
import { indicatorRowsOf, indicatorWorkbook } from '../src/export/indicators';

export interface WorkbookWorkerApi {
  ready(): true;
  build(ipc: Uint8Array, titles: Record<string, string>, schoolNames: Record<string, string>, progress: (fraction: number) => void): Promise<Uint8Array>;
}

const api: WorkbookWorkerApi = {
  ready: () => true,
  async build(ipc, titles, schoolNames, progress) {
    const rows = indicatorRowsOf(tableFromIPC(ipc));
    const bytes = await indicatorWorkbook(rows, { titles, schoolNames }, progress);
    return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
  },
};
Comlink.expose(api);
