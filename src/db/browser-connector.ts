/**
 * The app's one database: DuckDB-WASM in workers/db.worker.ts behind the Connector
 * interface. Browser-only extras: cancel() (terminates the worker, starts a fresh one and
 * restores the persisted tables), persistence of tables to IndexedDB, table export and
 * events for the UI (busy state, restarts, table changes, import progress).
 *
 *   import { db } from '../db/browser-connector';
 *   const rows = await db.query({ type: 'rows', sql: 'SELECT 1 AS x' });
 */
import * as Comlink from 'comlink';
import { tableFromIPC, type Table } from 'apache-arrow';
import {
  SQL_TABLE_LIST,
  quoteIdent,
  quoteLiteral,
  type Connector,
  type ExportFormat,
  type Request,
  type ResultOf,
  type TableInfo,
} from './connector';
import type { DbWorkerApi } from '../../workers/db.worker';
import { takeEarlyDbWorker } from './early-worker';
import { UserError } from '../errors';
import { deleteStoredTable, loadStoredTables, saveTable, type StoredTable } from '../storage/tables';

export type DbEvent =
  /** Number of requests queued or running changed. */
  | { type: 'busy'; pending: number }
  /** The worker was replaced (after cancel() or a crash) and the persisted tables restored. */
  | { type: 'restarted'; reason: 'cancel' | 'crash'; restored: string[] }
  /** Tables were created, replaced or dropped through the app (imports, restores, clear). */
  | { type: 'tables-changed' }
  /** Progress of a long operation, `fraction` 0…1. */
  | { type: 'progress'; key: string; label: string; fraction: number; stage?: string; done?: boolean; error?: string };

/** The way out for data too big for a browser tab: the same code on native DuckDB, without the browser. */
export const HEADLESS_HINT =
  'Для данных такого объёма используйте запуск без браузера: npm run import и npm run indicators (см. README, раздел «Command line (Node, native DuckDB)»).';

