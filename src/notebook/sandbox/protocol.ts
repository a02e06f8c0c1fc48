/**
 * Messages between the page and the sandboxed frame that runs TypeScript cells. Everything
 * crosses by structured clone; Arrow tables cross as IPC bytes (cheap to copy, exact types).
 */
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { isArrowTable } from '../table-value';
import { rowsWithArrow } from '../ts-api';

const ARROW = '__msoko_arrow';
const ROWS = '__msoko_rows';

export interface WireInvocation {
  code: string;
  names: string[];
  values: Record<string, unknown>;
  params: Record<string, unknown>;
}

export type ToFrame =
  | { type: 'run'; run: number; inv: WireInvocation }
  | { type: 'sql-result'; req: number; ipc: Uint8Array }
  | { type: 'sql-error'; req: number; message: string };

export type FromFrame =
  | { type: 'ready' }
  | { type: 'sql'; run: number; req: number; strings: string[]; values: unknown[] }
  | { type: 'done'; run: number; value: unknown }
  | { type: 'error'; run: number; message: string };

/** A value as it can cross: Arrow tables (and rows that carry one) as IPC; anything uncloneable dropped. */
export function encodeValue(v: unknown): unknown {
  if (isArrowTable(v)) return { [ARROW]: tableToIPC(v, 'stream') };
  if (Array.isArray(v) && isArrowTable((v as { arrow?: unknown }).arrow)) return { [ROWS]: tableToIPC((v as unknown as { arrow: Parameters<typeof tableToIPC>[0] }).arrow, 'stream') };
  try {
    return structuredClone(v);
  } catch {
    return undefined;
  }
}

export function decodeValue(v: unknown): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    if (ARROW in v) return tableFromIPC((v as Record<string, Uint8Array>)[ARROW]);
    if (ROWS in v) return rowsWithArrow(tableFromIPC((v as Record<string, Uint8Array>)[ROWS]));
  }
  return v;
}
