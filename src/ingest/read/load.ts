/** Getting text tables into DuckDB: the all-VARCHAR raw table and the typed user-facing table. */
import { compact, quoteIdent, quoteLiteral, type Connector } from '../../db/connector';
import { UserError, type ErrorPlace } from '../../errors';
import { LIMITS } from './limits';

export const RAW_SCHEMA = 'raw';
export const rawRef = (table: string) => `${RAW_SCHEMA}.${quoteIdent(table)}`;

/** A table name from a file (and sheet) name: lower case letters/digits joined by `_`. */
export function tableNameFor(file: string, sheet?: string | null): string {
  const base = file.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '');
  let s = (sheet ? `${base}_${sheet}` : base)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 63)
    .replace(/_+$/, '');
  if (!s) s = 'table';
  if (/^\d/.test(s)) s = `t_${s}`;
  return s;
}

export interface DelimitedLoad {
  place: ErrorPlace;
  path: string;
  delim: string;
  /** Lines to skip before the first data row. */
  skip: number;
  /** Column names in the file, in order. When `numbered`, the first one is `_row`. */
  names: string[];
  /** The file carries its own `_row` column (generated CSV); otherwise rows are numbered from `skip + 1`. */
  numbered: boolean;
  /** Row ids from which rows sit one line further down (blank lines, quoted line breaks): rowShifts. */
  shifts?: number[];
  table: string;
  /** Further parts of a large file, appended in order after `path` (which holds the first): rowCuts. */
  rest?: DelimitedPart[];
}

export interface DelimitedPart {
  /** Lines of the file before the part (an error's line in the part is counted from there). */
  line: number;
  /** The path to read (the part's bytes registered with the engine on the first call; the caller drops them). */
  open: () => Promise<string>;
}

/**
 * Creates `raw.<table>` (all VARCHAR, plus `_row`) from a delimited UTF-8 file; returns its row count.
 * Rows with more fields than the header (values spilled past the last title, common in real
 * exports) widen the table with untitled columns — `l.names` grows in place — so the importer can
 * list those cells instead of the whole file failing.
 */
export async function loadDelimited(conn: Connector, l: DelimitedLoad): Promise<number> {
  await conn.query({ type: 'exec', sql: `CREATE SCHEMA IF NOT EXISTS ${RAW_SCHEMA}` });
  const width = () => l.names.length - (l.numbered ? 1 : 0);
  for (let widened = 0; ; widened++) {
    let line = 0;
    try {
      await conn.query({ type: 'exec', sql: `CREATE OR REPLACE TABLE ${rawRef(l.table)} AS ${delimitedSelect(l, l.path, l.skip, widened > 0)}` });
      // Each part compressed before the next is read: only one part's rows are held uncompressed.
      for (const part of l.rest ?? []) {
        await compact(conn);
        line = part.line;
        await conn.query({ type: 'exec', sql: `INSERT INTO ${rawRef(l.table)} ${delimitedSelect(l, await part.open(), 0, widened > 0)}` });
      }
      // Rows are numbered from their position in the new table (its row ids follow the file's
      // order): `row_number() OVER ()` in the read kept native DuckDB's parse on one thread
      // (1M-row file, per-thread CPU with 2 threads: 6.6 + 0 s with it, 3.6 + 3.4 s with this update).
      if (!l.numbered) await conn.query({ type: 'exec', sql: numberRows(l) });
      await compact(conn);
      break;
    } catch (e) {
      const found = widerRow(e, width());
      if (found === null || l.numbered || widened >= 8 || found > LIMITS.columns) throw csvError(e, l.place, width(), line);
      for (let i = l.names.length; i < found; i++) l.names.push(`Столбец ${i + 1}`);
    }
  }
  const [r] = await conn.query({ type: 'rows', sql: `SELECT count(*) AS n FROM ${rawRef(l.table)}` });
  return Number(r.n);
}

/** `_row` from the row ids, then + the count of shifts at or before each row (ranges between shifts). */
function numberRows(l: DelimitedLoad): string {
  const base = `UPDATE ${rawRef(l.table)} SET _row = CAST(rowid + ${l.skip + 1} AS INTEGER)`;
  const shifts = l.shifts ?? [];
  if (!shifts.length) return base;
  const ranges: string[] = [];
  shifts.forEach((from, j) => {
    const to = shifts[j + 1] ?? Number.MAX_SAFE_INTEGER;
    if (to > from) ranges.push(`(${from}, ${to}, ${j + 1})`);
  });
  const t = rawRef(l.table);
  return `${base};\nUPDATE ${t} SET _row = _row + s.add FROM (VALUES ${ranges.join(', ')}) s(lo, hi, add) WHERE ${t}.rowid >= s.lo AND ${t}.rowid < s.hi`;
}

