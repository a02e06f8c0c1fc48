/**
 * Which data set the app runs on — the bundled demo or the user's own — and consent before any
 * canonical table changes. Nothing replaces or clears a canonical table without the user having
 * agreed to exactly that, and the previous version is kept until they confirm (undo).
 *
 * API (browser):
 *   await requestCanonicalChange({ tables, mode: 'append' | 'replace', file }) → boolean
 *     Call BEFORE writing canonical tables (mapping dialog, bundles). Resolves true when the
 *     change may go ahead: at once for appending to the user's own data; otherwise after the user
 *     agreed in a dialog that lists every table and row count to be cleared (leaving the demo
 *     clears all demo tables). On agreement the previous version is kept (the demo can always be
 *     reloaded; own tables are copied to `raw.__prev_<table>`) and «Вернуть прежние данные» /
 *     «Оставить новые» appear in the data panel. false: write nothing.
 *   activeDataset() → 'demo' | 'own' (reactive), datasetChanged() after a switch.
 *   await dataSummary() → DataSummary (demo/own, years, works, schools, participants per year);
 *     summaryLine(s) / yearLine(y) give the Russian text.
 *   pendingUndo() (reactive) → the change that can still be undone; confirmChange(), undoChange().
 *   await leaveDemo() / await backToDemo(): the explicit switches of the data panel.
 */
import { createSignal } from 'solid-js';
import { db } from '../db/browser-connector';
import { quoteIdent } from '../db/connector';
import { describeError } from '../errors';
import { kvDelete, kvGet, kvSet } from '../storage/kv';
import { CANONICAL_TABLE_NAMES } from '../model/contract';
import { canonicalRowCounts, planChange, summarizeData, type ChangePlan, type ChangeRequest, type DataSummary, type DatasetKind, type TableRows } from './dataset-core';
import { refreshTables, setNotice } from './state';

export type { ChangeRequest, DataSummary, DatasetKind, YearSummary } from './dataset-core';
export { summaryLine, yearLine } from './dataset-core';

const ACTIVE_KEY = 'dataset.active';
const UNDO_KEY = 'dataset.undo';
const LEGACY_APPLIED_KEY = 'import.applied';
export const BACKUP_PREFIX = '__prev_';

export interface PendingUndo {
  /** Own tables copied before they were replaced. */
  backups: string[];
  /** The data set before the change (undo goes back to the demo when it was the demo). */
  previous: DatasetKind;
  file?: string;
  at: number;
}

/** The question shown in the data panel; `answer` closes it. */
export interface ConsentQuestion {
  plan: ChangePlan;
  request: ChangeRequest;
  answer: (ok: boolean) => void;
}

const [active, setActive] = createSignal<DatasetKind>('demo');
const [undo, setUndo] = createSignal<PendingUndo | null>(null);
const [question, setQuestion] = createSignal<ConsentQuestion | null>(null);
const [revision, setRevision] = createSignal(0);
export const activeDataset = active;
export const pendingUndo = undo;
export const consentQuestion = question;
/** Increments whenever the data set or its tables were switched, replaced or restored. */
export const datasetRevision = revision;
const bump = () => setRevision((n) => n + 1);

/** Reads the stored state at start-up (after the tables are restored). */
export async function loadDatasetState(): Promise<void> {
  let kind = await kvGet<DatasetKind>(ACTIVE_KEY);
  // Before data sets existed, a confirmed import meant the user's own data.
  if (!kind) kind = (await kvGet<boolean>(LEGACY_APPLIED_KEY)) ? 'own' : 'demo';
  setActive(kind);
  setUndo((await kvGet<PendingUndo>(UNDO_KEY)) ?? null);
}

async function setDataset(kind: DatasetKind): Promise<void> {
  await kvSet(ACTIVE_KEY, kind);
  setActive(kind);
  bump();
}

export const markDemoLoaded = (): Promise<void> => setDataset('demo');

function ask(request: ChangeRequest, plan: ChangePlan): Promise<boolean> {
  return new Promise((resolve) => {
    question()?.answer(false);
    setQuestion({ plan, request, answer: (ok) => (setQuestion(null), resolve(ok)) });
  });
}

