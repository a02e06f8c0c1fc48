/**
 * Shared pieces of the apply steps: the canonical tables (created on demand), the issues table,
 * key expressions of a mapping, extra columns kept under stable names.
 */
import type { Connector } from '../db/connector';
import { CONTRACT, createTableSql, type CanonicalTableName } from '../model/contract';
import { ROLE_EXTRA, type Mapping } from './mapping';
import { PERSONAL_HASH_ORDER, SUBJECT_CODES, personalRole } from './synonyms';
import { int, lit, q, txt } from './sql';

export const ISSUES_TABLE = 'import_issues';
/** Reference scales shipped with the app (datasets/reference), used where `thresholds` has no row. */
export const REFERENCE_TABLE = 'reference_thresholds';

export interface ApplyOptions {
  /** Salt for participant pseudonyms when a file has no participant code. */
  salt: string;
  /** Progress of one sheet, 0…1, with a Russian stage name (task cells are written in chunks). */
  onProgress?: (fraction: number, stage: string) => void;
  /** Task cells per chunk (default CELLS_PER_CHUNK); less memory, more statements. */
  chunkCells?: number;
  /** Source rows staged per statement (default STAGE_ROWS, results/stage.ts). */
  stageRows?: number;
  /** Constants set by the user: override the mapping and any column. */
  set?: Record<string, string | number>;
}

/** Creates missing canonical tables, and missing contract columns of tables loaded from partial files. */
export async function ensureCanonicalTables(conn: Connector): Promise<void> {
  const present = await conn.query({
    type: 'rows',
    sql: `SELECT table_name AS t, column_name AS c, data_type AS ty FROM information_schema.columns WHERE table_schema = 'main'`,
  });
  const cols = new Map<string, Map<string, string>>();
  for (const r of present) {
    const t = String(r.t);
    if (!cols.has(t)) cols.set(t, new Map());
    cols.get(t)!.set(String(r.c), String(r.ty));
  }
  for (const def of Object.values(CONTRACT)) {
    const have = cols.get(def.name);
    if (!have) {
      await conn.query({ type: 'exec', sql: createTableSql(def.name, def.columns, false) });
      continue;
    }
    for (const c of def.columns) {
      const type = have.get(c.name);
      if (!type) await conn.query({ type: 'exec', sql: `ALTER TABLE ${q(def.name)} ADD COLUMN ${q(c.name)} ${c.type}` });
      // A table read straight from a file named like a canonical table has inferred types: bring them to the contract's.
      else if (type !== c.type)
        await conn.query({ type: 'exec', sql: `ALTER TABLE ${q(def.name)} ALTER COLUMN ${q(c.name)} SET DATA TYPE ${c.type} USING TRY_CAST(${q(c.name)} AS ${c.type})` });
    }
  }
  await conn.query({ type: 'exec', sql: createTableSql(REFERENCE_TABLE, CONTRACT.thresholds.columns, false).replace('CREATE TABLE', 'CREATE TABLE IF NOT EXISTS') });
  await conn.query({
    type: 'exec',
    sql: `CREATE TABLE IF NOT EXISTS ${ISSUES_TABLE} (file VARCHAR, sheet VARCHAR, "row" INTEGER, "column" VARCHAR, code VARCHAR, message VARCHAR, excluded BOOLEAN)`,
  });
}

export async function hasColumn(conn: Connector, table: string, column: string): Promise<boolean> {
  const rows = await conn.query({
    type: 'rows',
    sql: `SELECT 1 FROM information_schema.columns WHERE table_schema = 'main' AND table_name = $1 AND column_name = $2`,
    params: [table, column],
  });
  return rows.length > 0;
}

export async function tableCount(conn: Connector, sql: string): Promise<number> {
  const [r] = await conn.query({ type: 'rows', sql });
  return Number(r?.n ?? 0);
}

/** Known importer roles kept as extra columns under a stable English name. */
const EXTRA_NAMES = new Set([
  'gender',
  'school_name',
  'municipality',
  'textbook',
  'textbook_other',
  'textbook_author',
  'textbook_title',
  'student_number',
  'exam_point',
  'auditorium',
  'pass_flag',
  'subject_code',
  'kes',
  'kt',
  'skill',
  'seq',
  'settlement_size',
  'transport',
  'oge_code',
  'ege_code',
]);

export interface Extra {
  name: string;
  expr: string;
}

export function extrasOf(m: Mapping, target: CanonicalTableName, src = ''): Extra[] {
  const contract = new Set(CONTRACT[target].columns.map((c) => c.name));
  const out: Extra[] = [];
  const seen = new Set<string>();
  for (const c of m.columns) {
    let name: string | null = null;
    if (c.field === ROLE_EXTRA) name = c.header.trim() || c.column;
    else if (EXTRA_NAMES.has(c.field)) name = c.field;
    if (!name || contract.has(name) || seen.has(name.toLowerCase()) || name === '_row') continue;
    seen.add(name.toLowerCase());
    const e = `${src}${q(c.column)}`;
    out.push({ name, expr: c.field === 'gender' ? `lower(${txt(e)})` : txt(e) });
  }
  return out;
}

