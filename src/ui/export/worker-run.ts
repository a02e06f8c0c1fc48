/**
 * Runs one long export in a fresh comlink worker: waits for it to be ready, lets «Отменить» (the
 * signal) stop it at any await, and always terminates it. Null when workers cannot start here (the
 * caller then writes the file on the page).
 */
import * as Comlink from 'comlink';
import { ExportCancelled } from './status';

export async function inExportWorker<Api extends { ready(): boolean }, T>(
  make: () => Worker,
  signal: AbortSignal,
  use: (api: Comlink.Remote<Api>, stopped: Promise<never>) => Promise<T>,
): Promise<T | null> {
  let worker: Worker;
  try {
    worker = make();
  } catch {
    return null;
  }
  const api = Comlink.wrap<Api>(worker);
  const failed = new Promise<null>((ok) => worker.addEventListener('error', () => ok(null), { once: true }));
  const stopped = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new ExportCancelled()), { once: true }));
  stopped.catch(() => undefined);
  try {
    if ((await Promise.race([api.ready(), failed, stopped])) !== true) return null;
    return await use(api, stopped);
  } finally {
    worker.terminate();
  }
}
