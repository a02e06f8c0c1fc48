/**
 * Small persistent key–value state for any module (the notebook, settings, import metadata).
 * Values must be structured-cloneable (plain objects, strings, numbers, Uint8Array…).
 * Survives a page reload; wiped by «Очистить локальные данные».
 */
import { idbDelete, idbGet, idbKeys, idbSet } from './idb';

export const kvGet = <T>(key: string): Promise<T | undefined> => idbGet<T>('kv', key);
export const kvSet = (key: string, value: unknown): Promise<void> => idbSet('kv', key, value);
export const kvDelete = (key: string): Promise<void> => idbDelete('kv', key);
/** Keys starting with `prefix` (all keys when omitted). */
export async function kvKeys(prefix = ''): Promise<string[]> {
  return (await idbKeys('kv')).filter((k) => k.startsWith(prefix));
}
