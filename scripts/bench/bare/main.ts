/**
 * The bare engine page: the peer of the app's start-up in `npm run bench`. No app code: the
 * library's own async API and worker instantiate the same `duckdb-eh.wasm` asset the app serves,
 * and the same demo CSV assets are read with `read_csv` into plain tables. When they are in,
 * the page marks `bare:ready` (performance.now() from navigation) and sets `data-ready`.
 */
import * as duckdb from '@duckdb/duckdb-wasm';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';

const demoFiles = import.meta.glob('/datasets/demo/canonical/*.csv', { query: '?url', import: 'default', eager: true }) as Record<string, string>;

async function start(): Promise<number> {
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), new Worker(ehWorker));
  await db.instantiate(ehWasm);
  performance.mark('bare:instantiated');
  await db.open({});
  performance.mark('bare:opened');
  const conn = await db.connect();
  performance.mark('bare:engine');
  await Promise.all(
    Object.entries(demoFiles).map(async ([path, url]) => {
      const name = path.split('/').pop()!;
      await db.registerFileBuffer(name, new Uint8Array(await (await fetch(url)).arrayBuffer()));
    }),
  );
  let tables = 0;
  for (const path of Object.keys(demoFiles)) {
    const name = path.split('/').pop()!;
    await conn.query(`CREATE TABLE "${name.replace(/\.csv$/, '')}" AS SELECT * FROM read_csv('${name}')`);
    tables++;
  }
  performance.mark('bare:ready');
  return tables;
}

const status = document.getElementById('status')!;
start().then(
  (n) => {
    status.dataset.tables = String(n);
    status.dataset.ready = '1';
  },
  (e) => {
    status.dataset.error = String(e);
  },
);
