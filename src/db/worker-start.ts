/**
 * The database worker's entry (started by src/db/early-worker.ts and the connector). It does
 * the two things that must come first and are small: it refuses requests that would leave the
 * app's origin, and it starts fetching and compiling DuckDB's wasm. Only then does it load the
 * engine's code (workers/db.worker.ts, ≈1.4 MB of JavaScript with DuckDB's bindings and Arrow).
 * A warm-reload trace showed that code costing 0.6–0.8 s of the worker's thread before the wasm
 * was even requested (decode, parse, evaluate; Chromium makes a script's code cache on its
 * second load and uses it from the third, so a first reload parses it all again); now the wasm
 * is read from the HTTP cache (and its compiled module from the code cache) meanwhile.
 */
import './worker-guard';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';

performance.mark('db:worker');
/**
 * The compiled module. compileStreaming on the fetched response itself (the library re-wraps the
 * body to report progress, which keeps Chromium from caching the compiled module): a reload
 * deserialises the machine code from Chromium's code cache instead of compiling 34 MB again.
 */
export const compiling: Promise<WebAssembly.Module> = WebAssembly.compileStreaming(
  fetch(ehWasm).then((r) => (performance.mark('db:wasm-response'), r)),
).then((m) => (performance.mark('db:compiled'), m));
compiling.catch(() => undefined);

// Calls that arrive before the engine's code has loaded (the connector's `init`) are kept and
// handed to it in their order once it listens.
const early: MessageEvent[] = [];
const keep = (e: MessageEvent) => void early.push(e);
self.addEventListener('message', keep);
void import('../../workers/db.worker').then(
  () => {
    performance.mark('db:engine-code');
    self.removeEventListener('message', keep);
    for (const e of early) self.dispatchEvent(new MessageEvent('message', { data: e.data, ports: [...e.ports] }));
  },
  (e: unknown) => {
    // The page learns of it as a worker error (the connector then restarts or reports the failure).
    setTimeout(() => {
      throw e;
    });
  },
);
