/**
 * One Parquet loader for browser and Node: bytes of a Parquet file → one table.
 * Native DuckDB reads Parquet itself (`read_parquet`). DuckDB-WASM from npm has no Parquet
 * extension and must never download one, so there parquet-wasm decodes the file a few row
 * groups at a time and each chunk is appended through Arrow: one Arrow copy of a 16M-row
 * table would not fit next to the wasm heap.
 *
 *   const rows = await loadParquetTable(conn, 'task_scores', bytes, { onProgress: (f) => … });
 */
import { compact, quoteIdent, quoteLiteral, type Connector } from '../../db/connector';
import { loadParquetWasm } from '../../export/parquet';

export interface ParquetLoadOptions {
  /** Rows decoded per chunk on the parquet-wasm path (default 500 000). */
  chunkRows?: number;
  /** Use `read_parquet` when the engine has it (default true); false forces the parquet-wasm path. */
  native?: boolean;
  /** Fraction of rows loaded, 0…1. */
  onProgress?: (fraction: number) => void;
  /** Checked between chunks; when aborted, the partly loaded table is dropped and the signal's reason thrown. */
  signal?: AbortSignal;
}

export const PARQUET_CHUNK_ROWS = 500_000;

/** Browser tests set `msoko.parquetChunkRows` to get several chunks from a small file. */
function storedChunkRows(): number | undefined {
  const stored = Number(globalThis.localStorage?.getItem('msoko.parquetChunkRows'));
  return stored > 0 ? stored : undefined;
}

const nativeReaders = new WeakMap<Connector, Promise<boolean>>();

/** Whether the engine has `read_parquet` (native DuckDB) — asked once per connector, never by trying to load it. */
function hasNativeParquet(conn: Connector): Promise<boolean> {
  let known = nativeReaders.get(conn);
  if (!known) {
    known = conn
      .query({ type: 'rows', sql: `SELECT count(*) AS n FROM duckdb_functions() WHERE function_name = 'read_parquet'` })
      .then(([r]) => Number(r?.n ?? 0) > 0);
    nativeReaders.set(conn, known);
  }
  return known;
}

/**
 * Creates (or replaces) `table` — an unqualified name, in the current schema — from Parquet
 * bytes and returns its row count. On the native path the bytes are handed to the connector
 * (in the browser they would be moved to the worker); the caller must not reuse them.
 */
export async function loadParquetTable(conn: Connector, table: string, bytes: Uint8Array, opts: ParquetLoadOptions = {}): Promise<number> {
  if (opts.native !== false && (await hasNativeParquet(conn))) {
    opts.signal?.throwIfAborted();
    const name = `${table}.${Date.now()}.parquet`;
    const path = await conn.registerFile(name, bytes);
    try {
      await conn.query({ type: 'exec', sql: `CREATE OR REPLACE TABLE ${quoteIdent(table)} AS SELECT * FROM read_parquet(${quoteLiteral(path)})` });
      await compact(conn);
    } finally {
      await conn.dropFile(name);
    }
    opts.onProgress?.(1);
    return countRows(conn, table);
  }
  return loadInChunks(conn, table, bytes, opts);
}

export interface ParquetChunk {
  rowGroups: number[];
  /** Rows to skip and take inside a single row group larger than a chunk. */
  offset?: number;
  limit?: number;
  rows: number;
}

/** Consecutive row groups up to `chunkRows` rows per chunk; a larger row group is read in slices. */
export function planChunks(groupRows: number[], chunkRows: number): ParquetChunk[] {
  const chunks: ParquetChunk[] = [];
  let current: ParquetChunk | null = null;
  groupRows.forEach((n, i) => {
    if (n > chunkRows) {
      current = null;
      for (let offset = 0; offset < n; offset += chunkRows) {
        const limit = Math.min(chunkRows, n - offset);
        chunks.push({ rowGroups: [i], offset, limit, rows: limit });
      }
      return;
    }
    if (!current || current.rows + n > chunkRows) {
      current = { rowGroups: [], rows: 0 };
      chunks.push(current);
    }
    current.rowGroups.push(i);
    current.rows += n;
  });
  return chunks;
}

async function loadInChunks(conn: Connector, table: string, bytes: Uint8Array, opts: ParquetLoadOptions): Promise<number> {
  const pq = await loadParquetWasm();
  // Read through a Blob: each chunk takes only its row groups' byte ranges into the wasm heap, not the whole file.
  const file = await pq.ParquetFile.fromFile(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  const scratch = `${table}__chunk`;
  let written = false;
  try {
    const chunks = planChunks(
      file.metadata().rowGroups().map((g) => g.numRows()),
      Math.max(1, opts.chunkRows ?? storedChunkRows() ?? PARQUET_CHUNK_ROWS),
    );
    const total = chunks.reduce((s, c) => s + c.rows, 0);
    if (!chunks.length) {
      await conn.insertArrow(table, file.schema().intoIPCStream());
      opts.onProgress?.(1);
      return 0;
    }
    let done = 0;
    for (const [i, c] of chunks.entries()) {
      opts.signal?.throwIfAborted();
      const ipc = (await file.read({ rowGroups: c.rowGroups, offset: c.offset, limit: c.limit })).intoIPCStream();
      if (i === 0) {
        await conn.insertArrow(table, ipc);
        written = true;
      } else {
        await conn.insertArrow(scratch, ipc);
        await conn.query({ type: 'exec', sql: `INSERT INTO ${quoteIdent(table)} BY NAME SELECT * FROM ${quoteIdent(scratch)}` });
      }
      await compact(conn);
      done += c.rows;
      opts.onProgress?.(done / total);
    }
  } catch (e) {
    // A partly loaded table is worse than none; a table from before the first chunk is kept.
    if (written) await conn.query({ type: 'exec', sql: `DROP TABLE IF EXISTS ${quoteIdent(table)}` }).catch(() => {});
    throw e;
  } finally {
    file.free();
    await conn.query({ type: 'exec', sql: `DROP TABLE IF EXISTS ${quoteIdent(scratch)}` }).catch(() => {});
  }
  return countRows(conn, table);
}

async function countRows(conn: Connector, table: string): Promise<number> {
  const [r] = await conn.query({ type: 'rows', sql: `SELECT count(*) AS n FROM ${quoteIdent(table)}` });
  return Number(r?.n ?? 0);
}
