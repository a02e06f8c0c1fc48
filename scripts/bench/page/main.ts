/**
 * The benchmark page, built next to the app (scripts/bench/vite.config.ts) and driven by
 * scripts/bench/browser.ts through `window.__bench`. It uses the app's own modules: the
 * browser connector (DuckDB-WASM in the app's worker), the reader, the mapping, the canonical
 * loader and the indicator runner. Data files are fetched from the same origin (`__data/`)
 * before the clock starts, as if the user had picked them.
 */
import { db } from '../../../src/db/browser-connector';
import { loadParquetWasm } from '../../../src/export/parquet';
import { importFile, loadCanonical, runAllIndicators, sortIndicatorRows, type LoadResult } from '../steps';

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Main-thread long tasks (> 50 ms) during a step: the UI would freeze for that long. */
const longTasks: number[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) longTasks.push(e.duration);
}).observe({ type: 'longtask', buffered: false });
const mainThread = () => ({ longestTaskMs: longTasks.reduce((a, b) => Math.max(a, b), 0), longTasks: longTasks.length });

const CHUNK_ROWS = 500_000;

/**
 * DuckDB-WASM has no Parquet reader without its extension (which would be downloaded), so
 * the page decodes Parquet with parquet-wasm and appends Arrow chunks of CHUNK_ROWS rows:
 * one Arrow copy of a 15M-row table would not fit next to the wasm heap.
 */
async function loadParquetTables(base: string, files: string[]): Promise<LoadResult> {
  const pq = await loadParquetWasm();
  const t0 = performance.now();
  const counts: Record<string, number> = {};
  for (const f of files) {
    const table = f.replace(/\.parquet$/, '');
    const bytes = await fetchBytes(base + encodeURIComponent(f));
    let offset = 0;
    for (;;) {
      const ipc = pq.readParquet(bytes, { limit: CHUNK_ROWS, offset }).intoIPCStream();
      if (offset === 0) await db.insertArrow(table, ipc);
      else {
        await db.insertArrow('__bench_chunk', ipc);
        await db.query({ type: 'exec', sql: `INSERT INTO "${table}" SELECT * FROM __bench_chunk; DROP TABLE __bench_chunk` });
      }
      const [c] = await db.query({ type: 'rows', sql: `SELECT count(*)::DOUBLE AS n FROM "${table}"` });
      const n = Number(c?.n ?? 0);
      if (n - offset < CHUNK_ROWS) {
        counts[table] = n;
        break;
      }
      offset = n;
    }
  }
  return { ms: performance.now() - t0, counts };
}

const bench = {
  async ready(): Promise<string> {
    await db.ready();
    return db.version;
  },

  async importUrl(url: string, name: string, runs: number) {
    const bytes = await fetchBytes(url);
    longTasks.length = 0;
    const results = [];
    for (let i = 0; i < runs; i++) results.push(await importFile(db, name, bytes.slice()));
    return {
      ms: median(results.map((r) => r.totalMs)),
      readMs: median(results.map((r) => r.readMs)),
      mapMs: median(results.map((r) => r.mapMs)),
      samples: results.map((r) => r.totalMs),
      layout: results[0]?.layout,
      counts: results[0]?.counts,
      bytes: bytes.length,
      ...mainThread(),
    };
  },

  async indicators(base: string, files: string[], runs: number, withTable = false) {
    let load: LoadResult;
    if (files.every((f) => f.endsWith('.parquet'))) load = await loadParquetTables(base, files);
    else {
      const loaded = [];
      for (const f of files) loaded.push({ name: f, bytes: await fetchBytes(base + encodeURIComponent(f)) });
      load = await loadCanonical(db, loaded);
    }
    longTasks.length = 0;
    const results: Awaited<ReturnType<typeof runAllIndicators>>[] = [];
    for (let i = 0; i < runs; i++) results.push(await runAllIndicators(db));
    const last = results[results.length - 1]!;
    return {
      loadMs: load.ms,
      counts: load.counts,
      ms: median(results.map((r) => r.ms)),
      samples: results.map((r) => r.ms),
      perIndicator: Object.fromEntries(Object.keys(last.perIndicator).map((id) => [id, median(results.map((r) => r.perIndicator[id] ?? 0))])),
      rows: last.rows,
      errors: last.errors,
      table: withTable ? sortIndicatorRows(last.table) : undefined,
      ...mainThread(),
    };
  },
};

declare global {
  interface Window {
    __bench: typeof bench;
  }
}
window.__bench = bench;
document.getElementById('status')!.dataset.ready = '1';
