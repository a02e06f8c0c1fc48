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
    await castInChunks(conn, stage, table, canonicalSelect(table, described));
    loaded.push(table);
    opts.onProgress?.((k + 1) / files.length);
  }
  opts.onProgress?.(1);
  return loaded;
}

/**
 * Native engines only: a canonical table from Parquet files where they lie on disk — one file,
 * a folder of files, or hive partitions (`year=2024/part-0.parquet`: the folder names are
 * columns). Nothing passes through JavaScript. Cast a file per statement with a checkpoint
 * after each, so no statement holds more than one file's rows uncompressed (a national
 * task_scores, 160M rows, would need ≈16 GB at once). `inPlace`: a view over the files instead
 * of a copy. Returns the table's row count.
 */
export async function loadCanonicalParquetPaths(conn: Connector, table: string, paths: string[], opts: { inPlace?: boolean } = {}): Promise<number> {
  if (!isCanonicalTable(table) || !paths.length) throw new Error(`not a canonical table or no files: ${table}`);
  const hive = paths.some((p) => /[\\/][^\\/=]+=[^\\/]*[\\/]/.test(p));
  const reader = (ps: string[]) => `read_parquet([${ps.map(quoteLiteral).join(', ')}], hive_partitioning = ${hive}, union_by_name = true)`;
  const described = await conn.query({ type: 'rows', sql: `DESCRIBE SELECT * FROM ${reader(paths)}` });
  const select = canonicalSelect(table, described);
  // In place: a view over the files, cast as it is read — no copy and no load time, every query scans the Parquet.
  if (opts.inPlace) await conn.query({ type: 'exec', sql: `CREATE OR REPLACE VIEW ${quoteIdent(table)} AS SELECT ${select} FROM ${reader(paths)}` });
  else for (const [i, p] of paths.entries()) {
    const into = i === 0 ? `CREATE OR REPLACE TABLE ${quoteIdent(table)} AS` : `INSERT INTO ${quoteIdent(table)}`;
    await conn.query({ type: 'exec', sql: `${into} SELECT ${select} FROM ${reader([p])}` });
    await compact(conn);
  }
  const [c] = await conn.query({ type: 'rows', sql: `SELECT count(*) AS n FROM ${quoteIdent(table)}` });
  return Number(c?.n ?? 0);
}

/**
 * The typed select of a canonical table from described source columns: contract columns cast
 * to their type (text through `castable`; a typed column directly — the same value as through
 * text, without a text round trip per cell of a 160M-row table), extra columns kept as they are.
 */
function canonicalSelect(table: string, described: Record<string, unknown>[]): string {
  const types = new Map(described.map((r) => [String(r.column_name), String(r.column_type)]));
  const contractCols = CONTRACT[table as keyof typeof CONTRACT].columns;
  return [
    ...contractCols
      .filter((c) => types.has(c.name))
      .map((c) => {
        const col = quoteIdent(c.name);
        const from = types.get(c.name);
        // Text always goes through castable (trim, '' → NULL, decimal commas), even into a text column.
        const value = from === 'VARCHAR' ? `TRY_CAST(${castable(col, c.type)} AS ${c.type})` : from === c.type ? col : `TRY_CAST(${col} AS ${c.type})`;
        return `${value} AS ${col}`;
      }),
    ...[...types.keys()].filter((p) => !contractCols.some((c) => c.name === p)).map((p) => quoteIdent(p)),
  ].join(', ');
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
