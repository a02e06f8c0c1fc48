/**
 * Tables computed on demand: a lower layer (e.g. src/indicators/materialise.ts for `indicators`)
 * registers how to bring a table up to date, and the runtime calls it before a cell that reads
 * that table runs. The notebook layer thus never imports the modules that compute the tables.
 */
import type { Connector } from '../db/connector';
import type { NotebookData } from './model';

/**
 * Makes sure the table exists and matches the data now loaded (cheap when it already does). The
 * notebook tells what it needs (a template's front matter `direction: TAL` needs less than all).
 * Resolves to true when the table was (re)computed.
 */
export type TableProvider = (conn: Connector, notebook: NotebookData) => Promise<unknown>;

const providers = new Map<string, TableProvider>();
const listeners = new Set<() => void>();

/** `listener` runs after a provider (re)computed its table: the data panel lists it. Returns the unsubscribe. */
export function onTableProvided(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Tells the listeners a provided table was (re)computed (also when computed outside a cell, as a template's opening does). */
export function tableProvided(): void {
  for (const l of listeners) l();
}

export function registerTableProvider(name: string, ensure: TableProvider): void {
  providers.set(name.toLowerCase(), ensure);
}

/** Names of the tables a notebook can read without importing them (for the data panel). */
export function providedTables(): string[] {
  return [...providers.keys()].sort();
}

/** Runs the providers of the given table names (case-insensitive, each once, in order). */
export async function ensureProvidedTables(conn: Connector, names: readonly string[], notebook: NotebookData): Promise<void> {
  const seen = new Set<string>();
  for (const n of names) {
    const key = n.toLowerCase();
    const ensure = providers.get(key);
    if (!ensure || seen.has(key)) continue;
    seen.add(key);
    if ((await ensure(conn, notebook)) === true) tableProvided();
  }
}