const CRASH = /RuntimeError|memory access out of bounds|unreachable|Aborted\(|Out of bounds|out of memory|DataCloneError/i;

export class BrowserConnector implements Connector {
  private worker: Worker | null = null;
  private api: Comlink.Remote<DbWorkerApi> | null = null;
  private starting: Promise<void> | null = null;
  private pending = 0;
  private rejectPending = new Set<(e: unknown) => void>();
  private listeners = new Set<(e: DbEvent) => void>();
  version = '';

  /** Resolves when the engine is running (and persisted tables are restored after a restart). */
  ready(): Promise<void> {
    this.starting ??= this.start();
    return this.starting;
  }

  on(listener: (e: DbEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(e: DbEvent): void {
    for (const l of this.listeners) l(e);
  }

  get busy(): number {
    return this.pending;
  }

  private async start(): Promise<void> {
    const worker = takeEarlyDbWorker() ?? new Worker(new URL('./worker-start.ts', import.meta.url), { type: 'module', name: 'duckdb' });
    worker.addEventListener('error', (e) => {
      if (this.worker === worker) void this.restart('crash', new Error(e.message || 'Сбой базы данных'));
    });
    this.worker = worker;
    this.api = Comlink.wrap<DbWorkerApi>(worker);
    this.version = await this.api.init();
  }

  /** `internal` calls belong to a restart's own restore; every other call waits until the restore is done. */
  private async call<T>(fn: (api: Comlink.Remote<DbWorkerApi>) => Promise<T>, internal = false): Promise<T> {
    this.pending++;
    this.emit({ type: 'busy', pending: this.pending });
    let reject!: (e: unknown) => void;
    const aborted = new Promise<never>((_, r) => (reject = r));
    this.rejectPending.add(reject);
    try {
      await this.ready();
      // Nothing reads the database while stored tables are being put back (a count of a table not yet
      // restored would be a silent wrong number): every call waits for start-up's restore or a restart's.
      for (let gate: Promise<unknown> | null; !internal && (gate = this.restarting ?? this.restoringData); ) await gate.catch(() => undefined);
      return await Promise.race([fn(this.api!), aborted]);
    } catch (e) {
      if (!(e instanceof UserError) && CRASH.test(String((e as Error)?.message ?? e))) {
        void this.restart('crash', e);
        throw new UserError(`Сбой движка базы данных (вероятно, не хватило памяти). База перезапущена, загруженные таблицы восстановлены. ${HEADLESS_HINT}`);
      }
      throw e;
    } finally {
      this.rejectPending.delete(reject);
      this.pending--;
      this.emit({ type: 'busy', pending: this.pending });
    }
  }

  query<R extends Request>(request: R): Promise<ResultOf<R>> {
    return this.run(request, false);
  }

  /** Work outside the engine (a parse worker) counts as busy, so the header's «Отменить» shows and aborts it. */
  async track<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const stop = new AbortController();
    const abort = (reason: unknown) => stop.abort(reason);
    this.rejectPending.add(abort);
    this.pending++;
    this.emit({ type: 'busy', pending: this.pending });
    try {
      return await work(stop.signal);
    } finally {
      this.rejectPending.delete(abort);
      this.pending--;
      this.emit({ type: 'busy', pending: this.pending });
    }
  }

  private async run<R extends Request>(request: R, internal: boolean): Promise<ResultOf<R>> {
    if (request.type === 'exec') {
      await this.call((api) => api.exec(request.sql), internal);
      return undefined as ResultOf<R>;
    }
    if (request.type === 'rows') return (await this.call((api) => api.rows(request.sql, request.params), internal)) as ResultOf<R>;
    const ipc = await this.call((api) => api.arrow(request.sql, request.params), internal);
    return tableFromIPC(ipc) as ResultOf<R>;
  }

  registerFile(name: string, bytes: Uint8Array): Promise<string> {
    // The bytes move to the worker (zero copy); the caller must not reuse them.
    return this.call((api) => api.registerFile(name, Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer])));
  }

  dropFile(name: string): Promise<void> {
    return this.call((api) => api.dropFile(name));
  }

  async insertArrow(table: string, ipc: Uint8Array): Promise<void> {
    await this.call((api) => api.insertArrow(table, ipc));
    this.emit({ type: 'tables-changed' });
  }

  /** Like listTablesVia, with every row count in one round trip to the worker. */
  async listTables(): Promise<TableInfo[]> {
    const rows = await this.query({ type: 'rows', sql: SQL_TABLE_LIST });
    const byName = new Map<string, TableInfo>();
    for (const r of rows) {
      const name = String(r.name);
      let info = byName.get(name);
      if (!info) byName.set(name, (info = { name, rowCount: 0, columns: [], kind: r.table_type === 'VIEW' ? 'view' : 'table' }));
      info.columns.push({ name: String(r.column_name), type: String(r.data_type) });
    }
    const infos = [...byName.values()];
    const count = (t: TableInfo, i: number) => `SELECT ${i} AS i, count(*) AS n FROM ${quoteIdent(t.name)}`;
    try {
      if (infos.length) {
        const counts = await this.query({ type: 'rows', sql: infos.map(count).join(' UNION ALL ') });
        for (const c of counts) infos[Number(c.i)].rowCount = Number(c.n);
      }
    } catch {
      // A broken view (its table was dropped) must not hide the other tables.
      for (const [i, t] of infos.entries()) {
        const [c] = await this.query({ type: 'rows', sql: count(t, i) }).catch(() => [{ n: 0 }]);
        t.rowCount = Number(c.n);
      }
    }
    return infos;
  }

  /** A whole table (or any SELECT) as file bytes: Parquet (zstd), `;`-separated CSV, or an Arrow IPC stream. */
  async exportTable(table: string, format: ExportFormat = 'parquet'): Promise<Uint8Array> {
    const select = /^\s*(select|with|from)\b/i.test(table) ? table : `SELECT * FROM ${qualified(table)}`;
    if (format === 'csv') return this.call((api) => api.copyTo(select, 'csv'));
    const ipc = await this.call((api) => api.arrow(select));
    if (format === 'arrow') return ipc;
    // DuckDB-WASM has no Parquet writer without its extension; parquet-wasm writes it from Arrow.
    const { toParquet } = await import('../export/parquet');
    return toParquet(tableFromIPC(ipc));
  }

  /** Saves tables to IndexedDB so they survive a reload, a cancel and a crash. Names: `t` or `raw.t`. */
  async persistTables(names: string[]): Promise<void> {
    for (const name of names) {
      const columns = await this.columnsOf(name);
      const ipc = await this.exportTable(name, 'arrow');
      const [c] = await this.query({ type: 'rows', sql: countAndHash(name) });
      const fingerprint = fingerprintOf(columns, c);
      await saveTable({ name, ipc, columns, rowCount: Number(c.n), savedAt: Date.now(), fingerprint });
    }
  }

  /**
   * What a table holds now, as `persistTables` records it in `StoredTable.fingerprint` (columns, rows
   * and the sum of the rows' hashes): a notebook's kept outputs are shown on a reload only while the
   * stored records still carry the fingerprints of the tables they were computed from.
   */
  async fingerprints(names: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const name of names) {
      const columns = await this.columnsOf(name);
      const [c] = await this.query({ type: 'rows', sql: countAndHash(name) });
      out.set(name, fingerprintOf(columns, c));
    }
    return out;
  }

  private async columnsOf(name: string): Promise<{ name: string; type: string }[]> {
    return (await this.query({ type: 'rows', sql: `DESCRIBE ${qualified(name)}` })).map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  }

  /** Forgets persisted tables (and drops them from the database). */
  async dropTables(names: string[]): Promise<void> {
    for (const name of names) {
      await deleteStoredTable(name);
      await this.query({ type: 'exec', sql: `DROP TABLE IF EXISTS ${qualified(name)}` });
    }
    this.emit({ type: 'tables-changed' });
  }

  /** Start-up's restore of the stored tables while it runs: every other call waits for it. */
  private restoringData: Promise<unknown> | null = null;
  /** Counts restarts, so that start-up's restore stops when a restart restores everything itself. */
  private generation = 0;

  /**
   * Loads every persisted table into the database (waiting for the engine if it is still starting);
   * returns their names. From this call until it ends, every other query waits, so the engine can
   * be offered to the app before the tables are back without any query seeing a table missing or
   * half restored. `stored`: the records already being read from IndexedDB; `progress` is told
   * after each table.
   */
  restoreTables(stored?: Promise<StoredTable[]>, progress?: (done: number, total: number) => void): Promise<string[]> {
    const restore = this.restoreStored(true, stored, progress);
    this.restoringData = restore;
    void restore.finally(() => this.restoringData === restore && (this.restoringData = null)).catch(() => undefined);
    return restore;
  }

  private async restoreStored(
    internal: boolean,
    reading: Promise<StoredTable[]> = loadStoredTables(),
    progress?: (done: number, total: number) => void,
  ): Promise<string[]> {
    const generation = this.generation;
    const stored = await reading;
    performance.mark('msoko:idb-read');
    const restored: string[] = [];
    await this.run({ type: 'exec', sql: 'CREATE SCHEMA IF NOT EXISTS raw' }, internal);
    for (const [i, t] of stored.entries()) {
      // A restart (cancel, crash) during start-up's restore restores every table itself.
      if (generation !== this.generation) break;
      progress?.(i, stored.length);
      try {
        await this.restoreOne(t, internal);
        performance.mark(`msoko:restore ${t.name}`);
        restored.push(t.name);
      } catch (e) {
        // One unreadable record must not keep the others (or the app) from starting.
        console.error(`Таблицу ${t.name} не удалось восстановить`, e);
      }
    }
    progress?.(stored.length, stored.length);
    this.emit({ type: 'tables-changed' });
    return restored;
  }

  /**
   * Tables shipped as Arrow IPC with their columns (the demo, src/app/demo.ts) into the database,
   * as restoreOne puts a stored table back, but compressed by one CHECKPOINT at the end and their
   * types read in one query (a CHECKPOINT per table cost the demo ≈0.1 s more in a cold tab).
   * Like a load through SQL it emits no `tables-changed`: the caller lists the tables.
   */
  async insertTables(tables: Pick<StoredTable, 'name' | 'ipc' | 'columns' | 'rowCount'>[]): Promise<string[]> {
    for (const t of tables) {
      if (t.rowCount === 0) {
        await this.restoreOne(t, false);
        continue;
      }
      const ipc = owned(t.ipc);
      await this.call((api) => api.insertArrow(t.name, Comlink.transfer(ipc, [ipc.buffer as ArrayBuffer])));
    }
    await this.query({ type: 'exec', sql: 'CHECKPOINT' });
    const names = tables.map((t) => quoteLiteral(splitName(t.name).name)).join(', ');
    const typed = await this.query({
      type: 'rows',
      sql: `SELECT schema_name AS s, table_name AS t, column_name AS name, data_type AS type FROM duckdb_columns()
            WHERE database_name = current_database() AND table_name IN (${names}) ORDER BY column_index`,
    });
    for (const t of tables) {
      const { schema, name } = splitName(t.name);
      await this.castBack(t, typed.filter((c) => c.s === schema && c.t === name) as { name: string; type: string }[], false);
    }
    return tables.map((t) => t.name);
  }

  private async restoreOne(t: Pick<StoredTable, 'name' | 'ipc' | 'columns' | 'rowCount'>, internal: boolean): Promise<void> {
    const target = qualified(t.name);
    if (t.rowCount === 0) {
      const defs = t.columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ');
      await this.run({ type: 'exec', sql: `CREATE OR REPLACE TABLE ${target} (${defs})` }, internal);
      return;
    }
    // The record was read for this restore only: its bytes move to the worker instead of being cloned.
    const ipc = owned(t.ipc);
    const now = await this.call((api) => api.restoreArrow(t.name, Comlink.transfer(ipc, [ipc.buffer as ArrayBuffer])), internal);
    await this.castBack(t, now, internal);
  }

  /** Arrow brings BIGINT/DECIMAL back as DOUBLE: a table's columns are cast back only when one changed. */
  private async castBack(t: Pick<StoredTable, 'name' | 'columns'>, now: { name: string; type: string }[], internal: boolean): Promise<void> {
    const target = qualified(t.name);
    const changed = t.columns.length !== now.length || t.columns.some((c, i) => now[i]?.type !== c.type || now[i]?.name !== c.name);
    if (changed) {
      const select = t.columns.map((c) => `CAST(${quoteIdent(c.name)} AS ${c.type}) AS ${quoteIdent(c.name)}`).join(', ');
      await this.run({ type: 'exec', sql: `CREATE OR REPLACE TABLE ${target} AS SELECT ${select} FROM ${target}` }, internal);
    }
  }

  /** Stops whatever runs (a long query or import), starts a fresh engine and restores the persisted tables. */
  cancel(): Promise<void> {
    return this.restart('cancel', new UserError('Запрос отменён.'));
  }

  private restarting: Promise<void> | null = null;

  private restart(reason: 'cancel' | 'crash', error: unknown): Promise<void> {
    this.restarting ??= (async () => {
      this.generation++;
      this.worker?.terminate();
      this.worker = null;
      this.api = null;
      for (const reject of this.rejectPending) reject(error);
      this.rejectPending.clear();
      this.starting = this.start();
      await this.starting;
      const restored = await this.restoreStored(true);
      this.emit({ type: 'restarted', reason, restored });
    })().finally(() => (this.restarting = null));
    return this.restarting;
  }

  async close(): Promise<void> {
    this.worker?.terminate();
    this.worker = null;
    this.api = null;
    this.starting = null;
  }
}

/** Bytes that may be moved to the worker: the whole buffer, or a copy of a view into a larger one. */
const owned = (bytes: Uint8Array): Uint8Array => (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice());

/** `raw.t` → schema raw, table t; anything else is a table in schema main. */
const splitName = (table: string): { schema: string; name: string } => {
  const m = /^(main|raw)\.(.+)$/.exec(table);
  return m ? { schema: m[1], name: m[2] } : { schema: 'main', name: table };
};

/** `raw.t` → "raw"."t"; anything else is a table in schema main. */
export function qualified(name: string): string {
  const m = /^(main|raw)\.(.+)$/.exec(name);
  return m ? `${quoteIdent(m[1])}.${quoteIdent(m[2])}` : quoteIdent(name);
}

const countAndHash = (name: string) => `SELECT count(*) AS n, sum(hash(t))::VARCHAR AS h FROM ${qualified(name)} AS t`;
const fingerprintOf = (columns: { name: string; type: string }[], c: Record<string, unknown>) =>
  `${Number(c.n)}:${String(c.h ?? '-')}:${columns.map((col) => `${col.name} ${col.type}`).join(',')}`;

/** The single connector the whole app uses. */
export const db = new BrowserConnector();
