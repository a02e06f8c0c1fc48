/**
 * A cell's runtime state moves only through these pure transitions (as in marimo's
 * core/cells): each takes a state and returns the next, so every rule — what is shown while a
 * cell waits, when an old result stays, when a run counts — is stated once and tested alone.
 */
import { CANCELLED_MESSAGE } from '../errors';
import type { CellResult, CellRuntimeState } from './model';

export const initialState = (deps: string[] = []): CellRuntimeState => ({ status: 'idle', runCount: 0, deps });

/** The source or an input changed: a cell that ran becomes stale, one that never ran stays idle. */
export const invalidated = (s: CellRuntimeState): CellRuntimeState => ({
  ...s,
  status: s.runCount > 0 || s.status === 'error' ? 'stale' : 'idle',
  error: undefined,
});

/** A static error (syntax, cycle, unknown name): the cell cannot run. */
export const broken = (s: CellRuntimeState, error: string): CellRuntimeState => ({ ...s, status: 'error', error });

export const queued = (s: CellRuntimeState): CellRuntimeState => ({ ...s, status: 'queued' });

/** Running keeps the previous result on screen until the new one arrives. */
export const running = (s: CellRuntimeState): CellRuntimeState => ({ ...s, status: 'running', error: undefined, runCount: s.runCount + 1 });

export const done = (s: CellRuntimeState, result: CellResult, durationMs?: number): CellRuntimeState => ({
  ...s,
  status: 'done',
  result,
  error: undefined,
  durationMs,
});

/** A failed run drops the old result: showing it under an error would mislead. */
export const failed = (s: CellRuntimeState, error: string, durationMs?: number): CellRuntimeState => ({
  ...s,
  status: 'error',
  error,
  result: undefined,
  durationMs,
});

/** Cancelled: what was shown before stays (it is still the last complete result). */
export const cancelled = (s: CellRuntimeState): CellRuntimeState => ({ ...s, status: 'cancelled', error: CANCELLED_MESSAGE });

/** Held: an untrusted notebook's cell waits, untouched. */
export const held = (s: CellRuntimeState): CellRuntimeState => ({ ...s, status: 'idle' });

/** The engine restarted and lost materialised tables: finished SQL/TS cells must run again. */
export const lostTables = (s: CellRuntimeState): CellRuntimeState => (s.status === 'done' ? { ...s, status: 'stale' } : s);

export const isBusy = (s: CellRuntimeState | undefined): boolean => s?.status === 'running' || s?.status === 'queued';
