/**
 * Import of the person's files: size guard, reading with progress, the shared reader,
 * persistence of the new tables, then the import hooks (the mapping step plugs in there).
 */
import { db, HEADLESS_HINT } from '../db/browser-connector';
import { quoteIdent } from '../db/connector';
import { readFile, tableNameFor, type ReadSource } from '../ingest/read';
import { detectPersonalColumns, type PersonalColumn } from '../ingest/personal';
import { CANONICAL_TABLE_NAMES } from '../model/contract';
import { UserError, describeError, isUserError } from '../errors';
import { holdPersonal } from '../storage/guard';
import { kvGet, kvSet } from '../storage/kv';
import { addJob, refreshTables, updateJob } from './state';

/**
 * Called with the sources of each successfully imported file (one per sheet), after their
 * tables exist and are persisted. The mapping step (src/ingest) registers here to propose
 * canonical tables; a hook that throws shows its message on that file's row.
 */
export type ImportHook = (sources: ReadSource[], file: File) => void | Promise<void>;
const hooks = new Set<ImportHook>();
export function onFileImported(hook: ImportHook): () => void {
  hooks.add(hook);
  return () => hooks.delete(hook);
}

const SOURCES_KEY = 'import.sources';

/** Sources of every imported file, by raw table name (survives reloads; for the mapping step). */
export async function importedSources(): Promise<Record<string, ReadSource>> {
  return (await kvGet<Record<string, ReadSource>>(SOURCES_KEY)) ?? {};
}

const GB = 2 ** 30;
/** The largest file we try to load: 1.5 GB, less on machines that report little memory. */
export function maxFileBytes(): number {
  const override = Number(localStorage.getItem('msoko.maxFileBytes'));
  if (override > 0) return override;
  let limit = 1.5 * GB;
  const heap = (performance as Performance & { memory?: { jsHeapSizeLimit?: number } }).memory?.jsHeapSizeLimit;
  if (heap) limit = Math.min(limit, heap / 2);
  const device = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
  if (device) limit = Math.min(limit, (device * GB) / 4);
  return limit;
}

