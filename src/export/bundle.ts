/**
 * A notebook bundle: one .zip with the notebook (.md), the canonical tables it uses (Parquet) and
 * a manifest, so another analyst opens the same analysis on the same data in one step.
 */
import JSZip from 'jszip';
import { quoteIdent, quoteLiteral, type Connector } from '../db/connector';
import { CANONICAL_TABLE_NAMES } from '../model/contract';
import { UserError } from '../errors';
import { parquetToIpc, toParquet } from './parquet';
import { fromRows, type ColumnKind } from './table';

export const BUNDLE_FORMAT = 'msoko-bundle';
export const BUNDLE_VERSION = 1;

export interface BundleTable {
  name: string;
  file: string;
  rows: number;
  columns: { name: string; type: string }[];
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  version: number;
  created: string;
  title: string;
  notebook: string;
  tables: BundleTable[];
}

/** Names of `available` tables that the notebook text mentions as SQL identifiers. */
export function tablesUsedBy(notebookMd: string, available: readonly string[]): string[] {
  return available.filter((t) => new RegExp(`(^|[^\\p{L}\\p{N}_."])"?${t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?(?![\\p{L}\\p{N}_])`, 'u').test(notebookMd));
}

const kindOfSqlType = (t: string): ColumnKind =>
  /INT/i.test(t) ? 'integer' : /DOUBLE|FLOAT|DECIMAL|REAL|NUMERIC/i.test(t) ? 'number' : /^DATE$/i.test(t) ? 'date' : /BOOL/i.test(t) ? 'boolean' : 'text';

async function tableParquet(conn: Connector, name: string, columns: { name: string; type: string }[]): Promise<Uint8Array> {
  // The browser's connector copies a table to Parquet itself, through DuckDB.
  if (conn.exportTable) return conn.exportTable(name, 'parquet');
  const rows = await conn.query({ type: 'rows', sql: `SELECT * FROM ${quoteIdent(name)}` });
  const hints = Object.fromEntries(columns.map((c) => [c.name, { kind: kindOfSqlType(c.type) }]));
  return toParquet(fromRows(rows, hints, Object.fromEntries(columns.map((c) => [c.name, c.type]))));
}

const fileSafe = (s: string): string => s.replace(/[^\p{L}\p{N}_-]+/gu, '_').replace(/^_+|_+$/g, '') || 'notebook';

export interface WriteBundleOptions {
  title: string;
  /** Tables to include; default: the canonical tables the notebook mentions. */
  tables?: string[];
}

/**
 * The canonical tables a notebook's numbers come from: those it names, and every loaded one when
 * it reads the indicator table (indicators are computed from all of them and recomputed on open).
 */
export function tablesForNotebook(notebookMd: string, loaded: ReadonlyArray<{ name: string; rowCount: number }>): string[] {
  const canonical = loaded.filter((t) => isCanonical(t.name)).map((t) => t.name);
  if (tablesUsedBy(notebookMd, ['indicators']).length) return loaded.filter((t) => isCanonical(t.name) && t.rowCount > 0).map((t) => t.name);
  return tablesUsedBy(notebookMd, canonical);
}

const isCanonical = (n: string): boolean => (CANONICAL_TABLE_NAMES as readonly string[]).includes(n);

export async function writeBundle(conn: Connector, notebookMd: string, opts: WriteBundleOptions): Promise<Uint8Array> {
  const infos = await conn.listTables();
  const names = opts.tables ?? tablesForNotebook(notebookMd, infos);
  const zip = new JSZip();
  const notebookFile = `${fileSafe(opts.title)}.md`;
  zip.file(notebookFile, notebookMd);
  const tables: BundleTable[] = [];
  for (const name of names) {
    const info = infos.find((t) => t.name === name);
    if (!info) throw new UserError(`Таблица «${name}» не загружена — пакет собрать нельзя.`);
    const file = `data/${fileSafe(name)}.parquet`;
    zip.file(file, await tableParquet(conn, name, info.columns));
    tables.push({ name, file, rows: info.rowCount, columns: info.columns });
  }
  const manifest: BundleManifest = { format: BUNDLE_FORMAT, version: BUNDLE_VERSION, created: new Date().toISOString(), title: opts.title, notebook: notebookFile, tables };
  zip.file('manifest.json', JSON.stringify(manifest, null, 2));
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}

export interface BundleContents {
  manifest: BundleManifest;
  notebook: string;
  tables: { table: BundleTable; parquet: Uint8Array }[];
}

export interface ReadBundleResult extends BundleContents {
  /** Tables of the manifest that are not canonical tables: not loaded (Russian lines). */
  ignored: string[];
}

export async function readBundle(bytes: Uint8Array, fileName = 'пакет'): Promise<ReadBundleResult> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch {
    throw new UserError(`Файл «${fileName}» не является пакетом блокнота (.zip).`);
  }
  const mf = zip.file('manifest.json');
  if (!mf) throw new UserError(`В пакете «${fileName}» нет manifest.json.`);
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(await mf.async('string')) as BundleManifest;
  } catch {
    throw new UserError(`В пакете «${fileName}» повреждён manifest.json.`);
  }
  if (manifest?.format !== BUNDLE_FORMAT) throw new UserError(`«${fileName}»: неизвестный формат пакета.`);
  if (typeof manifest.version !== 'number' || manifest.version > BUNDLE_VERSION) throw new UserError(`«${fileName}»: пакет создан более новой версией программы (${manifest.version}).`);
  if (typeof manifest.notebook !== 'string' || !Array.isArray(manifest.tables)) throw new UserError(`«${fileName}»: в manifest.json нет блокнота или списка таблиц.`);
  const nb = zip.file(manifest.notebook);
  if (!nb) throw new UserError(`В пакете «${fileName}» нет файла блокнота ${manifest.notebook}.`);
  const tables: BundleContents['tables'] = [];
  const ignored: string[] = [];
  const seen = new Set<string>();
  for (const table of manifest.tables) {
    const name = String(table?.name ?? '');
    // Only the data model's tables, each once: a bundle must not plant other tables or names.
    if (!isCanonical(name) || seen.has(name)) {
      ignored.push(`«${name}» — не таблица модели данных, пропущена`);
      continue;
    }
    seen.add(name);
    const f = typeof table.file === 'string' ? zip.file(table.file) : null;
    if (!f) throw new UserError(`В пакете «${fileName}» нет файла ${String(table.file)} (таблица ${name}).`);
    const columns = Array.isArray(table.columns) ? table.columns.filter((c) => typeof c?.name === 'string' && typeof c?.type === 'string') : [];
    tables.push({ table: { name, file: table.file, rows: Number(table.rows) || 0, columns }, parquet: await f.async('uint8array') });
  }
  return { manifest, notebook: await nb.async('string'), tables, ignored };
}

