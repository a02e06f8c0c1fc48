/**
 * Build time (Node): the demo municipality's canonical tables as Arrow IPC streams, made by the
 * same DuckDB-WASM (its Node build, the same `duckdb-eh.wasm`) running the app's own loader
 * (`loadCanonicalFiles`) over the committed CSVs. A first start then inserts these streams as
 * start-up restores a stored table (`BrowserConnector.restoreTables`), instead of parsing 13 MB
 * of CSV as text and casting every cell in the tab (≈2 s after the engine was up, in the bench).
 * The streams are made as `persistTables` makes a stored table's (the worker's open settings,
 * `SELECT *` to Arrow), so a first start and a reload put back the same values.
 *
 * Cached by the CSVs' and the engine's bytes in `.cache/demo-arrow/` (making them takes ≈7 s).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { SESSION_SETTINGS, WORKSPACE_SETUP, quoteIdent, type Connector } from './connector';
import { arrowToRows } from './arrow-rows';
import { loadCanonicalFiles } from '../indicators/load';
import { packDemo, type DemoTable } from './demo-pack';

/** The demo's tables from their CSVs, packed (src/db/demo-pack.ts). */
export async function buildDemoArrow(csvDir: string, cacheDir: string): Promise<Uint8Array> {
  const require = createRequire(import.meta.url);
  const dist = join(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'), '..');
  const names = readdirSync(csvDir).filter((f) => f.endsWith('.csv')).sort();
  const key = createHash('sha256');
  key.update(readFileSync(join(dist, 'duckdb-eh.wasm')));
  for (const f of names) key.update(f).update(readFileSync(join(csvDir, f)));
  // The loader's code decides the values too (with what it imports for CSV: the contract, the
  // connector's settings and quoting): a change to any of them must not reuse an old file.
  for (const f of ['../indicators/load.ts', '../model/contract.ts', './connector.ts', './demo-arrow.ts']) key.update(readFileSync(new URL(f, import.meta.url)));
  const cached = join(cacheDir, `${key.digest('hex').slice(0, 24)}.bin`);
  if (existsSync(cached)) return new Uint8Array(readFileSync(cached));
  const packed = packDemo(await makeTables(csvDir, names, dist, require));
  mkdirSync(cacheDir, { recursive: true });
  // Two builds at once (the app's and the bench's) may both make it: each writes its own file and renames it.
  const part = `${cached}.${process.pid}.part`;
  writeFileSync(part, packed);
  renameSync(part, cached);
  return packed;
}

async function makeTables(csvDir: string, names: string[], dist: string, require: NodeJS.Require): Promise<DemoTable[]> {
  // The library's Node build brings its own (CommonJS) apache-arrow: its tables are that copy's.
  const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
  const arrow = require('apache-arrow');
  const bundle = { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: '' };
  const bindings = await duckdb.createDuckDB({ mvp: bundle, eh: bundle }, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await bindings.instantiate(() => {});
  // As the database worker opens it (workers/db.worker.ts).
  bindings.open({ query: { castBigIntToDouble: true, castDecimalToDouble: true } });
  const conn = bindings.connect();
  try {
    for (const s of [...SESSION_SETTINGS, ...WORKSPACE_SETUP]) conn.query(s);
    const connector = {
      async query(r: { type: string; sql: string }) {
        const t = conn.query(r.sql);
        return r.type === 'rows' ? arrowToRows(t) : r.type === 'arrow' ? t : undefined;
      },
      async registerFile(name: string, bytes: Uint8Array) {
        bindings.registerFileBuffer(name, bytes);
        return name;
      },
      async dropFile(name: string) {
        bindings.dropFile(name);
      },
    } as unknown as Connector;
    const files = names.map((name) => ({ name, bytes: new Uint8Array(readFileSync(join(csvDir, name))) }));
    const loaded = await loadCanonicalFiles(connector, files);
    return loaded.map((name) => {
      const columns = arrowToRows(conn.query(`DESCRIBE ${quoteIdent(name)}`)).map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
      const table = conn.query(`SELECT * FROM ${quoteIdent(name)}`);
      return { name, columns, rowCount: table.numRows, ipc: arrow.tableToIPC(table, 'stream') as Uint8Array };
    });
  } finally {
    conn.close();
    bindings.reset?.();
  }
}