function delimitedSelect(l: DelimitedLoad, path: string, skip: number, padded: boolean): string {
  const cols = l.names.map((_, i) => `${quoteLiteral(`c${i}`)}: 'VARCHAR'`).join(', ');
  const select = l.names
    .map((name, i) => (l.numbered && i === 0 ? `CAST(c0 AS INTEGER) AS _row` : `c${i} AS ${quoteIdent(name)}`))
    .join(', ');
  // Filled in by loadDelimited from the row ids.
  const rowExpr = l.numbered ? '' : `CAST(NULL AS INTEGER) AS _row, `;
  // Once widened, rows as long as the header are padded with NULLs in the untitled columns.
  const source =
    `read_csv(${quoteLiteral(path)}, delim=${quoteLiteral(l.delim)}, quote='"', escape='"', header=false, ` +
    `skip=${skip}, auto_detect=false${padded ? ', null_padding=true, parallel=false' : ''}, columns={${cols}})`;
  return `SELECT ${rowExpr}${select} FROM ${source}`;
}

/** The number of fields of the first row longer than `width`, from DuckDB's ragged-row error; null otherwise. */
function widerRow(e: unknown, width: number): number | null {
  const msg = e instanceof Error ? e.message : String(e);
  const ragged = /CSV Error on Line: (\d+)[\s\S]*?Expected Number of Columns: (\d+) Found: (\d+)/.exec(msg);
  return ragged && Number(ragged[3]) > width ? Number(ragged[3]) : null;
}

/** `line`: lines of the file before the part that failed (DuckDB counts lines within the file it reads). */
function csvError(e: unknown, place: ErrorPlace, width: number, line = 0): Error {
  const msg = e instanceof Error ? e.message : String(e);
  const ragged = /CSV Error on Line: (\d+)[\s\S]*?Expected Number of Columns: (\d+) Found: (\d+)/.exec(msg);
  if (ragged) {
    const found = Number(ragged[3]);
    return new UserError(
      `в строке ${found > width ? 'больше' : 'меньше'} столбцов, чем в заголовке: ожидалось ${width}, найдено ${found}. Проверьте разделители и кавычки в этой строке.`,
      { ...place, row: line + Number(ragged[1]) },
    );
  }
  const at = /CSV Error on Line: (\d+)/.exec(msg);
  if (at) {
    return new UserError(`строку не удалось разобрать (${msg.split('\n')[0]}).`, { ...place, row: line + Number(at[1]) });
  }
  if (/Invalid Input Error|Conversion Error|unicode/i.test(msg)) {
    return new UserError(`файл не удалось разобрать как таблицу CSV: ${msg.split('\n')[0]}`, place);
  }
  return e instanceof Error ? e : new Error(msg);
}

export type ColumnType = 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'DATE' | 'VARCHAR';

/** The value with spaces removed and a decimal comma turned into a point (plain string functions: fast on millions of rows). */
const norm = (col: string) => `replace(replace(replace(${col}, ',', '.'), ' ', ''), chr(160), '')`;
const isInt = (col: string) => `(NOT contains(${norm(col)}, '.') AND TRY_CAST(${norm(col)} AS BIGINT) IS NOT NULL)`;
const dateExpr = (col: string) => `try_strptime(${col}, ['%d.%m.%Y', '%Y-%m-%d'])`;

const SAMPLE = 20_000;

/** Codes are identifiers, not quantities (the contract keeps them VARCHAR): «Код ОО», «Код участника», СНИЛС, ИНН, `school_id`… */
const CODE_TITLE = /(^|[^\p{L}])(код|шифр|снилс|инн|огрн|кпп|октмо|окпо|логин|идентификатор|id)([^\p{L}]|$)|_id$/iu;
export const isCodeTitle = (title: string) => CODE_TITLE.test(title);

/**
 * Stats of one column, computed over its distinct values `v` with their counts `n` (a results
 * column has a few dozen distinct values in a million rows: the string tests run once per value,
 * not once per cell, and the counts are the same as over every row).
 */
