/**
 * Parquet through parquet-wasm (Arrow IPC in, Parquet bytes out, and back). The same code runs
 * in the browser (ESM build, wasm fetched from the app's own origin) and in Node (the node build).
 */
import { Bool, DateDay, Float64, Int32, Table, Utf8, makeData, makeVector, tableFromIPC, tableToIPC, vectorFromArray, type DataType, type Vector } from 'apache-arrow';
import { normalizeValue, type Row, type Value } from '../db/connector';
import { fromArrow, type ExportColumn, type ExportTable } from './table';

type ParquetWasm = typeof import('parquet-wasm/esm');
let loading: Promise<ParquetWasm> | undefined;

const inNode = (): boolean =>
  typeof process !== 'undefined' && typeof process.versions?.node === 'string' && typeof (globalThis as { window?: unknown }).window === 'undefined';

/** Loads and initialises parquet-wasm once. */
export function loadParquetWasm(): Promise<ParquetWasm> {
  loading ??= (async () => {
    if (inNode()) {
      // A variable specifier keeps the Node build (which requires fs) out of the browser bundle.
      const nodeBuild = 'parquet-wasm/node';
      return (await import(/* @vite-ignore */ nodeBuild)) as ParquetWasm;
    }
    const m = await import('parquet-wasm/esm');
    const { default: wasmUrl } = await import('parquet-wasm/esm/parquet_wasm_bg.wasm?url');
    await m.default({ module_or_path: wasmUrl });
    return m;
  })();
  return loading;
}

const INT32_MAX = 2 ** 31 - 1;

function vectorOf(c: ExportColumn, values: Value[]): Vector {
  let type: DataType;
  let data: unknown[] = values;
  switch (c.kind) {
    case 'integer':
      type = values.every((v) => v === null || (typeof v === 'number' && Math.abs(v) <= INT32_MAX)) ? new Int32() : new Float64();
      break;
    case 'number':
    case 'percent':
      type = new Float64();
      data = values.map((v) => (typeof v === 'number' ? v : v === null ? null : Number(v)));
      break;
    case 'boolean':
      return boolVector(values);
    case 'date':
      type = new DateDay();
      data = values.map((v) => (typeof v === 'string' ? new Date(`${v}T00:00:00Z`) : v));
      break;
    default:
      type = new Utf8();
      data = values.map((v) => (v === null || v === undefined ? null : String(v)));
  }
  return vectorFromArray(data, type);
}

/**
 * BOOLEAN built by hand. Arrow JS writes an all-NULL BOOLEAN column with an empty value buffer,
 * which arrow-rs (parquet-wasm) rejects; such a column is written as text NULLs instead, and a
 * bundle's CAST restores the type on opening.
 */
function boolVector(values: Value[]): Vector {
  if (values.every((v) => v === null || v === undefined)) return vectorFromArray(values.map(() => null), new Utf8());
  const bytes = Math.ceil(values.length / 8);
  const data = new Uint8Array(bytes);
  const valid = new Uint8Array(bytes);
  let nulls = 0;
  values.forEach((v, i) => {
    if (v === null || v === undefined) nulls++;
    else {
      valid[i >> 3]! |= 1 << (i & 7);
      if (v === true || v === 'true') data[i >> 3]! |= 1 << (i & 7);
    }
  });
  return makeVector(makeData({ type: new Bool(), length: values.length, nullCount: nulls, nullBitmap: valid, data }));
}

/** ExportTable → Arrow table with column types from the column kinds. */
export function toArrow(table: ExportTable): Table {
  const vectors: Record<string, Vector> = {};
  for (const c of table.columns) vectors[c.name] = vectorOf(c, table.rows.map((r) => r[c.name] ?? null));
  return new Table(vectors);
}

/** Parquet bytes (zstd-compressed) of an ExportTable or an Arrow table. */
export async function toParquet(table: ExportTable | Table): Promise<Uint8Array> {
  const pq = await loadParquetWasm();
  const write = (arrow: Table) => {
    const wasmTable = pq.Table.fromIPCStream(tableToIPC(arrow, 'stream'));
    const props = new pq.WriterPropertiesBuilder().setCompression(pq.Compression.ZSTD).build();
    return pq.writeParquet(wasmTable, props);
  };
  if (!(table instanceof Table)) return write(toArrow(table));
  try {
    return write(table);
  } catch {
    // Arrow from DuckDB-WASM can carry buffers arrow-rs rejects (e.g. an all-NULL BOOLEAN column
    // without a value buffer): rebuild the columns from plain values and write again.
    return write(toArrow(fromArrow(table)));
  }
}

/** Parquet bytes → Arrow IPC stream (what `Connector.insertArrow` takes). */
export async function parquetToIpc(bytes: Uint8Array): Promise<Uint8Array> {
  const pq = await loadParquetWasm();
  return pq.readParquet(bytes).intoIPCStream();
}

/** Parquet bytes → plain rows (for tests and small previews). */
export async function readParquetRows(bytes: Uint8Array): Promise<Row[]> {
  const t = tableFromIPC(await parquetToIpc(bytes));
  const out: Row[] = [];
  for (const r of t) {
    const o: Row = {};
    for (const f of t.schema.fields) {
      const v = (r as Record<string, unknown>)[f.name];
      o[f.name] = normalizeValue(v, String(f.type));
    }
    out.push(o);
  }
  return out;
}
