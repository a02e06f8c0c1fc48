/**
 * Persisted DuckDB tables: one IndexedDB record per table, holding an Arrow IPC stream and the
 * column types (DuckDB-WASM ships without the Parquet extension, and Arrow round-trips BIGINT
 * as DOUBLE, so the types are restored with CASTs).
 */
import { idbDelete, idbGet, idbKeys, idbSet } from './idb';

export interface StoredTable {
  /** Qualified name as used in SQL: `name` (schema main) or `raw.name`. */
  name: string;
  ipc: Uint8Array;
  columns: { name: string; type: string }[];
  rowCount: number;
  savedAt: number;
}

export const saveTable = (t: StoredTable): Promise<void> => idbSet('tables', t.name, t);
export const deleteStoredTable = (name: string): Promise<void> => idbDelete('tables', name);
export const storedTableNames = (): Promise<string[]> => idbKeys('tables');

/** Every stored table, oldest first (so later imports replace earlier ones on restore). */
export async function loadStoredTables(): Promise<StoredTable[]> {
  const names = await storedTableNames();
  const tables = await Promise.all(names.map((n) => idbGet<StoredTable>('tables', n)));
  return tables.filter((t): t is StoredTable => !!t).sort((a, b) => a.savedAt - b.savedAt);
}
