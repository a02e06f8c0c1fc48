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
import { DEMO_SALT } from '../../ingest/pseudonym';
import type { RawSource } from '../../ingest/read/types';
import { kvGet, kvSet } from '../../storage/kv';
import referenceThresholds from '../../../datasets/reference/thresholds.csv?raw';

const MAPPING_PREFIX = 'import.mapping:';
const SALT_KEY = 'import.salt';
const APPLIED_KEY = 'import.applied';

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

export const savedSalt = async (): Promise<string> => (await kvGet<string>(SALT_KEY)) ?? DEMO_SALT;
/** Until the first confirmed import the canonical tables hold the demo municipality. */
export const firstImport = async (): Promise<boolean> => !(await kvGet<boolean>(APPLIED_KEY));

export interface ConfirmOptions {
  salt: string;
  replace: boolean;
  /** Saves the written tables so they survive a reload (the browser connector's persistTables). */
  persist?: (tables: string[]) => Promise<void>;
}

/** Applies every pending mapping (in dependency order) and keeps the validation report. */
export async function confirmPending(conn: Connector, opts: ConfirmOptions): Promise<ImportOutcome> {
  const plans = pending().filter((p) => p.mapping.layout !== 'unknown');
  setApplying(true);
  setApplyError(null);
  try {
    await kvSet(SALT_KEY, opts.salt);
    const reports = await runImport(conn, plans, {
      salt: opts.salt,
      replace: opts.replace,
      store: kvMappingStore,
      referenceThresholds,
      onProgress: (fraction, stage) => setApplyProgress({ fraction, stage }),
    });
    await kvSet(APPLIED_KEY, true);
    const written = new Set<string>([ISSUES_TABLE]);
    for (const p of plans) for (const t of tablesWritten(p.mapping)) written.add(t);
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
