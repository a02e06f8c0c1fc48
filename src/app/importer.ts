/**
 * Import of the person's files: size guard, reading with progress, the shared reader,
 * persistence of the new tables, then the import hooks (the mapping step plugs in there).
 */
import { db, HEADLESS_HINT } from '../db/browser-connector';
import { quoteIdent } from '../db/connector';
import { readFile, type ReadSource } from '../ingest/read';
import { isPersonalTitle } from '../ingest/synonyms';
import { UserError, describeError, isUserError } from '../errors';
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
    const sources = await readFile(db, file.name, bytes, { onProgress: (f, stage) => set(0.25 + 0.6 * f, stage) });
    set(0.9, 'Сохранение в браузере');
    const holdsPersonal = await dropPersonalFromTyped(sources);
    // A raw sheet with names or document numbers stays in memory only: the mapping step hashes
    // them into participant codes, drops the columns and only then saves the sheet.
    const names = sources.flatMap((s) => [...(holdsPersonal.has(s) ? [] : [`raw.${s.table}`]), ...(s.typedTable ? [s.typedTable] : [])]);
    await db.persistTables(names);
    const known = await importedSources();
    for (const s of sources) known[s.table] = s;
    await kvSet(SOURCES_KEY, known);
    await refreshTables();
    for (const hook of hooks) await hook(sources, file);
    updateJob(id, { fraction: 1, stage: 'Готово', status: 'done', tables: sources.map((s) => s.typedTable ?? s.table) });
    db.emit({ type: 'progress', key: id, label: file.name, fraction: 1, stage: 'Готово', done: true });
  } catch (e) {
    const error = importMessage(e, file);
    updateJob(id, { status: 'error', stage: 'Ошибка', error });
    db.emit({ type: 'progress', key: id, label: file.name, fraction: 1, stage: 'Ошибка', done: true, error });
    await refreshTables();
  }
}

/** The typed (user-facing) tables never show personal columns; returns the sources whose raw sheet has them. */
async function dropPersonalFromTyped(sources: ReadSource[]): Promise<Set<ReadSource>> {
  const holding = new Set<ReadSource>();
  for (const s of sources) {
    const personal = s.columns.filter((_, i) => isPersonalTitle(s.headers[i] ?? ''));
    if (!personal.length) continue;
    holding.add(s);
    if (!s.typedTable) continue;
    for (const c of personal) {
      await db.query({ type: 'exec', sql: `ALTER TABLE ${quoteIdent(s.typedTable)} DROP COLUMN IF EXISTS ${quoteIdent(c)}` });
    }
    s.typedColumns = s.typedColumns?.filter((c) => !personal.includes(c.name));
  }
  return holding;
}

function importMessage(e: unknown, file: File): string {
  if (isUserError(e)) return e.message.startsWith('Файл «') ? e.message : `Файл «${file.name}»: ${e.message}`;
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  if (/allocation failed|out of memory|Out of Memory|RangeError|memory access out of bounds/i.test(text)) {
    return `Файл «${file.name}»: браузеру не хватило памяти, чтобы загрузить файл (${formatSize(file.size)}). Уже загруженные таблицы сохранены. Разделите файл на части или сохраните его в формате Parquet. ${HEADLESS_HINT}`;
  }
  return `Файл «${file.name}»: ${describeError(e)}`;
}
