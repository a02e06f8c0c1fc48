/**
 * The demo's tables in one file: a 4-byte length, a JSON header (each table's name, columns, row
 * count and stream length), then each table's Arrow IPC stream. Written at build time by
 * src/db/demo-arrow.ts, read by the app on first start (src/app/demo.ts).
 */

/** One demo table as shipped: what a stored table's record holds, without the IndexedDB fields. */
export interface DemoTable {
  name: string;
  columns: { name: string; type: string }[];
  rowCount: number;
  ipc: Uint8Array;
}

export function packDemo(tables: DemoTable[]): Uint8Array {
  const head = new TextEncoder().encode(JSON.stringify(tables.map(({ ipc, ...t }) => ({ ...t, bytes: ipc.length }))));
  const out = new Uint8Array(4 + head.length + tables.reduce((n, t) => n + t.ipc.length, 0));
  new DataView(out.buffer).setUint32(0, head.length, true);
  out.set(head, 4);
  let at = 4 + head.length;
  for (const t of tables) out.set(t.ipc, at), (at += t.ipc.length);
  return out;
}

/** The tables of a packed file; each stream is a view of `bytes`, not a copy. */
export function unpackDemo(bytes: Uint8Array): DemoTable[] {
  const headLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  const head = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headLength))) as (Omit<DemoTable, 'ipc'> & { bytes: number })[];
  let at = 4 + headLength;
  const tables = head.map(({ bytes: n, ...t }) => ({ ...t, ipc: bytes.subarray(at, (at += n)) }));
  if (at !== bytes.length) throw new Error(`demo file: ${bytes.length} bytes, its header describes ${at}`);
  return tables;
}
