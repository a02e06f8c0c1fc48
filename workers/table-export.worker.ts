/**
 * Writes the CSV/XLSX of a result table (src/export/view.ts) off the page's main thread: the
 * table arrives as Arrow IPC streams, one per record batch (transferred), the file's bytes go
 * back transferred, progress is reported through a callback. Cancelling terminates the worker.
 */
import * as Comlink from 'comlink';
import { tableFromIPC } from 'apache-arrow';
import { exportView, type ViewExportOptions } from '../src/export/view';

export interface TableExportWorkerApi {
  ready(): true;
  build(chunks: Uint8Array[], opts: ViewExportOptions, schoolNames: [string, string][], progress: (fraction: number) => void): Promise<{ bytes: Uint8Array; written: number }>;
}

const api: TableExportWorkerApi = {
  ready: () => true,
  async build(chunks, opts, schoolNames, progress) {
    const [first, ...rest] = chunks.map((c) => tableFromIPC(c));
    const { bytes, written } = await exportView(first!.concat(...rest), opts, new Map(schoolNames), progress);
    return Comlink.transfer({ bytes, written }, [bytes.buffer as ArrayBuffer]);
  },
};
Comlink.expose(api);
