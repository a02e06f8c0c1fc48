/**
 * The database worker, started by the page's first (tiny) script (vite.config.ts, earlyWorker) before the app's bundle has
 * loaded and run, so the worker's scripts and DuckDB's wasm load and compile while the page's own
 * code does: the bench showed the worker requested 0.6–0.8 s after navigation, once the start
 * bundle had run and the shell had rendered. The connector takes it once; restarts make their own.
 */
type Early = { worker: Worker; failed: boolean };

let early: Early | null = null;
if (typeof Worker !== 'undefined' && typeof document !== 'undefined') {
  const worker = new Worker(new URL('./worker-start.ts', import.meta.url), { type: 'module', name: 'duckdb' });
  const started: Early = { worker, failed: false };
  // An error before the connector listens (its script failed to load) would otherwise be lost
  // and the engine's start would wait forever; such a worker is not handed over.
  worker.addEventListener('error', () => (started.failed = true), { once: true });
  early = started;
}

/** The worker started early, once; null afterwards, outside a page, or if it failed to start. */
export function takeEarlyDbWorker(): Worker | null {
  const taken = early;
  early = null;
  if (!taken) return null;
  if (!taken.failed) return taken.worker;
  taken.worker.terminate();
  return null;
}
