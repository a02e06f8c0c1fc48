/**
 * The one way to talk to a database. The browser implementation forwards requests to
 * DuckDB-WASM in a worker (src/db/browser-connector.ts); the Node implementation runs
 * native DuckDB (src/db/node-connector.ts). Shared code (import, notebooks, indicators)
 * only ever sees this interface, so the same SQL runs in both places.
 */
import type { Table } from 'apache-arrow';

/** Positional parameters bound to `$1, $2, …` (or `?`) — never concatenated into SQL. */
export type Param = string | number | boolean | null;
export type Row = Record<string, Value>;
/** Plain JS values: BIGINT/HUGEINT → number, DECIMAL → number, DATE → 'YYYY-MM-DD', TIMESTAMP → ISO string. */
export type Value = string | number | boolean | null;

export type Request =
  | { type: 'exec'; sql: string }
  | { type: 'rows'; sql: string; params?: Param[] }
  | { type: 'arrow'; sql: string; params?: Param[] };

export type ResultOf<R extends Request> = R extends { type: 'exec' }
  ? void
  : R extends { type: 'rows' }
    ? Row[]
    : Table;

export type ExportFormat = 'parquet' | 'csv' | 'arrow';

export interface ColumnInfo {
  name: string;
  type: string;
}
export interface TableInfo {
  name: string;
  rowCount: number;
  columns: ColumnInfo[];
  kind: 'table' | 'view';
}

export interface Connector {
  query<R extends Request>(request: R): Promise<ResultOf<R>>;
  /** Makes bytes readable from SQL (read_csv, read_json…); returns the path to use in SQL. */
  registerFile(name: string, bytes: Uint8Array): Promise<string>;
  dropFile(name: string): Promise<void>;
  /** Creates or replaces `table` from an Arrow IPC stream (used for Parquet, restore). */
  insertArrow(table: string, ipc: Uint8Array): Promise<void>;
  listTables(): Promise<TableInfo[]>;
  close(): Promise<void>;
  /** A table (or any SELECT) as file bytes made by the engine: Parquet, `;`-separated CSV, or the engine's own Arrow IPC, undecoded (browser only). */
  exportTable?(table: string, format?: ExportFormat): Promise<Uint8Array>;
  /** Runs work outside the engine (a file's parse worker) as one of the connector's requests: shown as busy, stopped by its cancel (browser only). */
  track?<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /**
   * A second connection to the same database, for statements run side by side on another core
   * (native only: the tab's engine has one thread). It sees the committed tables, not this
   * connection's temporary ones; closing it leaves the database open.
   */
  fork?(): Promise<Connector>;
}

/** Settings applied to every fresh database, browser and Node alike. */
export const SESSION_SETTINGS = [
  'SET autoinstall_known_extensions=false',
  'SET autoload_known_extensions=false',
];

/**
 * The session's tables live in an attached in-memory catalog with compression: DuckDB
 * compresses in-memory row groups only in such a catalog (measured on 16M task rows:
 * 1.6 GB → 70 MB, scans 2–3× faster), which is what lets a regional dataset fit in a
 * browser tab's 4 GB wasm heap. Unqualified names, `main.` and `raw.` resolve inside it.
 */
export const WORKSPACE_SETUP = [`ATTACH ':memory:' AS workspace (COMPRESS)`, 'USE workspace', 'CREATE SCHEMA IF NOT EXISTS raw'];

/**
 * Compresses what was just written: the workspace compresses row groups when it checkpoints,
 * and native DuckDB does not checkpoint an in-memory catalog on its own. Called after bulk writes.
 */
export const compact = (conn: Pick<Connector, 'query'>): Promise<void> => conn.query({ type: 'exec', sql: 'CHECKPOINT' });

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;
export const quoteLiteral = (value: string): string => `'${value.replaceAll("'", "''")}'`;

/** Normalises a value read from DuckDB (either engine) to the plain `Value` contract. */
export function normalizeValue(v: unknown, type?: string): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') {
    if (type === 'DATE' || type?.startsWith('Date')) return new Date(v).toISOString().slice(0, 10);
    return v;
  }
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Date) return type === 'DATE' || type?.startsWith('Date') ? v.toISOString().slice(0, 10) : v.toISOString();
  if (typeof v === 'object' && v !== null && 'valueOf' in v) {
    const p = (v as { valueOf(): unknown }).valueOf();
    if (p !== v) return normalizeValue(p, type);
  }
  return String(v);
}

/**
 * The user's tables and views: schema main, without the importer's working tables (`_imp_*`; a
 * results sheet's stage is a compressed `main._imp_stage` while the import runs).
 */
export const SQL_TABLE_LIST = `
  SELECT t.table_name AS name, t.table_type AS table_type, c.column_name AS column_name, c.data_type AS data_type
  FROM information_schema.tables t
  JOIN information_schema.columns c USING (table_catalog, table_schema, table_name)
  WHERE t.table_schema = 'main' AND t.table_catalog <> 'temp' AND NOT starts_with(t.table_name, '_imp_')
  ORDER BY t.table_name, c.ordinal_position`;

/** Shared implementation of listTables over any connector. */
export async function listTablesVia(conn: Pick<Connector, 'query'>): Promise<TableInfo[]> {
  const rows = await conn.query({ type: 'rows', sql: SQL_TABLE_LIST });
  const byName = new Map<string, TableInfo>();
  for (const r of rows) {
    const name = String(r.name);
    let info = byName.get(name);
    if (!info) {
      info = { name, rowCount: 0, columns: [], kind: r.table_type === 'VIEW' ? 'view' : 'table' };
      byName.set(name, info);
    }
    info.columns.push({ name: String(r.column_name), type: String(r.data_type) });
  }
  for (const info of byName.values()) {
    const [c] = await conn.query({ type: 'rows', sql: `SELECT count(*) AS n FROM ${quoteIdent(info.name)}` });
    info.rowCount = Number(c?.n ?? 0);
  }
  return [...byName.values()];
}
