/**
 * Pieces shared by the headless runner (scripts/notebook.ts) and the browser: loading data
 * files into tables, and a plain snapshot of every cell's result (for parity checks).
 */
import { quoteIdent, quoteLiteral, type Connector } from '../db/connector';
import type { CellResult } from './model';
import type { NotebookRuntime } from './runtime';

/** `<table>.csv` / `<table>.parquet` → table `<table>`. */
export async function loadDataFile(conn: Connector, fileName: string, bytes: Uint8Array): Promise<string> {
  const m = /^(.+)\.(csv|parquet)$/i.exec(fileName);
  if (!m) throw new Error(`Неподдерживаемый файл данных «${fileName}»: ожидается .csv или .parquet`);
  const table = m[1];
  const path = await conn.registerFile(fileName, bytes);
  const reader = m[2].toLowerCase() === 'csv' ? `read_csv(${quoteLiteral(path)}, header = true)` : `read_parquet(${quoteLiteral(path)})`;
  await conn.query({ type: 'exec', sql: `CREATE OR REPLACE TABLE ${quoteIdent(table)} AS SELECT * FROM ${reader}` });
  return table;
}

export type Snapshot = Record<string, { status: string; error?: string; result: unknown }>;

export function snapshotResult(r: CellResult | undefined): unknown {
  if (!r) return null;
  switch (r.kind) {
    case 'table':
      return { kind: 'table', columns: r.columns, rows: r.rows().map((row) => r.columns.map((c) => roundForCompare(row[c]))) };
    case 'chart':
      return { kind: 'chart', spec: roundDeep(r.spec) };
    case 'md':
      return { kind: 'md', text: r.text };
    case 'html':
      return { kind: 'html', html: r.html };
    case 'param':
      return { kind: 'param', value: r.value, options: r.options ?? null };
    case 'value':
      return { kind: 'value', value: roundDeep(r.value) };
    case 'dom':
      return { kind: 'dom' };
    case 'none':
      return { kind: 'none' };
  }
}

/** Every cell's status and result, keyed by cell id, as plain JSON. */
export function snapshot(rt: NotebookRuntime): Snapshot {
  const out: Snapshot = {};
  for (const id of rt.order) {
    const s = rt.states.get(id)!;
    out[id] = { status: s.status, result: snapshotResult(s.result) };
    if (s.error) out[id].error = s.error;
  }
  return out;
}

// Two DuckDB builds may differ in the last bits of a floating sum; 12 significant digits is exact enough.
function roundForCompare(v: unknown): unknown {
  return typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v;
}

function roundDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(roundDeep);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, roundDeep(x)]));
  return roundForCompare(v);
}