/** Tries DuckDB's own Parquet reader; false when the engine has none (the browser, offline). */
async function viaReadParquet(conn: Connector, file: string, parquet: Uint8Array, create: (from: string) => Promise<unknown>): Promise<boolean> {
  const path = await conn.registerFile(file, parquet.slice());
  try {
    await create(`read_parquet(${quoteLiteral(path)})`);
    return true;
  } catch (e) {
    if (/parquet extension|not in the catalog|read_parquet/i.test(String(e))) return false;
    throw e;
  } finally {
    await conn.dropFile(file).catch(() => undefined);
  }
}

const SQL_TYPE = /^[A-Z][A-Z0-9_]*( ?\(\d+(, ?\d+)?\))?$/i;
const STAGE = (i: number) => `__bundle_stage_${i}`;

/** Loads one bundle table into a staging table (types from the manifest, cast on the way in). */
async function stageTable(conn: Connector, i: number, table: BundleTable, parquet: Uint8Array): Promise<void> {
  // Types come from the file: only plain SQL type names are spliced (they cannot be bound).
  const cols = table.columns
    .map((c) => (SQL_TYPE.test(c.type) ? `CAST(${quoteIdent(c.name)} AS ${c.type}) AS ${quoteIdent(c.name)}` : quoteIdent(c.name)))
    .join(', ');
  const create = (from: string) => conn.query({ type: 'exec', sql: `CREATE OR REPLACE TABLE ${quoteIdent(STAGE(i))} AS SELECT ${cols || '*'} FROM ${from}` });
  if (await viaReadParquet(conn, `bundle-${i}.parquet`, parquet, create)) return;
  // DuckDB-WASM has no Parquet reader offline: parquet-wasm gives Arrow, the cast restores the types.
  const tmp = `__bundle_${i}`;
  await conn.insertArrow(tmp, await parquetToIpc(parquet));
  try {
    await create(quoteIdent(tmp));
  } finally {
    await conn.query({ type: 'exec', sql: `DROP TABLE IF EXISTS ${quoteIdent(tmp)}` });
  }
}

export interface OpenBundleOptions {
  /**
   * Asked before any table is replaced (in the app: src/app/dataset.ts requestCanonicalChange);
   * false leaves every table as it was. Without it the bundle loads (headless use).
   */
  consent?: (req: { tables: string[]; mode: 'replace'; file?: string }) => Promise<boolean>;
}

export interface OpenedBundle {
  manifest: BundleManifest;
  notebook: string;
  /** Tables loaded (empty when the user declined). */
  tables: string[];
  /** Manifest entries not loaded, in Russian. */
  ignored: string[];
  declined?: boolean;
}

/**
 * Loads a bundle's canonical tables atomically — every table is staged first, then all replace
 * their namesakes in one transaction, or none does — after the consent callback agreed.
 */
export async function openBundle(conn: Connector, bytes: Uint8Array, fileName?: string, opts: OpenBundleOptions = {}): Promise<OpenedBundle> {
  const b = await readBundle(bytes, fileName);
  const staged: number[] = [];
  const dropStages = async () => {
    for (const i of staged) await conn.query({ type: 'exec', sql: `DROP TABLE IF EXISTS ${quoteIdent(STAGE(i))}` }).catch(() => undefined);
  };
  try {
    for (const [i, { table, parquet }] of b.tables.entries()) {
      staged.push(i);
      try {
        await stageTable(conn, i, table, parquet);
      } catch (e) {
        throw new UserError(`Пакет «${fileName ?? b.manifest.title}»: таблица «${table.name}» (${table.file}) не читается, пакет не открыт, данные не изменены. ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const names = b.tables.map((t) => t.table.name);
    if (names.length && opts.consent && !(await opts.consent({ tables: names, mode: 'replace', file: fileName ?? b.manifest.title }))) {
      return { manifest: b.manifest, notebook: b.notebook, tables: [], ignored: b.ignored, declined: true };
    }
    await conn.query({ type: 'exec', sql: 'BEGIN TRANSACTION' });
    try {
      for (const [i, name] of names.entries()) {
        await conn.query({ type: 'exec', sql: `CREATE OR REPLACE TABLE ${quoteIdent(name)} AS SELECT * FROM ${quoteIdent(STAGE(i))}` });
      }
      await conn.query({ type: 'exec', sql: 'COMMIT' });
    } catch (e) {
      await conn.query({ type: 'exec', sql: 'ROLLBACK' }).catch(() => undefined);
      throw e;
    }
    return { manifest: b.manifest, notebook: b.notebook, tables: names, ignored: b.ignored };
  } finally {
    await dropStages();
  }
}
