/**
 * School names for display: the reader sees a short name, the code stays on hover and in the
 * data. Loaded once per data change through the connector (`loadSchoolNames`) and kept in one
 * reactive directory that tables, charts, parameters and reports read.
 */
import { createSignal } from 'solid-js';
import type { Connector } from '../db/connector';

export type SchoolNames = ReadonlyMap<string, string>;

const [names, setNames] = createSignal<SchoolNames>(new Map(), { equals: false });

/** The current directory (reactive inside Solid components). */
export const schoolNames = (): SchoolNames => names();

export function setSchoolNames(map: SchoolNames): void {
  setNames(map);
}

/**
 * A short name people use: «МБОУ «СОШ № 5» г. Светлоозёрска» → «СОШ № 5»; «МБДОУ «Детский сад
 * № 1 «Солнышко»»» → «Детский сад № 1 «Солнышко»»; a full legal form («Муниципальное бюджетное
 * общеобразовательное учреждение …») is dropped the same way. Names already short stay.
 */
export function shortSchoolName(full: string): string {
  let s = full.replace(/\s+/g, ' ').trim();
  s = s.replace(/^[А-ЯЁ]{1,4}(Д|ДО)?ОУ\s+/u, '');
  s = s.replace(/^(муниципальн\S*|государственн\S*|краев\S*|областн\S*|частн\S*)(\s+(бюджетн|автономн|казённ|казенн)\S*)?(\s+(обще|дошкольн\S*\s+)?образовательн\S*)?\s+(учреждени\S*|организаци\S*)\s*/iu, '');
  s = unquote(s).replace(/\s+г\.\s*[А-ЯЁ][\p{L}-]*$/u, '').trim();
  s = s
    .replace(/средняя общеобразовательная школа/iu, 'СОШ')
    .replace(/основная общеобразовательная школа/iu, 'ООШ')
    .replace(/начальная общеобразовательная школа/iu, 'НОШ');
  return s || full;
}

/** «X» г. Y → X г. Y: drops the outer quotes when they enclose the name (nested quotes kept). */
function unquote(s: string): string {
  if (!s.startsWith('«') && !s.startsWith('"')) return s;
  const open = s[0]!;
  const close = open === '«' ? '»' : '"';
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === open && (open !== close || i === 0)) depth++;
    else if (s[i] === close) depth--;
    if (depth === 0) return (s.slice(1, i) + s.slice(i + 1)).trim();
  }
  return s;
}

/** Reads `schools` (latest year's name of each code). No `schools` table → an empty directory. */
export async function loadSchoolNames(conn: Connector): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const tables = await conn.listTables();
  if (!tables.some((t) => t.name === 'schools')) return out;
  const rows = await conn.query({
    type: 'rows',
    sql: 'SELECT CAST(school_id AS VARCHAR) AS id, arg_max(name, year) AS name FROM schools WHERE school_id IS NOT NULL AND name IS NOT NULL GROUP BY 1',
  });
  for (const r of rows) out.set(String(r.id), shortSchoolName(String(r.name)));
  return out;
}

/** Name of a code (the code itself when unknown; «Муниципалитет» for the municipal row). */
export function schoolLabel(id: unknown, map: SchoolNames = names()): string {
  if (id === null || id === undefined || id === '') return 'Муниципалитет';
  const key = String(id);
  return map.get(key) ?? key;
}

/** «СОШ № 5 (код 220005)» for hover texts and tooltips. */
export function schoolHover(id: unknown, map: SchoolNames = names()): string {
  if (id === null || id === undefined || id === '') return 'Муниципалитет (все ОО)';
  const key = String(id);
  const name = map.get(key);
  return name ? `${name} (код ${key})` : `Код ОО ${key}`;
}

/** Label of a parameter option that may be a school code: «СОШ № 5» for 220005, anything else as is. */
export function schoolOptionLabel(value: string | number, map: SchoolNames = names()): string {
  return map.get(String(value)) ?? String(value);
}
