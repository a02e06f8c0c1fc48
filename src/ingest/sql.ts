/** SQL expression builders shared by the import steps (DuckDB dialect, browser and Node alike). */
import { quoteIdent, quoteLiteral } from '../db/connector';

export const q = quoteIdent;
export const lit = (v: string | number | null | undefined): string =>
  v === null || v === undefined ? 'NULL' : typeof v === 'number' ? String(v) : quoteLiteral(v);

/** Trimmed text, NULL when empty (non-breaking spaces count as spaces). */
export const txt = (e: string) => `NULLIF(trim(replace(CAST(${e} AS VARCHAR), chr(160), ' ')), '')`;
/** A number written with a decimal comma or point. */
export const num = (e: string) => `TRY_CAST(replace(replace(${txt(e)}, ' ', ''), ',', '.') AS DOUBLE)`;
export const int = (e: string) => `(CASE WHEN ${num(e)} = round(${num(e)}) THEN CAST(${num(e)} AS INTEGER) END)`;
export const bool = (e: string) =>
  `(CASE WHEN lower(${txt(e)}) IN ('1','да','д','true','t','yes','y','+','истина','есть') THEN true ` +
  `WHEN lower(${txt(e)}) IN ('0','нет','н','false','f','no','n','-','ложь') THEN false END)`;
/**
 * School code: `edu220001 | Школа №1` → `220001`. ФИС ОКО logins (`sch220001`, `edu220001`) are
 * reduced to their number, the code the other systems (РЦОИ, monitoring forms) use.
 */
export const schoolCode = (e: string) =>
  `NULLIF(regexp_replace(trim(split_part(${txt(e)}, '|', 1)), '^(sch|edu)(\\d+)$', '\\2'), '')`;

/** The normalisation of src/ingest/pseudonym.ts, in SQL, so hashes agree with `pseudonymize`. */
const hashPart = (e: string) =>
  `trim(regexp_replace(replace(lower(replace(coalesce(CAST(${e} AS VARCHAR), ''), chr(160), ' ')), 'ё', 'е'), '\\s+', ' ', 'g'))`;
export function pseudonymSql(salt: string, parts: string[]): string {
  const text = [lit(salt), ...parts.map(hashPart)].join(` || chr(31) || `);
  return `('p_' || substr(sha256(${text}), 1, 16))`;
}

/** Class as printed, `9А`: letters upper-cased, spaces dropped, the grade prefixed to a bare letter; «нет» → NULL. */
export const classExpr = (e: string, grade: string) =>
  `(CASE WHEN lower(${txt(e)}) IN ('нет', '-', 'без класса') THEN NULL ` +
  `WHEN regexp_matches(${txt(e)}, '^[^0-9]+$') AND ${grade} IS NOT NULL THEN CAST(${grade} AS VARCHAR) || upper(replace(${txt(e)}, ' ', '')) ` +
  `ELSE upper(regexp_replace(${txt(e)}, '[\\s\\-«»"]+', '', 'g')) END)`;

/** A domain value matched case- and ё-insensitively onto the contract's spelling. */
export function domainExpr(e: string, domain: readonly string[], aliases: Record<string, string> = {}): string {
  const key = `lower(replace(${txt(e)}, 'ё', 'е'))`;
  const whens = [
    ...domain.map((d) => `WHEN ${lit(d.toLowerCase().replaceAll('ё', 'е'))} THEN ${lit(d)}`),
    ...Object.entries(aliases).map(([a, d]) => `WHEN ${lit(a)} THEN ${lit(d)}`),
  ];
  return `(CASE ${key} ${whens.join(' ')} END)`;
}

export const SETTLEMENT_ALIASES: Record<string, string> = {
  столица: 'город',
  'г': 'город',
  'городской округ': 'город',
  'поселок городского типа': 'пгт',
  'рабочий поселок': 'пгт',
  'сельская местность': 'село',
  деревня: 'село',
  поселок: 'село',
  'сельский населенный пункт': 'село',
};

export const LEVEL_ALIASES: Record<string, string> = { б: 'базовый', п: 'повышенный', в: 'высокий' };