export const formatSize = (bytes: number): string =>
  bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1).replace('.', ',')} МБ` : `${Math.max(1, Math.round(bytes / 1024))} КБ`;

async function readBytes(file: File, onProgress: (f: number) => void): Promise<Uint8Array> {
  const out = new Uint8Array(file.size);
  const reader = file.stream().getReader();
  let offset = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    out.set(value, offset);
    offset += value.length;
    onProgress(file.size ? offset / file.size : 1);
  }
  return out;
}

let seq = 0;
let queue: Promise<void> = Promise.resolve();

/** Queues the files for import (one after another); resolves when all are done. */
export function importFiles(files: File[]): Promise<void> {
  const items = files.map((file) => {
    const id = `import-${++seq}`;
    addJob({ id, file: file.name, size: file.size, fraction: 0, stage: 'В очереди', status: 'queued', tables: [] });
    return { id, file };
  });
  const run = queue.then(async () => {
    for (const item of items) await importOne(item.id, item.file);
  });
  queue = run.catch(() => {});
  return run;
}

async function importOne(id: string, file: File): Promise<void> {
  const set = (fraction: number, stage: string) => {
    updateJob(id, { fraction, stage, status: 'running' });
    db.emit({ type: 'progress', key: id, label: file.name, fraction, stage });
  };
  try {
    const limit = maxFileBytes();
    if (file.size > limit) {
      throw new UserError(
        `файл слишком большой (${formatSize(file.size)}): браузер на этом компьютере может загрузить файл не больше ${formatSize(limit)}. Разделите файл на части или сохраните его в формате Parquet. ${HEADLESS_HINT}`,
        { file: file.name },
      );
    }
    set(0, 'Чтение файла');
    const bytes = await readBytes(file, (f) => set(0.25 * f, 'Чтение файла'));
    const tableName = await freeTableName(file.name);
    const sources = await readFile(db, file.name, bytes, { tableName, onProgress: (f, stage) => set(0.25 + 0.6 * f, stage) });
    set(0.9, 'Сохранение в браузере');
    const holdsPersonal = await separatePersonal(sources);
    await refreshTables();
    // A raw sheet with names or document numbers stays in memory only: the mapping step hashes
    // them into participant codes, drops the columns and only then saves the sheet.
    const names = sources.flatMap((s) => [...(holdsPersonal.has(s) ? [] : [`raw.${s.table}`]), ...(s.typedTable ? [s.typedTable] : [])]);
    // Each table on its own: one that does not fit is reported (and marked unsaved), the others are kept.
    const failures: string[] = [];
    for (const name of names) await db.persistTables([name]).catch((e: unknown) => failures.push(describeError(e)));
    const saveError = failures.length ? failures.join(' ') : null;
    const known = await importedSources();
    for (const s of sources) known[s.table] = s;
    await kvSet(SOURCES_KEY, known).catch(() => undefined);
    await refreshTables();
    for (const hook of hooks) await hook(sources, file);
    const tables = sources.map((s) => s.typedTable ?? s.table);
    const warnings = sources.flatMap((s) => s.warnings ?? []);
    if (warnings.length) updateJob(id, { warnings });
    if (saveError) {
      updateJob(id, { fraction: 1, stage: 'Загружено, но не сохранено', status: 'error', tables, error: `Файл «${file.name}»: ${saveError}` });
      db.emit({ type: 'progress', key: id, label: file.name, fraction: 1, stage: 'Ошибка', done: true, error: saveError });
      return;
    }
    updateJob(id, { fraction: 1, stage: 'Готово', status: 'done', tables });
    db.emit({ type: 'progress', key: id, label: file.name, fraction: 1, stage: 'Готово', done: true });
  } catch (e) {
    const error = importMessage(e, file);
    updateJob(id, { status: 'error', stage: 'Ошибка', error });
    db.emit({ type: 'progress', key: id, label: file.name, fraction: 1, stage: 'Ошибка', done: true, error });
    await refreshTables();
  }
}

/**
 * Table name for a file's sheets: never a canonical table's name (a file `schools.csv` must not
 * replace the schools) and never one already taken (two `Результаты.xlsx` from different folders
 * both stay): `schools` → `schools_file`, then `_2`, `_3`…
 */
export async function freeTableName(fileName: string): Promise<string> {
  const rows = await db.query({ type: 'rows', sql: `SELECT DISTINCT table_name AS n FROM information_schema.tables WHERE table_schema IN ('main', 'raw')` });
  const taken = new Set(rows.map((r) => String(r.n)));
  for (const n of CANONICAL_TABLE_NAMES) taken.add(n);
  let base = tableNameFor(fileName);
  if ((CANONICAL_TABLE_NAMES as readonly string[]).includes(base)) base = `${base}_file`;
  const clashes = (name: string) => [...taken].some((t) => t === name || t.startsWith(`${name}_`));
  if (!clashes(base)) return base;
  for (let i = 2; ; i++) if (!clashes(`${base}_${i}`)) return `${base}_${i}`;
}

/**
 * Personal columns never reach the typed (user-facing) tables nor storage. Columns recognised by
 * their title stay in the raw sheet, in memory, for the mapping step to hash into pseudonyms
 * (registered with the storage guard until then); columns recognised only by their values (a
 * «Ученик» of full names) are dropped from the raw sheet too. Returns the sources still holding some.
 */
async function separatePersonal(sources: ReadSource[]): Promise<Set<ReadSource>> {
  const holding = new Set<ReadSource>();
  for (const s of sources) {
    const personal = await detectPersonalColumns(db, s);
    if (!personal.length) continue;
    const byContent = personal.filter((c) => c.reason !== 'title');
    for (const c of personal) {
      if (s.typedTable) await db.query({ type: 'exec', sql: `ALTER TABLE ${quoteIdent(s.typedTable)} DROP COLUMN IF EXISTS ${quoteIdent(c.column)}` });
    }
    for (const c of byContent) await db.query({ type: 'exec', sql: `ALTER TABLE raw.${quoteIdent(s.table)} DROP COLUMN IF EXISTS ${quoteIdent(c.column)}` });
    dropFromSource(s, personal, byContent);
    const kept = personal.filter((c) => c.reason === 'title').map((c) => c.column);
    holdPersonal(`raw.${s.table}`, kept);
    if (s.typedTable) holdPersonal(s.typedTable, personal.map((c) => c.column));
    // Extra columns keep their source title in the canonical tables: a personal one re-labelled in the dialog must not be stored there either.
    for (const t of CANONICAL_TABLE_NAMES) holdPersonal(t, personal.map((c) => c.header));
    if (kept.length) holding.add(s);
  }
  return holding;
}

function dropFromSource(s: ReadSource, personal: PersonalColumn[], fromRaw: PersonalColumn[]): void {
  const gone = new Set(fromRaw.map((c) => c.column));
  const keep = s.columns.map((c) => !gone.has(c));
  s.headerRows = s.headerRows.map((row) => row.filter((_, i) => keep[i] ?? true));
  s.headers = s.headers.filter((_, i) => keep[i]);
  s.columns = s.columns.filter((_, i) => keep[i]);
  const typedGone = new Set(personal.map((c) => c.column));
  s.typedColumns = s.typedColumns?.filter((c) => !typedGone.has(c.name));
}

function importMessage(e: unknown, file: File): string {
  if (isUserError(e)) return e.message.startsWith('Файл «') ? e.message : `Файл «${file.name}»: ${e.message}`;
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  if (/allocation failed|out of memory|Out of Memory|RangeError|memory access out of bounds/i.test(text)) {
    return `Файл «${file.name}»: браузеру не хватило памяти, чтобы загрузить файл (${formatSize(file.size)}). Уже загруженные таблицы сохранены. Разделите файл на части или сохраните его в формате Parquet. ${HEADLESS_HINT}`;
  }
  return `Файл «${file.name}»: ${describeError(e)}`;
}
