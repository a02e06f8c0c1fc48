/**
 * DuckDB-WASM (blocking API) in a module Web Worker, exposed with comlink. The main thread
 * talks to it only through src/db/browser-connector.ts. The worker's entry is
 * src/db/worker-start.ts: it guards the origin and starts the wasm's fetch and compile, then
 * loads this module. The wasm files are served from the app's own origin; extension
 * auto-install and auto-load are off (no request leaves the page).
 */
import * as Comlink from 'comlink';
import * as duckdb from '@duckdb/duckdb-wasm/blocking';
import type { DuckDBBindings, DuckDBConnection, DuckDBRuntime } from '@duckdb/duckdb-wasm/blocking';
import { tableToIPC, type Table } from 'apache-arrow';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import { SESSION_SETTINGS, WORKSPACE_SETUP, type Param, type Row } from '../src/db/connector';
import { arrowToRows } from '../src/db/arrow-rows';
import { compiling } from '../src/db/worker-start';

let db: DuckDBBindings | null = null;
let conn: DuckDBConnection | null = null;

function connection(): DuckDBConnection {
  if (!conn) throw new Error('База данных ещё не запущена');
  return conn;
}

function run(sql: string, params?: Param[]): Table {
  const c = connection();
  if (!params?.length) return c.query(sql);
  const stmt = c.prepare(sql);
  try {
    return stmt.query(...params);
  } finally {
    stmt.close();
  }
}

function splitName(table: string): { schema: string; name: string } {
  const m = /^(main|raw)\.(.+)$/.exec(table);
  return m ? { schema: m[1], name: m[2] } : { schema: 'main', name: table };
}

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

function insertArrow(table: string, ipc: Uint8Array): void {
  const { schema, name } = splitName(table);
  connection().query(`DROP TABLE IF EXISTS ${quoteIdent(schema)}.${quoteIdent(name)}`);
  connection().insertArrowFromIPCStream(ipc, { schema, name, create: true });
}

const api = {
  async init(): Promise<string> {
    if (db) return db.getVersion();
    const logger = new duckdb.ConsoleLogger(duckdb.LogLevel.WARNING);
    // vite.config.ts aliases the import to the browser build; the package's types describe the Node one.
    const runtime = (duckdb as unknown as { BROWSER_RUNTIME: DuckDBRuntime }).BROWSER_RUNTIME;
    const bindings: DuckDBBindings = await duckdb.createDuckDB(
      // Only the exception-handling build is shipped (every browser since 2022 runs it); the
      // 39 MB MVP fallback would double the app's size for browsers that cannot run the rest anyway.
      { mvp: { mainModule: ehWasm, mainWorker: '' }, eh: { mainModule: ehWasm, mainWorker: '' } },
      logger,
      runtime,
    );
    // The module compiled by the worker's entry (src/db/worker-start.ts), not by the library's
    // own fetch (see there).
    let fail: (e: unknown) => void = () => {};
    const failed = new Promise<never>((_, reject) => (fail = reject));
    (bindings as unknown as { instantiateWasm: unknown }).instantiateWasm = (
      imports: WebAssembly.Imports,
      done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
    ) => {
      // As the library's own instantiateWasm does: its imports look the runtime up globally.
      (globalThis as unknown as { DUCKDB_RUNTIME: DuckDBRuntime }).DUCKDB_RUNTIME = runtime;
      compiling
        .then((module) => WebAssembly.instantiate(module, imports).then((instance) => (performance.mark('db:instantiated'), done(instance, module))))
        .catch(fail);
      return [];
    };
    await Promise.race([bindings.instantiate(() => {}), failed]);
    performance.mark('db:runtime');
    bindings.open({ query: { castBigIntToDouble: true, castDecimalToDouble: true } });
    performance.mark('db:opened');
    db = bindings;
    conn = bindings.connect();
    for (const s of [...SESSION_SETTINGS, ...WORKSPACE_SETUP]) conn.query(s);
    performance.mark('db:session');
    return bindings.getVersion();
  },

  exec(sql: string): void {
    connection().query(sql);
  },

  rows(sql: string, params?: Param[]): Row[] {
    return arrowToRows(run(sql, params));
  },

  /** The result as an Arrow IPC stream (transferred, not copied). */
  arrow(sql: string, params?: Param[]): Uint8Array {
    const bytes = tableToIPC(run(sql, params), 'stream');
    return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
  },

  registerFile(name: string, bytes: Uint8Array): string {
    db!.registerFileBuffer(name, bytes);
    return name;
  },

  dropFile(name: string): void {
    db!.dropFile(name);
  },

  insertArrow,

  /**
   * A stored table back into the engine in one call (start-up restores a dozen): inserted,
   * compressed at once (a big table would otherwise hold its uncompressed copy until a later
   * CHECKPOINT), and its columns as the engine typed them.
   */
  restoreArrow(table: string, ipc: Uint8Array): { name: string; type: string }[] {
    insertArrow(table, ipc);
    connection().query('CHECKPOINT');
    const { schema, name } = splitName(table);
    return arrowToRows(connection().query(`DESCRIBE ${quoteIdent(schema)}.${quoteIdent(name)}`)).map((r) => ({
      name: String(r.column_name),
      type: String(r.column_type),
    }));
  },

  /** Runs `COPY (…) TO` into the in-memory file system and hands the bytes back. */
  copyTo(select: string, format: 'parquet' | 'csv'): Uint8Array {
    const path = `export-${Date.now()}-${Math.random().toString(36).slice(2)}.${format}`;
    const options = format === 'parquet' ? `(FORMAT parquet, COMPRESSION zstd)` : `(FORMAT csv, HEADER, DELIMITER ';')`;
    connection().query(`COPY (${select}) TO '${path}' ${options}`);
    try {
      const bytes = db!.copyFileToBuffer(path);
      return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
    } finally {
      db!.dropFile(path);
    }
  },
};

export type DbWorkerApi = typeof api;

Comlink.expose(api);
