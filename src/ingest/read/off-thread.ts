/**
 * A pure parse function (bytes → result) run where it does not freeze the page: in the browser
 * inside a fresh module worker per file (so its memory goes with it), in Node directly or in a
 * worker thread (node-worker.ts, the CLI). The bytes are transferred, not copied, and only once
 * the worker's script has loaded: when the worker cannot start, the browser parses on the main
 * thread instead of failing the import. A parse that outlives its timeout, or is cancelled, ends
 * with its worker terminated, so a hostile file cannot hold up the import queue.
 *
 *   parseOffThread(() => new Worker(new URL('…/csv.worker.ts', import.meta.url), { type: 'module' }), parseDelimited, bytes, control, tsv)
 *
 * (Vite bundles a worker only from a literal `new Worker(new URL(…))` in the caller's module.)
 */
import * as Comlink from 'comlink';
import { UserError } from '../../errors';

export interface ParseWorkerApi<A extends unknown[], R> {
  /** Answers once the script has loaded, before the bytes are handed over. */
  ready(): true;
  parse(bytes: Uint8Array, ...args: A): R;
}

/** How long a parse may run, and a way to stop it. */
export interface ParseControl {
  timeoutMs: number;
  signal?: AbortSignal;
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

export const cancelledError = () => new UserError('загрузка файла отменена.');
export const timeoutError = (ms: number) =>
  new UserError(`разбор файла остановлен: он шёл дольше ${Math.ceil(ms / 1000)} с. Файл слишком сложен или повреждён; сохраните его в формате CSV или разделите на части.`);

/** Rejects when the signal aborts or the time runs out; `stop` clears the timer. */
export function deadline(control: ParseControl): { expired: Promise<never>; stop: () => void } {
  let stop = () => {};
  const expired = new Promise<never>((_, reject) => {
    if (control.signal?.aborted) return reject(cancelledError());
    const onAbort = () => reject(cancelledError());
    control.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => reject(timeoutError(control.timeoutMs)), control.timeoutMs);
    stop = () => {
      clearTimeout(timer);
      control.signal?.removeEventListener('abort', onAbort);
    };
  });
  expired.catch(() => {});
  return { expired, stop };
}

export async function parseOffThread<A extends unknown[], R>(
  createWorker: () => Worker,
  parse: (bytes: Uint8Array, ...args: A) => R,
  bytes: Uint8Array,
  control: ParseControl,
  ...args: A
): Promise<R> {
  if (control.signal?.aborted) throw cancelledError();
  if (typeof Worker === 'undefined') return parse(bytes, ...args);
  let worker: Worker;
  try {
    worker = createWorker();
  } catch {
    return parse(bytes, ...args);
  }
  const { expired, stop } = deadline(control);
  try {
    // A worker that fails to load reports only an 'error' event; a comlink call would wait forever.
    const failed = new Promise<{ workerError: string }>((ok) =>
      worker.addEventListener('error', (e) => ok({ workerError: e instanceof ErrorEvent ? e.message : 'error' }), { once: true }),
    );
    // Typed loosely: comlink's mapped argument types do not survive a generic tuple.
    const api = Comlink.wrap(worker) as unknown as { ready(): Promise<true>; parse(bytes: Uint8Array, ...args: A): Promise<R> };
    if ((await Promise.race([api.ready(), failed, expired])) !== true) return parse(bytes, ...args);
    const parsed = await Promise.race([
      api.parse(Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]), ...args).then((result) => ({ result })),
      failed,
      expired,
    ]);
    if ('workerError' in parsed) throw new UserError(`сбой разбора файла в фоновом потоке (${parsed.workerError}); возможно, не хватило памяти.`);
    return parsed.result;
  } finally {
    stop();
    worker.terminate();
  }
}
