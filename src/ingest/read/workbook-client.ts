/**
 * parseWorkbook where it does not freeze the page: in the browser inside workers/xlsx.worker.ts
 * (a fresh worker per workbook, so SheetJS's memory goes with it), in Node directly. When the
 * worker cannot start, the browser parses on the main thread rather than failing the import.
 */
import * as Comlink from 'comlink';
import type { XlsxWorkerApi } from '../../../workers/xlsx.worker';
import { parseWorkbook, type ParsedWorkbook } from './workbook';

export async function parseWorkbookOffThread(bytes: Uint8Array): Promise<ParsedWorkbook> {
  if (typeof Worker === 'undefined') return parseWorkbook(bytes);
  let worker: Worker;
  try {
    worker = new Worker(new URL('../../../workers/xlsx.worker.ts', import.meta.url), { type: 'module', name: 'xlsx' });
  } catch {
    return parseWorkbook(bytes);
  }
  try {
    // A worker that fails to load reports only an 'error' event; the comlink call would wait forever.
    const failed = new Promise<null>((ok) => worker.addEventListener('error', () => ok(null), { once: true }));
    const copy = bytes.slice();
    const api = Comlink.wrap<XlsxWorkerApi>(worker);
    const parsed = await Promise.race([api.parse(Comlink.transfer(copy, [copy.buffer])), failed]);
    return parsed ?? parseWorkbook(bytes);
  } finally {
    worker.terminate();
  }
}