export async function addExtraColumns(conn: Connector, table: string, extras: Extra[]) {
  for (const x of extras) await conn.query({ type: 'exec', sql: `ALTER TABLE ${q(table)} ADD COLUMN IF NOT EXISTS ${q(x.name)} VARCHAR` });
}

/** Personal columns in the order `pseudonymize` hashes them: surname, name, patronymic, document series, number. */
export function personalParts(personal: Mapping['columns'], src: string): string[] {
  return PERSONAL_HASH_ORDER.map((role) => {
    const c = personal.find((p) => personalRole(p.header) === role);
    return c ? `${src}${q(c.column)}` : `''`;
  });
}

export const fieldCol = (m: Mapping, field: string): string | null => m.columns.find((c) => c.field === field)?.column ?? null;
export const fieldHeader = (m: Mapping, field: string): string | null => m.columns.find((c) => c.field === field)?.header ?? null;

export type ConstKey = 'year' | 'procedure' | 'subject' | 'grade';

/** Value expression of a key field: a user-set constant, else the column, else the mapping's constant. */
export function keyExpr(m: Mapping, opts: Pick<ApplyOptions, 'set'>, key: ConstKey, src = ''): string {
  const set = opts.set?.[key];
  const isInt = key === 'year' || key === 'grade';
  if (set !== undefined && set !== '') return isInt ? `CAST(${lit(Number(set))} AS INTEGER)` : lit(String(set));
  const col = fieldCol(m, key);
  const constant = m.constants[key];
  const constSql = constant == null ? 'NULL' : isInt ? `CAST(${lit(Number(constant))} AS INTEGER)` : lit(String(constant));
  if (col) {
    const e = `${src}${q(col)}`;
    if (key === 'grade') return `coalesce(TRY_CAST(regexp_extract(${txt(e)}, '^(\\d+)', 1) AS INTEGER), ${constSql})`;
    return `coalesce(${isInt ? int(e) : txt(e)}, ${constSql})`;
  }
  if (key === 'subject') {
    const code = fieldCol(m, 'subject_code');
    if (code) {
      const cases = Object.entries(SUBJECT_CODES).map(([k, v]) => `WHEN ${lit(k)} THEN ${lit(v)}`).join(' ');
      return `coalesce(CASE ${txt(`${src}${q(code)}`)} ${cases} END, ${constSql})`;
    }
  }
  return constSql;
}

/**
 * The user's scales first, then the shipped reference scales where the user gave none: for that
 * grade, or for every grade (a user's scale with the grade empty covers the shipped ones of each grade).
 */
const THRESHOLD_COLS = CONTRACT.thresholds.columns.map((c) => q(c.name)).join(', ');
export const SCALES = `(SELECT ${THRESHOLD_COLS} FROM thresholds UNION ALL
  SELECT ${THRESHOLD_COLS} FROM ${REFERENCE_TABLE} r WHERE NOT EXISTS (SELECT 1 FROM thresholds t WHERE t.year = r.year
    AND t.procedure = r.procedure AND t.subject = r.subject AND (t.grade IS NULL OR t.grade IS NOT DISTINCT FROM r.grade)))`;

/** Runs an `INSERT INTO _imp_issues …` of (row, column, code, message). */
export const issueInto = (conn: Connector, select: string) => conn.query({ type: 'exec', sql: `INSERT INTO _imp_issues ${select}` });

const TEMP_TABLES = ['_imp_stage', '_imp_cells', '_imp_rowsum', '_imp_taskmax', '_imp_excluded', '_imp_class_tb', '_imp_colnames', '_imp_new_schools', '_imp_school_xw', '_imp_school_fix', '_imp_work_scale', '_imp_seq_works', '_imp_deferred', '_imp_late', '_imp_works', '_imp_wide', '_imp_odd', '_imp_wmax'];

/**
 * Drops the staging tables of the sheet just done: a million-row stage must not outlive its
 * import. A results sheet's stage is a workspace table (`main._imp_stage`, compressed), the rest
 * are temporary.
 */
export async function dropStaging(conn: Connector) {
  await conn.query({ type: 'exec', sql: `${TEMP_TABLES.map((t) => `DROP TABLE IF EXISTS ${t};`).join(' ')} DROP TABLE IF EXISTS main._imp_stage;` });
}

/** Runs `work`; when it fails (or is cancelled) the staging tables go too: a million-row stage must not outlive a failed import either. */
export async function dropStagingOnError<T>(conn: Connector, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    await dropStaging(conn).catch(() => undefined);
    throw e;
  }
}
