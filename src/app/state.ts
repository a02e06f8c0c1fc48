/** App-wide reactive state: the table list, import jobs, messages and engine status. */
import { createSignal } from 'solid-js';
import { createStore, produce } from 'solid-js/store';
import type { TableInfo } from '../db/connector';
import { db } from '../db/browser-connector';

export type EngineStatus = 'starting' | 'ready' | 'failed';

export interface ImportJob {
  id: string;
  file: string;
  size: number;
  fraction: number;
  stage: string;
  status: 'queued' | 'running' | 'done' | 'error';
  error?: string;
  /** Problems that did not stop the file loading (e.g. lines in another encoding), naming file and row. */
  warnings?: string[];
  /** Typed tables created (schema main). */
  tables: string[];
}

export const [engine, setEngine] = createSignal<EngineStatus>('starting');
export const [startupError, setStartupError] = createSignal<string | null>(null);
export const [tables, setTables] = createSignal<TableInfo[]>([]);
export const [selectedTable, setSelectedTable] = createSignal<string | null>(null);
export const [jobs, setJobs] = createStore<ImportJob[]>([]);
export const [notice, setNotice] = createSignal<string | null>(null);
/**
 * Stored tables being put back into the engine after a reload (`done` of `total`), null once the
 * data are ready. The shell is usable meanwhile; queries wait for the restore (src/db/browser-connector.ts).
 */
export const [restoring, setRestoring] = createSignal<{ done: number; total: number } | null>(null);

export async function refreshTables(): Promise<void> {
  try {
    const list = await db.listTables();
    setTables(list.sort((a, b) => a.name.localeCompare(b.name, 'ru')));
  } catch {
    // The engine is restarting; the 'restarted' event refreshes again.
  }
}

export function addJob(job: ImportJob): void {
  setJobs(produce((list) => list.push(job)));
}

export function updateJob(id: string, patch: Partial<ImportJob>): void {
  setJobs((j) => j.id === id, patch);
}

export function clearFinishedJobs(): void {
  setJobs((list) => list.filter((j) => j.status === 'running' || j.status === 'queued'));
}