export async function requestCanonicalChange(request: ChangeRequest): Promise<boolean> {
  const counts = await canonicalRowCounts(db);
  const plan = planChange(active(), counts, request);
  if (!plan.leaveDemo && !plan.cleared.length) return true;
  if (plan.cleared.length && !(await ask(request, plan))) return false;
  await keepPrevious(plan, request.file);
  if (plan.leaveDemo) await clearTables(plan.cleared);
  if (plan.leaveDemo) await setDataset('own');
  return true;
}

/**
 * Copies own tables about to be replaced to `raw.__prev_<t>` (stored), and remembers the undo.
 * A change made while an earlier one is still undoable extends it: undo goes back to the state
 * before the first (the demo, or the oldest copy of each table).
 */
async function keepPrevious(plan: ChangePlan, file?: string): Promise<void> {
  const earlier = undo();
  const previous = earlier?.previous ?? active();
  const backups = [...(earlier?.backups ?? [])];
  if (previous === 'own') {
    for (const { table } of plan.cleared) {
      const backup = `raw.${BACKUP_PREFIX}${table}`;
      if (backups.includes(backup)) continue;
      await db.query({ type: 'exec', sql: `CREATE OR REPLACE TABLE raw.${quoteIdent(BACKUP_PREFIX + table)} AS SELECT * FROM ${quoteIdent(table)}` });
      await db.persistTables([backup]);
      backups.push(backup);
    }
  }
  const state: PendingUndo = { backups, previous, file, at: Date.now() };
  await kvSet(UNDO_KEY, state);
  setUndo(state);
}

/** Empties tables (keeping their columns) and stores them empty, so a reload agrees. */
async function clearTables(tables: readonly TableRows[]): Promise<void> {
  for (const { table } of tables) await db.query({ type: 'exec', sql: `DELETE FROM ${quoteIdent(table)}` });
  await db.persistTables(tables.map((t) => t.table));
  await refreshTables();
}

/** The user keeps the new data: the previous version is forgotten. */
export async function confirmChange(): Promise<void> {
  const u = undo();
  if (!u) return;
  await db.dropTables(u.backups);
  await kvDelete(UNDO_KEY);
  setUndo(null);
}

/** Puts the previous version back: the demo, or the own tables as they were before the change. */
export async function undoChange(): Promise<void> {
  const u = undo();
  if (!u) return;
  try {
    if (u.previous === 'demo') {
      await backToDemoTables();
    } else {
      for (const backup of u.backups) {
        const table = backup.slice(`raw.${BACKUP_PREFIX}`.length);
        await db.query({ type: 'exec', sql: `CREATE OR REPLACE TABLE ${quoteIdent(table)} AS SELECT * FROM raw.${quoteIdent(BACKUP_PREFIX + table)}` });
        await db.persistTables([table]);
      }
      await db.dropTables(u.backups);
    }
    await kvDelete(UNDO_KEY);
    setUndo(null);
    await setDataset(u.previous);
    setNotice(u.previous === 'demo' ? 'Возвращены демонстрационные данные.' : 'Возвращены прежние данные.');
  } catch (e) {
    setNotice(`Не удалось вернуть прежние данные: ${describeError(e)}`);
    throw e;
  } finally {
    await refreshTables();
  }
}

async function backToDemoTables(): Promise<void> {
  const { loadDemo } = await import('./demo');
  const counts = await canonicalRowCounts(db);
  await clearTables(counts.filter((c) => c.rows > 0));
  await loadDemo();
}

/** The explicit switch back to the demo: asks, listing the own tables that will be cleared. */
export async function backToDemo(): Promise<boolean> {
  if (active() === 'demo') return true;
  const counts = (await canonicalRowCounts(db)).filter((c) => c.rows > 0);
  const plan: ChangePlan = { leaveDemo: false, cleared: counts, ignored: [] };
  if (counts.length && !(await ask({ tables: counts.map((c) => c.table), mode: 'replace', file: 'демонстрационные данные' }, plan))) return false;
  await keepPrevious(plan, 'демонстрационные данные');
  await backToDemoTables();
  await setDataset('demo');
  return true;
}

/** The explicit switch to an empty own data set (before importing files). */
export function leaveDemo(): Promise<boolean> {
  return requestCanonicalChange({ tables: [...CANONICAL_TABLE_NAMES], mode: 'append', file: undefined });
}

/** What the loaded data cover, for notebooks and the home page. */
export function dataSummary(): Promise<DataSummary> {
  return summarizeData(db, active());
}
