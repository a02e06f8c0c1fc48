/**
 * Loads a folder of canonical files (`<table>.csv|.parquet|.json`, header = contract column
 * names) as typed canonical tables. Contract columns are cast to their contract type (invalid
 * values become NULL); extra columns are kept as text; absent contract columns stay absent so
 * that the runner reports them. Platform-neutral: the caller supplies the bytes.
 */
import { compact, quoteIdent, quoteLiteral, type Connector } from '../db/connector';
import { loadParquetTable, type ParquetLoadOptions } from '../ingest/read/parquet';
import { CONTRACT, isCanonicalTable } from '../model/contract';

export interface CanonicalFile {
  name: string;
  bytes: Uint8Array;
}

export interface LoadOptions {
  /** How Parquet files are read (tests force the chunked parquet-wasm path with `native: false`). */
  parquet?: Omit<ParquetLoadOptions, 'onProgress'>;
  /** Fraction of the files loaded, 0…1. */
  onProgress?: (fraction: number) => void;
}

/**
 * Returns the canonical table names loaded. Parquet goes through loadParquetTable (native
 * `read_parquet`, or parquet-wasm in bounded chunks in the browser); CSV and JSON through DuckDB.
 */
export async function loadCanonicalFiles(conn: Connector, files: CanonicalFile[], opts: LoadOptions = {}): Promise<string[]> {
  const loaded: string[] = [];
  for (const [k, f] of files.entries()) {
    const m = /^([a-z_]+)\.(csv|parquet|json)$/i.exec(f.name.split(/[\\/]/).pop() ?? '');
    if (!m || !isCanonicalTable(m[1])) continue;
    const table = m[1];
    const ext = m[2].toLowerCase();
    const stage = `__stage_${table}`;
    if (ext === 'parquet') {
      await loadParquetTable(conn, stage, f.bytes, { ...opts.parquet, onProgress: (x) => opts.onProgress?.((k + x) / files.length) });
    } else {
      const name = `canonical_${table}.${ext}`;
      const path = await conn.registerFile(name, f.bytes);
      const reader = ext === 'csv' ? `read_csv(${quoteLiteral(path)}, header = true, all_varchar = true)` : `read_json_auto(${quoteLiteral(path)})`;
      try {
        await conn.query({ type: 'exec', sql: `CREATE OR REPLACE TEMP TABLE ${quoteIdent(stage)} AS SELECT * FROM ${reader}` });
      } finally {
        await conn.dropFile(name);
      }
    }
    const described = await conn.query({ type: 'rows', sql: `DESCRIBE ${quoteIdent(stage)}` });
    const present = described.map((r) => String(r.column_name));
    const contractCols = CONTRACT[table].columns;
    const selects = [
      ...contractCols
        .filter((c) => present.includes(c.name))
        .map((c) => `TRY_CAST(${castable(quoteIdent(c.name), c.type)} AS ${c.type}) AS ${quoteIdent(c.name)}`),
      ...present.filter((p) => !contractCols.some((c) => c.name === p)).map((p) => quoteIdent(p)),
    ];
    await castInChunks(conn, stage, table, selects.join(', '));
    loaded.push(table);
    opts.onProgress?.((k + 1) / files.length);
  }
  opts.onProgress?.(1);
  return loaded;
}

/** Rows per statement when casting a staged table: the workspace compresses each chunk as it commits. */
const CAST_CHUNK_ROWS = 2_000_000;

/**
 * `table` ← the cast of `stage`, then the stage is dropped. One statement over 16M rows would hold
 * all of them uncompressed until it commits (≈1.6 GB for task_scores), so big tables go by rowid ranges.
 */
async function castInChunks(conn: Connector, stage: string, table: string, select: string): Promise<void> {
  const [c] = await conn.query({ type: 'rows', sql: `SELECT count(*) AS n FROM ${quoteIdent(stage)}` });
  const n = Number(c?.n ?? 0);
  await conn.query({ type: 'exec', sql: `CREATE OR REPLACE TABLE ${quoteIdent(table)} AS SELECT ${select} FROM ${quoteIdent(stage)} WHERE rowid < ${CAST_CHUNK_ROWS}` });
  await compact(conn);
  for (let lo = CAST_CHUNK_ROWS; lo < n; lo += CAST_CHUNK_ROWS) {
    await conn.query({ type: 'exec', sql: `INSERT INTO ${quoteIdent(table)} SELECT ${select} FROM ${quoteIdent(stage)} WHERE rowid >= ${lo} AND rowid < ${lo + CAST_CHUNK_ROWS}` });
    await compact(conn);
  }
  await conn.query({ type: 'exec', sql: `DROP TABLE ${quoteIdent(stage)}` });
}

/** Empty strings are NULL; decimal commas are accepted in numeric columns. */
function castable(col: string, type: string): string {
  const text = `NULLIF(trim(CAST(${col} AS VARCHAR)), '')`;
  if (type === 'DOUBLE' || type === 'INTEGER') return `replace(${text}, ',', '.')${type === 'INTEGER' ? '::DOUBLE' : ''}`;
  if (type === 'BOOLEAN') return `CASE lower(${text}) WHEN 'да' THEN 'true' WHEN 'нет' THEN 'false' ELSE lower(${text}) END`;
  return text;
}
