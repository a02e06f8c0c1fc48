/**
 * Collapsed cells are per-notebook view state, kept like its parameter values (the kv store,
 * keyed by the notebook), and the open notebook's «Свернуть все / Развернуть все» for the app's
 * command registry, which has no handle on the notebook view otherwise.
 */
import { kvDelete, kvGet, kvSet } from '../../storage';
import type { OpenRef } from './library';

const KEY = 'notebook.collapsed.';
const key = (ref: OpenRef) => `${KEY}${ref.kind}:${ref.id}`;

export const getCollapsed = async (ref: OpenRef): Promise<string[]> => (await kvGet<string[]>(key(ref))) ?? [];
export const saveCollapsed = (ref: OpenRef, ids: Iterable<string>) => kvSet(key(ref), [...ids]);
export const deleteCollapsed = (ref: OpenRef) => kvDelete(key(ref));

let handler: ((on: boolean) => void) | null = null;

/** The mounted notebook view registers itself; returns the unregistration. */
export function onCollapseAll(fn: (on: boolean) => void): () => void {
  handler = fn;
  return () => {
    if (handler === fn) handler = null;
  };
}

export const collapseAllCells = (on: boolean): void => handler?.(on);
