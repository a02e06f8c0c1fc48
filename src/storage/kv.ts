/**
 * Small persistent key–value state for any module (the notebook, settings, import metadata).
 * Values must be structured-cloneable (plain objects, strings, numbers, Uint8Array…).
 * Survives a page reload; wiped by «Очистить локальные данные».
 *
 * Own notebooks (`notebook.user.*`, records with an `updated` stamp) are written with a version
 * check: when another tab saved the record after this tab read it, the write is refused with a
 * Russian message instead of the last writer silently winning.
 */
import { UserError } from '../errors';
import { idbDelete, idbGet, idbKeys, idbSet, idbUpdate } from './idb';

/**
 * Keys that must never reach storage: the pseudonym salt lives only in the tab's session
 * (src/app/salt.ts); whoever holds it and a name list could recompute the pseudonyms.
 */
const NEVER_STORED = new Set(['import.salt']);

const VERSIONED_PREFIXES = ['notebook.user.'];
const isVersioned = (key: string) => VERSIONED_PREFIXES.some((p) => key.startsWith(p));
const stampOf = (v: unknown): number | undefined => (typeof v === 'object' && v !== null ? (v as { updated?: number }).updated : undefined);

/** The `updated` stamp of each versioned record as this tab last read or wrote it. */
const seen = new Map<string, number | undefined>();

export class ConflictError extends UserError {
  constructor(readonly key: string) {
    super(
      `«${titleOf(key)}» изменён в другой вкладке или окне после того, как был открыт здесь. Изменения этой вкладки не записаны, чтобы не затереть те. Закройте одну из вкладок и откройте блокнот заново (перезагрузите страницу).`,
    );
  }
}
const titleOf = (key: string) => (key.startsWith('notebook.user.') ? 'Блокнот' : key);

export async function kvGet<T>(key: string): Promise<T | undefined> {
  if (NEVER_STORED.has(key)) return undefined;
  const v = await idbGet<T>('kv', key);
  if (isVersioned(key)) seen.set(key, stampOf(v));
  return v;
}

/**
 * Reads without counting as this tab having seen the record (a list of notebooks, not the one being
 * edited): a listing refreshed after another tab saved must not let this tab's older copy overwrite it.
 */
export async function kvPeek<T>(key: string): Promise<T | undefined> {
  return NEVER_STORED.has(key) ? undefined : idbGet<T>('kv', key);
}

export async function kvSet(key: string, value: unknown): Promise<void> {
  if (NEVER_STORED.has(key)) return idbDelete('kv', key);
  if (!isVersioned(key)) return idbSet('kv', key, value);
  await idbUpdate<unknown>('kv', key, (current) => {
    if (current !== undefined && seen.has(key) && stampOf(current) !== seen.get(key)) throw new ConflictError(key);
    return value;
  });
  seen.set(key, stampOf(value));
}

export const kvDelete = async (key: string): Promise<void> => {
  seen.delete(key);
  await idbDelete('kv', key);
};
/** Keys starting with `prefix` (all keys when omitted). */
export async function kvKeys(prefix = ''): Promise<string[]> {
  return (await idbKeys('kv')).filter((k) => k.startsWith(prefix));
}
