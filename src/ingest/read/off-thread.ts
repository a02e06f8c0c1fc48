/**
 * A pure parse function (bytes → result) run where it does not freeze the page: in the browser
 * inside a fresh module worker per file (so its memory goes with it), in Node directly. The bytes
 * are transferred, not copied, and only once the worker's script has loaded: when the worker
 * cannot start, the browser parses on the main thread instead of failing the import.
 *
 *   parseOffThread(() => new Worker(new URL('…/csv.worker.ts', import.meta.url), { type: 'module' }), parseDelimited, bytes, tsv)
 *
 * (Vite bundles a worker only from a literal `new Worker(new URL(…))` in the caller's module.)
 */
import * as Comlink from 'comlink';

export interface ParseWorkerApi<A extends unknown[], R> {
  /** Answers once the script has loaded, before the bytes are handed over. */
  ready(): true;
  parse(bytes: Uint8Array, ...args: A): R;
}

/** The worker side: exposes `parse`, transferring the buffers `transferables` picks from its result. */
export function exposeParser<A extends unknown[], R>(parse: (bytes: Uint8Array, ...args: A) => R, transferables: (result: R) => ArrayBuffer[]): void {
  const api: ParseWorkerApi<A, R> = {
    ready: () => true,
    parse: (bytes, ...args) => {
      const result = parse(bytes, ...args);
      return Comlink.transfer(result, transferables(result));
    },
  };
  Comlink.expose(api);
}

export async function parseOffThread<A extends unknown[], R>(
  createWorker: () => Worker,
  parse: (bytes: Uint8Array, ...args: A) => R,
  bytes: Uint8Array,
  ...args: A
): Promise<R> {
  if (typeof Worker === 'undefined') return parse(bytes, ...args);
  let worker: Worker;
  try {
    worker = createWorker();
  } catch {
    return parse(bytes, ...args);
  }
  try {
    // A worker that fails to load reports only an 'error' event; a comlink call would wait forever.
    const failed = new Promise<{ workerError: string }>((ok) =>
      worker.addEventListener('error', (e) => ok({ workerError: e instanceof ErrorEvent ? e.message : 'error' }), { once: true }),
    );
    // Typed loosely: comlink's mapped argument types do not survive a generic tuple.
    const api = Comlink.wrap(worker) as unknown as { ready(): Promise<true>; parse(bytes: Uint8Array, ...args: A): Promise<R> };
    if ((await Promise.race([api.ready(), failed])) !== true) return parse(bytes, ...args);
    const parsed = await Promise.race([api.parse(Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]), ...args).then((result) => ({ result })), failed]);
    if ('workerError' in parsed) throw new Error(`Сбой разбора файла в фоновом потоке: ${parsed.workerError}`);
    return parsed.result;
  } finally {
    worker.terminate();
  }
}
