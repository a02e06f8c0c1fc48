/**
 * Persisted DuckDB tables: one IndexedDB record per table, holding an Arrow IPC stream and the
 * column types (DuckDB-WASM ships without the Parquet extension, and Arrow round-trips BIGINT
 * as DOUBLE, so the types are restored with CASTs).
 *
 * A table whose record could not be written (quota, a closed store) is remembered as unsaved, so
 * the data panel shows it as «не сохранена» instead of looking loaded and vanishing after reload.
 */
import { UserError } from '../errors';
import { assertStorable } from './guard';
import { StorageError, idbDelete, idbGet, idbKeys, idbSet, storageReason } from './idb';

export interface StoredTable {
  /** Qualified name as used in SQL: `name` (schema main) or `raw.name`. */
  name: string;
  ipc: Uint8Array;
  columns: { name: string; type: string }[];
  rowCount: number;
  savedAt: number;
  /** What the table held when saved (BrowserConnector.fingerprints); absent in records saved before it existed. */
  fingerprint?: string;
}

const unsaved = new Map<string, string>();
const listeners = new Set<() => void>();
const changed = () => listeners.forEach((f) => f());

/** Tables (qualified names) whose last save failed, with the Russian reason. */
export const unsavedTables = (): ReadonlyMap<string, string> => unsaved;
export function onUnsavedChange(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

export async function saveTable(t: StoredTable): Promise<void> {
  assertStorable(t.name, t.columns);
  try {
    await idbSet('tables', t.name, t);
  } catch (e) {
    const reason = e instanceof StorageError ? e.reason : storageReason(e);
    unsaved.set(t.name, reason);
    changed();
    throw new UserError(`Таблица «${t.name}» не сохранена в браузере: ${reason}. Она доступна до перезагрузки страницы.`);
  }
  if (unsaved.delete(t.name)) changed();
}

export async function deleteStoredTable(name: string): Promise<void> {
  await idbDelete('tables', name);
  if (unsaved.delete(name)) changed();
}
export const storedTableNames = (): Promise<string[]> => idbKeys('tables');

/** Every stored table, oldest first (so later imports replace earlier ones on restore). */
export async function loadStoredTables(): Promise<StoredTable[]> {
  const names = await storedTableNames();
  const tables = await Promise.all(names.map((n) => idbGet<StoredTable>('tables', n)));
  return tables.filter((t): t is StoredTable => !!t).sort((a, b) => a.savedAt - b.savedAt);
}
