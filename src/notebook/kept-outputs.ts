/**
 * Kept outputs: the last output of each cell, kept in this browser (IndexedDB, never sent anywhere)
 * so that a reload shows the notebook's results while the engine is still starting. An output is
 * kept with everything it was computed from: the notebook and the cell, the source of the cell and
 * of every cell and parameter it reads (directly or not), the parameter values chosen, and the
 * fingerprints of the stored tables those cells read. On a reload it is shown only while all of
 * that still matches the notebook and the stored table records (`StoredTable.fingerprint`), marked
 * as kept, and it is replaced as soon as the engine has run the cell (src/notebook/ui/kept.ts).
 *
 * A cell that reads a TypeScript cell is never kept: TS code can read any table through `sql`,
 * so what it read cannot be named. Outputs over MAX_OUTPUT_BYTES are not kept; the oldest go
 * once all together pass MAX_TOTAL_BYTES.
 */
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { kvDelete, kvGet, kvSet } from '../storage/kv';
import type { CellResult } from './model';
import type { NotebookRuntime } from './runtime';
import { tableResult } from './table-value';
export { storedTablesForKept } from './startup';

const PREFIX = 'kept.';
const INDEX = 'keptIndex';
export const MAX_OUTPUT_BYTES = 2_000_000;
const MAX_TOTAL_BYTES = 24_000_000;

/** Names a cell's SQL may use as a schema or catalog qualifier: the table after it is not seen by the analysis. */
const QUALIFIERS = new Set(['raw', 'main', 'workspace', 'temp', 'system', 'memory', 'information_schema', 'pg_catalog']);

/** What an output was computed from, apart from the tables' contents. */
export interface CellInputs {
  /** The sources, names, attributes and chosen parameter values of the cell and everything upstream. */
  text: string;
  /** Table-like names the SQL of those cells mentions (lower case; not other cells' names). */
  candidates: string[];
}

type KeptOutput =
  | { kind: 'table'; ipc: Uint8Array; table: string | null }
  | { kind: 'chart'; spec: Record<string, unknown> }
  | { kind: 'md'; text: string }
  | { kind: 'value'; value: unknown };

interface KeptRecord {
  inputs: string;
  /** Fingerprint of every stored table among the candidates, as the engine held it when the cell ran. */
  tables: Record<string, string>;
  output: KeptOutput;
}

type Index = Record<string, { bytes: number; at: number }>;

const recordKey = (notebook: string, cell: string) => `${PREFIX}${notebook}.${cell}`;

/** The inputs of cell `id`, or null when its output cannot be kept (a TS cell upstream, a qualified table, an error). */
export function cellInputs(rt: NotebookRuntime, id: string): CellInputs | null {
  const seen = new Set<string>();
  const visit = (uid: string) => {
    if (seen.has(uid)) return;
    seen.add(uid);
    for (const d of rt.units.get(uid)?.deps ?? []) visit(d);
  };
  visit(id);
  const parts: unknown[] = [];
  const candidates = new Set<string>();
  for (const uid of [...seen].sort()) {
    const u = rt.units.get(uid);
    if (!u || u.error || u.kind === 'ts') return null;
    const chosen = u.kind === 'param' && u.name ? (rt.paramValues.get(u.name) ?? null) : null;
    parts.push([uid, u.kind, u.name ?? null, u.cell?.source ?? null, u.cell?.attrs ?? null, u.def ?? null, chosen]);
    for (const t of u.analysis.tables) {
      if (QUALIFIERS.has(t)) return null;
      if (!rt.unitByName(t)) candidates.add(t);
    }
  }
  return { text: JSON.stringify(parts), candidates: [...candidates].sort() };
}

/** The result as it can be stored, or null (a DOM node, a parameter, nothing, or too big). */
function toKept(result: CellResult): { output: KeptOutput; bytes: number } | null {
  if (result.kind === 'table') {
    // Measured before copying: a large result is not serialised only to be thrown away.
    if (result.arrow.data.reduce((n, d) => n + d.byteLength, 0) > MAX_OUTPUT_BYTES) return null;
    const ipc = tableToIPC(result.arrow, 'stream');
    return { output: { kind: 'table', ipc, table: result.table }, bytes: ipc.byteLength };
  }
  let output: KeptOutput;
  if (result.kind === 'chart') output = { kind: 'chart', spec: result.spec };
  else if (result.kind === 'md') output = { kind: 'md', text: result.text };
  else if (result.kind === 'value') output = { kind: 'value', value: result.value };
  else return null;
  try {
    return { output, bytes: JSON.stringify(output).length * 2 };
  } catch {
    return null; // not serialisable (a cycle, a BigInt): not kept
  }
}

function fromKept(o: KeptOutput): CellResult {
  if (o.kind === 'table') return tableResult(tableFromIPC(o.ipc), o.table);
  if (o.kind === 'chart') return { kind: 'chart', spec: o.spec };
  if (o.kind === 'md') return { kind: 'md', text: o.text };
  return { kind: 'value', value: o.value };
}

let writing: Promise<void> = Promise.resolve();

/**
 * Keeps `result` of cell `cell` of notebook `notebook`. `fingerprints`: the engine's fingerprint of
 * each candidate that is a table now (the caller asks the engine once the cell has run).
 */
export function keepOutput(notebook: string, cell: string, inputs: CellInputs, fingerprints: Map<string, string>, result: CellResult): Promise<void> {
  writing = writing
    .then(async () => {
      const key = recordKey(notebook, cell);
      const kept = toKept(result);
      const index = (await kvGet<Index>(INDEX)) ?? {};
      if (!kept || kept.bytes > MAX_OUTPUT_BYTES) {
        if (index[key]) await forget(index, [key]);
        return;
      }
      const record: KeptRecord = { inputs: inputs.text, tables: Object.fromEntries(fingerprints), output: kept.output };
      await kvSet(key, record);
      index[key] = { bytes: kept.bytes, at: Date.now() };
      let total = Object.values(index).reduce((a, b) => a + b.bytes, 0);
      const oldest = Object.entries(index).sort((a, b) => a[1].at - b[1].at);
      const evict: string[] = [];
      for (const [k, v] of oldest) {
        if (total <= MAX_TOTAL_BYTES || k === key) break;
        evict.push(k);
        total -= v.bytes;
      }
      await forget(index, evict, true);
    })
    .catch((e) => console.warn('Результат ячейки не сохранён в браузере', e));
  return writing;
}

async function forget(index: Index, keys: string[], always = false) {
  if (!keys.length && !always) return;
  for (const k of keys) {
    delete index[k];
    await kvDelete(k);
  }
  await kvSet(INDEX, index);
}

/**
 * The kept output of a cell, or null unless it was computed from exactly these inputs and every
 * stored table among the candidates still has the fingerprint it had then (no more tables, no fewer).
 * `stored`: stored table name (lower case) → fingerprint, from the records as read at start-up.
 */
export async function keptOutput(notebook: string, cell: string, inputs: CellInputs, stored: Map<string, string | undefined>): Promise<CellResult | null> {
  const rec = await kvGet<KeptRecord>(recordKey(notebook, cell));
  if (!rec || rec.inputs !== inputs.text) return null;
  const used = inputs.candidates.filter((t) => stored.has(t));
  const keptNames = Object.keys(rec.tables);
  if (keptNames.length !== used.length) return null;
  for (const t of used) {
    const fp = stored.get(t);
    if (!fp || rec.tables[t] !== fp) return null;
  }
  try {
    return fromKept(rec.output);
  } catch {
    return null;
  }
}