function statParts(i: number, kinds: { numeric: boolean; date: boolean }): string[] {
  const c = 'v';
  const cnt = (cond: string) => `coalesce(sum(n) FILTER (WHERE ${cond}), 0)`;
  const parts = [
    `${cnt(`trim(${c}) <> ''`)} AS nn${i}`,
    `${cnt(`${c}[1] = '0' AND length(${c}) > 1 AND ${c}[2] BETWEEN '0' AND '9'`)} AS lz${i}`,
    // More than 15 digits is beyond a double's precision: two different 20-digit codes would become equal.
    `${cnt(`length(${c}) > 15 AND ltrim(${norm(c)}, '0123456789') = ''`)} AS long${i}`,
  ];
  if (kinds.numeric) {
    parts.push(
      `${cnt(isInt(c))} AS int${i}`,
      `max(length(${norm(c)})) FILTER (WHERE ${isInt(c)}) AS len${i}`,
      `${cnt(`CASE WHEN TRY_CAST(${norm(c)} AS DOUBLE) IS NOT NULL THEN NOT regexp_matches(${c}, '[a-zA-Z]') END`)} AS num${i}`,
    );
  }
  if (kinds.date) {
    // The cheap shape test first: failing strptime calls are slow in WebAssembly. CASE, not AND:
    // DuckDB evaluates both sides of an AND on every row (npm run bench: 35× on this expression).
    parts.push(`${cnt(`CASE WHEN ${c}[3] = '.' OR ${c}[5] = '-' THEN ${dateExpr(c)} END IS NOT NULL`)} AS dt${i}`);
  }
  return parts;
}

/** One row of stats for the given columns: a single-row aggregate per column over its distinct values, cross-joined. */
function statsSql(from: string, cols: { c: string; i: number; kinds: { numeric: boolean; date: boolean } }[]): string {
  return `SELECT * FROM ${cols
    .map(({ c, i, kinds }) => `(SELECT ${statParts(i, kinds).join(', ')} FROM (SELECT ${quoteIdent(c)} AS v, count(*) AS n FROM ${from} GROUP BY 1))`)
    .join(' CROSS JOIN ')}`;
}

function decide(s: Record<string, unknown>, i: number): ColumnType {
  const n = (k: string) => Number(s[`${k}${i}`] ?? -1);
  const nn = n('nn');
  if (nn === 0 || n('lz') > 0 || n('long') > 0) return 'VARCHAR';
  if (n('int') === nn) return n('len') > 9 ? 'BIGINT' : 'INTEGER';
  if (n('num') === nn) return 'DOUBLE';
  if (n('dt') === nn) return 'DATE';
  return 'VARCHAR';
}

/**
 * Chooses a type for each raw column: every non-empty value must fit it; leading zeros keep codes
 * as text. A sample rules out text columns cheaply; the remaining candidates are checked on every row.
 */
export async function inferTypes(conn: Connector, table: string, columns: string[]): Promise<ColumnType[]> {
  if (!columns.length) return [];
  const all = { numeric: true, date: true };
  const [sample] = await conn.query({
    type: 'rows',
    sql: `WITH sample AS MATERIALIZED (SELECT * FROM ${rawRef(table)} LIMIT ${SAMPLE}) ${statsSql('sample', columns.map((c, i) => ({ c, i, kinds: all })))}`,
  });
  const guess = columns.map((c, i) => (isCodeTitle(c) ? 'VARCHAR' : decide(sample, i)));
  const candidates = columns.map((c, i) => ({ c, i })).filter(({ i }) => guess[i] !== 'VARCHAR');
  if (!candidates.length) return guess;
  const [full] = await conn.query({
    type: 'rows',
    sql: statsSql(
      rawRef(table),
      candidates.map(({ c, i }) => ({ c, i, kinds: { numeric: guess[i] !== 'DATE', date: guess[i] === 'DATE' } })),
    ),
  });
  return columns.map((_, i) => (guess[i] === 'VARCHAR' ? 'VARCHAR' : decide(full, i)));
}

/** Creates the typed table `main.<name>` from `raw.<table>` (without `_row`). */
export async function createTyped(conn: Connector, table: string, columns: string[], types: ColumnType[], name = table): Promise<void> {
  const select = columns.map((col, i) => {
    const c = quoteIdent(col);
    const t = types[i];
    const expr =
      t === 'VARCHAR'
        ? `nullif(${c}, '')`
        : t === 'DATE'
          ? `CAST(${dateExpr(c)} AS DATE)`
          : // A plain number casts as it is; spaces and decimal commas go through norm (where the plain cast reads a value, norm's cast reads the same).
            `coalesce(TRY_CAST(${c} AS ${t}), TRY_CAST(nullif(${norm(c)}, '') AS ${t}))`;
    return `${expr} AS ${c}`;
  });
  await conn.query({
    type: 'exec',
    sql: `CREATE OR REPLACE TABLE main.${quoteIdent(name)} AS SELECT ${select.join(', ')} FROM ${rawRef(table)}`,
  });
  await compact(conn);
}

/** One CSV field for generated files (`;`-separated, quoted when needed; empty stays empty = NULL). */
export function csvField(v: string): string {
  return /[";\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}
