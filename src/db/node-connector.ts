import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { tableFromIPC, tableFromArrays, type Table } from 'apache-arrow';
import {
  SESSION_SETTINGS,
  WORKSPACE_SETUP,
  listTablesVia,
  normalizeValue,
  quoteIdent,
  quoteLiteral,
  type Connector,
  type Param,
  type Request,
  type ResultOf,
  type Row,
  type TableInfo,
} from './connector';

export interface NodeOpenOptions {
  /** DuckDB's `memory_limit` (e.g. '6GB'); default DuckDB's own, 80 % of RAM. */
  memoryLimit?: string;
  /** Where DuckDB spills what exceeds the limit; default a folder in this connector's temp dir (removed on close). */
  tempDirectory?: string;
}

/** Native DuckDB behind the same Connector interface as the browser (headless runs, tests). */
export class NodeConnector implements Connector {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    private readonly fileDir: string,
    /** A fork (`fork()`): closing it closes its connection only. */
    private readonly forked = false,
  ) {}

  static async open(path = ':memory:', opts: NodeOpenOptions = {}): Promise<NodeConnector> {
    const instance = await DuckDBInstance.create(path);
    const conn = await instance.connect();
    const fileDir = mkdtempSync(join(tmpdir(), 'msoko-'));
    // Set before the workspace exists: its in-memory tables are held to the same limit (and spill).
    const limits = [
      ...(opts.memoryLimit ? [`SET memory_limit = ${quoteLiteral(opts.memoryLimit)}`] : []),
      ...(opts.memoryLimit || opts.tempDirectory ? [`SET temp_directory = ${quoteLiteral(opts.tempDirectory ?? join(fileDir, 'spill'))}`] : []),
    ];
    for (const s of [...SESSION_SETTINGS, ...limits, ...(path === ':memory:' ? WORKSPACE_SETUP : [])]) await conn.run(s);
    return new NodeConnector(instance, conn, fileDir);
  }

  async fork(): Promise<NodeConnector> {
    const conn = await this.instance.connect();
    // The catalog in use is a connection's own setting: the fork resolves names where this one does.
    const [row] = (await this.rows('SELECT current_database() AS db, current_schema() AS schema', [])).rows;
    await conn.run(`USE ${quoteIdent(String(row!.db))}.${quoteIdent(String(row!.schema))}`);
    return new NodeConnector(this.instance, conn, this.fileDir, true);
  }

  async query<R extends Request>(request: R): Promise<ResultOf<R>> {
    if (request.type === 'exec') {
      await this.conn.run(request.sql);
      return undefined as ResultOf<R>;
    }
    const rows = await this.rows(request.sql, request.params ?? []);
    if (request.type === 'rows') return rows.rows as ResultOf<R>;
    return rowsToArrow(rows.columns, rows.rows) as ResultOf<R>;
  }

  private async rows(sql: string, params: Param[]): Promise<{ columns: string[]; rows: Row[] }> {
    const reader = params.length
      ? await this.conn.runAndReadAll(sql, params as DuckDBValue[])
      : await this.conn.runAndReadAll(sql);
    const columns = reader.columnNames();
    const types = reader.columnTypes().map((t) => t.toString());
    const raw = reader.getRowsJS();
    const rows = raw.map((r) => {
      const o: Row = {};
      columns.forEach((name, i) => (o[name] = normalizeValue(r[i], types[i])));
      return o;
    });
    return { columns, rows };
  }

  async registerFile(name: string, bytes: Uint8Array): Promise<string> {
    const path = join(this.fileDir, name.replace(/[\\/]/g, '_'));
    writeFileSync(path, bytes);
    return path;
  }

  async dropFile(name: string): Promise<void> {
    rmSync(join(this.fileDir, name.replace(/[\\/]/g, '_')), { force: true });
  }

  async insertArrow(table: string, ipc: Uint8Array): Promise<void> {
    // Native DuckDB reads Arrow through a round trip to Parquet-free JSON-like rows; kept simple and exact.
    const t = tableFromIPC(ipc);
    const path = await this.registerFile(`${table}.arrow.json`, new TextEncoder().encode(JSON.stringify(t.toArray().map((r) => normalizeRow(r.toJSON())))));
    await this.conn.run(`CREATE OR REPLACE TABLE ${quoteIdent(table)} AS SELECT * FROM read_json_auto('${path}')`);
  }

  listTables(): Promise<TableInfo[]> {
    return listTablesVia(this);
  }

  async close(): Promise<void> {
    this.conn.closeSync();
    if (this.forked) return;
    this.instance.closeSync();
    rmSync(this.fileDir, { recursive: true, force: true });
  }
}

function normalizeRow(r: Record<string, unknown>): Row {
  const o: Row = {};
  for (const [k, v] of Object.entries(r)) o[k] = normalizeValue(v);
  return o;
}

function rowsToArrow(columns: string[], rows: Row[]): Table {
  const arrays: Record<string, unknown[]> = {};
  for (const c of columns) arrays[c] = rows.map((r) => r[c]);
  return tableFromArrays(arrays as Parameters<typeof tableFromArrays>[0]);
}
