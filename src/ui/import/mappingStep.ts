/**
 * The mapping step in the app: every imported sheet gets a proposed (or stored) mapping onto the
 * canonical tables; the person confirms or corrects them in MappingDialog; confirmed mappings are
 * kept in IndexedDB and reused for the next file of the same layout.
 */
import { createSignal } from 'solid-js';
import type { Connector } from '../../db/connector';
import type { ImportReport } from '../../ingest/apply';
import { ISSUES_TABLE } from '../../ingest/apply';
import { issuesCsv, planImport, runImport, summaryText, tablesWritten, type PlannedImport } from '../../ingest/import';
import { ROLE_PERSONAL, type Mapping, type MappingStore } from '../../ingest/mapping';
import { isPersonalTitle } from '../../ingest/synonyms';
import { quoteIdent } from '../../db/connector';
import { activeDataset } from '../../app/dataset';
import { saltForImport, setSalt } from '../../app/salt';
import type { RawSource } from '../../ingest/read/types';
import { forecastImport, type ImportForecast } from '../../ingest/forecast';
import { kvGet, kvSet } from '../../storage/kv';
import referenceThresholds from '../../../datasets/reference/thresholds.csv?raw';

const MAPPING_PREFIX = 'import.mapping:';

export const kvMappingStore: MappingStore = {
  get: async (signature) => (await kvGet<Mapping>(MAPPING_PREFIX + signature)) ?? null,
  put: (m) => kvSet(MAPPING_PREFIX + m.signature, JSON.parse(JSON.stringify(m))),
};

export interface ImportOutcome {
  reports: ImportReport[];
  summary: string;
  issuesCsv: string;
}

export const [pending, setPending] = createSignal<PlannedImport[]>([]);
export const [outcome, setOutcome] = createSignal<ImportOutcome | null>(null);
export const [applying, setApplying] = createSignal(false);
/** Progress of the running import: fraction 0…1 and the sheet and stage in Russian. */
export const [applyProgress, setApplyProgress] = createSignal<{ fraction: number; stage: string } | null>(null);
export const [applyError, setApplyError] = createSignal<string | null>(null);

/** Adds the sheets of a freshly read file to the mapping dialog. */
export async function proposeFor(sources: RawSource[]): Promise<void> {
  const plans = await planImport(sources, kvMappingStore);
  setOutcome(null);
  setPending((list) => [...list, ...plans]);
}

export function updatePlan(index: number, edit: (m: Mapping) => void): void {
  setPending((list) =>
    list.map((p, i) => {
      if (i !== index) return p;
      const mapping = structuredClone(p.mapping);
      edit(mapping);
      return { ...p, mapping };
    }),
  );
}

/** This session's pseudonym key, or a fresh random one shown to the user once (src/app/salt.ts: never stored with the data). */
export const savedSalt = async (): Promise<string> => saltForImport();
/** While the demo is active the canonical tables hold the demo municipality. */
export const firstImport = async (): Promise<boolean> => activeDataset() === 'demo';

/** Forecast of one pending plan: what confirming would load, computed without writing a canonical table. */
export type ForecastState = { status: 'pending' } | { status: 'done'; forecast: ImportForecast } | { status: 'error'; message: string };
export const [forecasts, setForecasts] = createSignal<ReadonlyMap<PlannedImport, ForecastState>>(new Map());

// Forecasts share the importer's temp tables (_imp_*): they run one at a time, and never during an import.
let queue: Promise<void> = Promise.resolve();
let generation = 0;

/** Queues the forecast of every pending plan that has none (a changed mapping is a new plan object). */
export function forecastPending(conn: Connector, salt: string): void {
  const gen = generation;
  for (const plan of pending()) {
    if (forecasts().has(plan)) continue;
    setForecasts((m) => new Map(m).set(plan, { status: 'pending' }));
    queue = queue.then(async () => {
      if (gen !== generation || !pending().includes(plan)) return;
      let state: ForecastState;
      try {
        state = { status: 'done', forecast: await forecastImport(conn, plan.raw, plan.mapping, { salt }) };
      } catch (e) {
        state = { status: 'error', message: e instanceof Error ? e.message : String(e) };
      }
      setForecasts((m) => new Map(m).set(plan, state));
    });
  }
}

