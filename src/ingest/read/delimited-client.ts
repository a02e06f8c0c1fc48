/**
 * parseDelimited where it does not freeze the page: in the browser inside workers/csv.worker.ts
 * (a fresh worker per file, so the decoded text's memory goes with it), in Node directly. When the
 * worker cannot start, the browser parses on the main thread rather than failing the import.
 */
import * as Comlink from 'comlink';
import type { CsvWorkerApi } from '../../../workers/csv.worker';
import { parseDelimited, type DelimitedResult } from './delimited';

/** Takes over `bytes` in the browser: they move to the worker without a copy (as registerFile does). */
export async function parseDelimitedOffThread(bytes: Uint8Array, tsv: boolean): Promise<DelimitedResult> {
  if (typeof Worker === 'undefined') return parseDelimited(bytes, tsv);
  let worker: Worker;
  try {
    worker = new Worker(new URL('../../../workers/csv.worker.ts', import.meta.url), { type: 'module', name: 'csv' });
  } catch {
    return parseDelimited(bytes, tsv);
  }
  try {
    // A worker that fails to load reports only an 'error' event; the comlink call would wait forever.
    const failed = new Promise<{ error: string }>((ok) =>
      worker.addEventListener('error', (e) => ok({ error: e instanceof ErrorEvent ? e.message : 'error' }), { once: true }),
    );
    const api = Comlink.wrap<CsvWorkerApi>(worker);
    // The bytes are transferred, not copied, so they cannot come back for the fallback: hand them
    // over only to a worker whose script has loaded.
    if ((await Promise.race([api.ready(), failed])) !== true) return parseDelimited(bytes, tsv);
    const parsed = await Promise.race([api.parse(Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]), tsv), failed]);
    if ('error' in parsed) throw new Error(`CSV worker failed: ${parsed.error}`);
    return parsed;
  } finally {
    worker.terminate();
  }
}
