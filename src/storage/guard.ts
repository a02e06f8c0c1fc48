/**
 * The last barrier before IndexedDB: columns recognised as personal data (src/ingest/personal.ts)
 * are registered here per table, and a table still holding one of them is refused by saveTable.
 * The importer registers a sheet's personal columns as soon as it is read; they leave the table
 * (hashed into pseudonyms or dropped) before the sheet may be stored.
 */
import { UserError } from '../errors';

const held = new Map<string, Set<string>>();

/** Marks `columns` of `table` (`t` or `raw.t`) as personal: never to be stored. */
export function holdPersonal(table: string, columns: readonly string[]): void {
  if (!columns.length) return;
  const set = held.get(table) ?? new Set<string>();
  for (const c of columns) set.add(c);
  held.set(table, set);
}

export function personalColumnsHeld(table: string): string[] {
  return [...(held.get(table) ?? [])];
}

/** Throws when `columns` of `table` still include one registered as personal. */
export function assertStorable(table: string, columns: ReadonlyArray<{ name: string }>): void {
  const set = held.get(table);
  if (!set) return;
  const bad = columns.filter((c) => set.has(c.name)).map((c) => c.name);
  if (bad.length) {
    throw new UserError(
      `Таблица «${table}» не сохранена в браузере: в ней остаются персональные данные (столбцы ${bad.map((c) => `«${c}»`).join(', ')}). Завершите сопоставление — эти столбцы будут удалены.`,
    );
  }
}