/** Drops the queued forecasts (the dialog was confirmed or cancelled) and waits for the running one. */
async function stopForecasts(): Promise<void> {
  generation++;
  await queue;
  setForecasts(new Map());
}

export interface ConfirmOptions {
  salt: string;
  /** Empty the tables the files write before writing (only after the user agreed to exactly that). */
  replace: boolean;
  /** Saves the written tables so they survive a reload (the browser connector's persistTables). */
  persist?: (tables: string[]) => Promise<void>;
  /**
   * Asked before any canonical table changes (src/app/dataset.ts requestCanonicalChange): false
   * means the user did not agree, and nothing is written.
   */
  consent?: (req: { tables: string[]; mode: 'append' | 'replace'; file?: string }) => Promise<boolean>;
}

/** Applies every pending mapping (in dependency order) and keeps the validation report; null when the user declined. */
export async function confirmPending(conn: Connector, opts: ConfirmOptions): Promise<ImportOutcome | null> {
  const plans = pending().filter((p) => p.mapping.layout !== 'unknown');
  setApplying(true);
  setApplyError(null);
  try {
    await stopForecasts();
    const written = new Set<string>([ISSUES_TABLE]);
    for (const p of plans) for (const t of tablesWritten(p.mapping)) written.add(t);
    const files = [...new Set(plans.map((p) => p.raw.file))];
    const tables = [...written].filter((t) => t !== ISSUES_TABLE);
    if (opts.consent && !(await opts.consent({ tables, mode: opts.replace ? 'replace' : 'append', file: files.length === 1 ? files[0] : `${files.length} файлов` }))) return null;
    // The key lives in this tab's session only (src/app/salt.ts), never with the data.
    setSalt(opts.salt);
    const reports = await runImport(conn, plans, {
      salt: opts.salt,
      replace: opts.replace,
      store: kvMappingStore,
      referenceThresholds,
      onProgress: (fraction, stage) => setApplyProgress({ fraction, stage }),
    });
    await opts.persist?.([...written]);
    await scrubPersonal(conn, pending(), opts.persist);
    const result = { reports, summary: summaryText(reports), issuesCsv: await issuesCsv(conn) };
    setOutcome(result);
    setPending([]);
    return result;
  } catch (e) {
    setApplyError(e instanceof Error ? e.message : String(e));
    throw e;
  } finally {
    setApplying(false);
    setApplyProgress(null);
  }
}

/** Cancelling still removes the personal columns from the loaded sheets. */
export async function dismissPending(conn: Connector, persist?: (tables: string[]) => Promise<void>): Promise<void> {
  const plans = pending();
  setPending([]);
  await stopForecasts();
  await scrubPersonal(conn, plans, persist);
}

/**
 * Surnames, names, patronymics and document numbers never stay in the browser: once the mapping
 * is applied (the pseudonyms are computed) their columns are dropped from the loaded sheet's raw
 * and typed tables, and the stored copies are overwritten.
 */
async function scrubPersonal(conn: Connector, plans: PlannedImport[], persist?: (tables: string[]) => Promise<void>): Promise<void> {
  const changed: string[] = [];
  for (const p of plans) {
    const personal = p.mapping.columns.filter((c) => c.field === ROLE_PERSONAL || isPersonalTitle(c.header));
    if (!personal.length) continue;
    const typed = (p.raw as { typedTable?: string }).typedTable;
    for (const c of personal) {
      await conn.query({ type: 'exec', sql: `ALTER TABLE raw.${quoteIdent(p.raw.table)} DROP COLUMN IF EXISTS ${quoteIdent(c.column)}` });
      if (typed) await conn.query({ type: 'exec', sql: `ALTER TABLE ${quoteIdent(typed)} DROP COLUMN IF EXISTS ${quoteIdent(c.column)}` });
    }
    changed.push(`raw.${p.raw.table}`, ...(typed ? [typed] : []));
  }
  if (changed.length) await persist?.(changed);
}
