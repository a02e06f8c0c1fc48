/** Getting text tables into DuckDB: the all-VARCHAR raw table and the typed user-facing table. */
import { quoteIdent, quoteLiteral, type Connector } from '../../db/connector';
import { UserError, type ErrorPlace } from '../../errors';

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
  table: string;
}

/** Creates `raw.<table>` (all VARCHAR, plus `_row`) from a delimited UTF-8 file; returns its row count. */
export async function loadDelimited(conn: Connector, l: DelimitedLoad): Promise<number> {
  const cols = l.names.map((_, i) => `${quoteLiteral(`c${i}`)}: 'VARCHAR'`).join(', ');
  const select = l.names
    .map((name, i) => (l.numbered && i === 0 ? `CAST(c0 AS INTEGER) AS _row` : `c${i} AS ${quoteIdent(name)}`))
    .join(', ');
  const rowExpr = l.numbered ? '' : `CAST(row_number() OVER () + ${l.skip} AS INTEGER) AS _row, `;
  const source =
    `read_csv(${quoteLiteral(l.path)}, delim=${quoteLiteral(l.delim)}, quote='"', escape='"', header=false, ` +
    `skip=${l.skip}, auto_detect=false, columns={${cols}})`;
  try {
    await conn.query({ type: 'exec', sql: `CREATE SCHEMA IF NOT EXISTS ${RAW_SCHEMA}` });
    await conn.query({ type: 'exec', sql: `CREATE OR REPLACE TABLE ${rawRef(l.table)} AS SELECT ${rowExpr}${select} FROM ${source}` });
  } catch (e) {
    throw csvError(e, l.place, l.names.length - (l.numbered ? 1 : 0));
  }
  const [r] = await conn.query({ type: 'rows', sql: `SELECT count(*) AS n FROM ${rawRef(l.table)}` });
  return Number(r.n);
}

function csvError(e: unknown, place: ErrorPlace, width: number): Error {
  const msg = e instanceof Error ? e.message : String(e);
  const ragged = /CSV Error on Line: (\d+)[\s\S]*?Expected Number of Columns: (\d+) Found: (\d+)/.exec(msg);
  if (ragged) {
    const found = Number(ragged[3]);
    return new UserError(
      `в строке ${found > width ? 'больше' : 'меньше'} столбцов, чем в заголовке: ожидалось ${width}, найдено ${found}. Проверьте разделители и кавычки в этой строке.`,
      { ...place, row: Number(ragged[1]) },
    );
  }
  const line = /CSV Error on Line: (\d+)/.exec(msg);
  if (line) {
    return new UserError(`строку не удалось разобрать (${msg.split('\n')[0]}).`, { ...place, row: Number(line[1]) });
  }
  if (/Invalid Input Error|Conversion Error|unicode/i.test(msg)) {
    return new UserError(`файл не удалось разобрать как таблицу CSV: ${msg.split('\n')[0]}`, place);
  }
  return e instanceof Error ? e : new Error(msg);
}

export type ColumnType = 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'DATE' | 'VARCHAR';

/** The value with spaces removed and a decimal comma turned into a point. */
const norm = (col: string) => `replace(regexp_replace(trim(${col}), '[\\s\\x{00A0}]', '', 'g'), ',', '.')`;
const INT_RE = `'[-+]?[0-9]+'`;
const NUM_RE = `'[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?'`;
const dateExpr = (col: string) => `coalesce(try_strptime(trim(${col}), '%d.%m.%Y'), try_strptime(trim(${col}), '%Y-%m-%d'))`;

/** Chooses a type for each raw column: every non-empty value must fit it. Leading zeros keep codes as text. */
export async function inferTypes(conn: Connector, table: string, columns: string[]): Promise<ColumnType[]> {
  if (!columns.length) return [];
  const parts = columns.flatMap((name, i) => {
    const c = quoteIdent(name);
    return [
      `count(${c}) FILTER (WHERE trim(${c}) <> '') AS nn${i}`,
      `count(*) FILTER (WHERE regexp_full_match(${norm(c)}, ${INT_RE})) AS int${i}`,
      `max(length(${norm(c)})) FILTER (WHERE regexp_full_match(${norm(c)}, ${INT_RE})) AS len${i}`,
      `count(*) FILTER (WHERE regexp_full_match(trim(${c}), '[-+]?0[0-9]+')) AS lz${i}`,
      `count(*) FILTER (WHERE regexp_full_match(${norm(c)}, ${NUM_RE})) AS num${i}`,
      `count(*) FILTER (WHERE ${dateExpr(c)} IS NOT NULL) AS dt${i}`,
    ];
  });
  const [s] = await conn.query({ type: 'rows', sql: `SELECT ${parts.join(', ')} FROM ${rawRef(table)}` });
  return columns.map((_, i) => {
    const nn = Number(s[`nn${i}`]);
    if (nn === 0 || Number(s[`lz${i}`]) > 0) return 'VARCHAR';
    if (Number(s[`int${i}`]) === nn) return Number(s[`len${i}`]) > 9 ? 'BIGINT' : 'INTEGER';
    if (Number(s[`num${i}`]) === nn) return 'DOUBLE';
    if (Number(s[`dt${i}`]) === nn) return 'DATE';
    return 'VARCHAR';
  });
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
          : `TRY_CAST(nullif(${norm(c)}, '') AS ${t})`;
    return `${expr} AS ${c}`;
  });
  await conn.query({
    type: 'exec',
    sql: `CREATE OR REPLACE TABLE main.${quoteIdent(name)} AS SELECT ${select.join(', ')} FROM ${rawRef(table)} ORDER BY _row`,
  });
}

/** One CSV field for generated files (`;`-separated, quoted when needed; empty stays empty = NULL). */
export function csvField(v: string): string {
  return /[";\n\r]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}
