/**
 * The benchmark page, built next to the app (scripts/bench/vite.config.ts) and driven by
 * scripts/bench/browser.ts through `window.__bench`. It uses the app's own modules: the
 * browser connector (DuckDB-WASM in the app's worker), the reader, the mapping, the canonical
 * loader (Parquet through parquet-wasm in chunks) and the indicator runner. Data files are
 * fetched from the same origin (`__data/`) before the clock starts, as if the user had picked them.
 */
import { db } from '../../../src/db/browser-connector';
import { floorImport } from '../floor';
import { importFile, loadCanonical, runAllIndicators, sortIndicatorRows, summariseImports, summariseIndicators, summariseLimits } from '../steps';

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}


/** Main-thread long tasks (> 50 ms) during a step: the UI would freeze for that long. */
const longTasks: { start: number; duration: number }[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration });
}).observe({ type: 'longtask', buffered: false });
/** When each indicator finished (performance.now()), to name the one a long task fell into. */
const finished: { id: string; at: number }[] = [];
const mainThread = () => {
  const longest = longTasks.reduce<{ start: number; duration: number } | null>((a, b) => (!a || b.duration > a.duration ? b : a), null);
  const during = longest ? finished.find((f) => f.at >= longest.start)?.id : undefined;
  return { longestTaskMs: longest?.duration ?? 0, longTasks: longTasks.length, ...(during ? { longestTaskDuring: during } : {}) };
};

let resumeCatalogue: (() => void) | undefined;

const bench = {
  async ready(): Promise<string> {
    await db.ready();
    return db.version;
  },

  async importUrl(url: string, name: string, runs: number) {
    const bytes = await fetchBytes(url);
    const results = [];
    const during: { start: number; duration: number }[] = [];
    for (let i = 0; i < runs; i++) {
      // A fresh copy per run (the import may take ownership of the bytes). Copying 97 MB is the
      // bench's own work, not the app's: only long tasks that start after it are counted.
      const copy = bytes.slice();
      await new Promise((ok) => setTimeout(ok, 0));
      const from = performance.now();
      longTasks.length = 0;
      results.push(await importFile(db, name, copy));
      during.push(...longTasks.filter((t) => t.start >= from));
    }
    longTasks.splice(0, longTasks.length, ...during);
    return { ...summariseImports(results, bytes.length), ...mainThread() };
  },

  /** The contract-form floor (scripts/bench/floor.ts) on DuckDB-WASM, from the file's bytes. */
  async floorUrl(url: string, runs: number) {
    const bytes = await fetchBytes(url);
    const results = [];
    for (let i = 0; i < runs; i++) results.push(await floorImport(db, bytes));
    return { ...summariseLimits(results), bytes: bytes.length };
  },

  /** Lets an `indicators` call that paused after loading go on (the driver has reset the peak). */
  resume(): void {
    resumeCatalogue?.();
  },

  /**
   * Loads the canonical files, then runs the catalogue. With `pauseAfterLoad` it waits between
   * the two (status `data-loaded="1"`) until `resume()`, so the driver can take the catalogue's
   * own peak memory apart from the loading's.
   */
  async indicators(base: string, files: string[], runs: number, withTable = false, ids?: string[], pauseAfterLoad = false) {
    const loaded = [];
    for (const f of files) loaded.push({ name: f, bytes: await fetchBytes(base + encodeURIComponent(f)) });
    const load = await loadCanonical(db, loaded);
    // The file bytes are the bench's, not the catalogue's: not held while it runs.
    loaded.length = 0;
    if (pauseAfterLoad) {
      const resumed = new Promise<void>((ok) => (resumeCatalogue = ok));
      document.getElementById('status')!.dataset.loaded = '1';
      await resumed;
    }
    longTasks.length = 0;
    finished.length = 0;
    const results: Awaited<ReturnType<typeof runAllIndicators>>[] = [];
    const onIndicator = (id: string) => {
      finished.push({ id, at: performance.now() });
      // The last finished indicator, read by the driver when the engine runs out of memory.
      document.getElementById('status')!.dataset.last = id;
    };
    for (let i = 0; i < runs; i++) results.push(await runAllIndicators(db, { onIndicator, ids, withTable: withTable && i === runs - 1 }));
    const table = results[results.length - 1]?.table;
    return { ...summariseIndicators(results, load), table: table && sortIndicatorRows(table), ...mainThread() };
  },
};

declare global {
  interface Window {
    __bench: typeof bench;
  }
}
window.__bench = bench;
document.getElementById('status')!.dataset.ready = '1';
