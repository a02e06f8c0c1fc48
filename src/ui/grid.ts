/**
 * The pure part of the result grid: column presentation, row order by a clicked header and the
 * rows a search keeps (`viewRows`, which the grid and its exports share, so a file holds what
 * the grid shows). Works on accessors, so a 1,000,000-row Arrow table is never copied.
 */
import type { Table } from 'apache-arrow';
import { cellDisplay, cellHover, columnTitle, formatDate, formatInteger, tableKinds, type CellKind, type SchoolNames } from '../format';

export interface GridColumn {
  name: string;
  title: string;
  type: string;
  kind: CellKind;
  numeric: boolean;
  get: (i: number) => unknown;
}

export type SortDir = 'asc' | 'desc';
export interface SortState {
  column: number;
  dir: SortDir;
}

/** What the user did to the grid: the sorted column (by position) and the search text. */
export interface GridView {
  sort: SortState | null;
  query: string;
}

export const PLAIN_VIEW: GridView = { sort: null, query: '' };

const isNumericType = (t: string) => /^(Int|Uint|Float|Decimal)/.test(t);

/** Columns of an Arrow table with their Russian titles and display kinds (shares from a sample). */
export function gridColumns(table: Table): GridColumn[] {
  const sample = Math.min(table.numRows, 200);
  const names = table.schema.fields.map((f) => f.name);
  const samples = new Map<string, unknown[]>();
  table.schema.fields.forEach((f, j) => {
    const vec = table.getChildAt(j)!;
    const values: unknown[] = [];
    for (let i = 0; i < sample; i++) values.push(plain(vec.get(i)));
    samples.set(f.name, values);
  });
  const kinds = tableKinds(names, (n) => samples.get(n) ?? []);
  return table.schema.fields.map((f, j) => {
    const vec = table.getChildAt(j)!;
    const type = String(f.type);
    return { name: f.name, title: columnTitle(f.name), type, kind: kinds[j]!, numeric: isNumericType(type), get: (i: number) => vec.get(i) };
  });
}

const plain = (v: unknown): unknown => (typeof v === 'bigint' ? Number(v) : v);

/** Display text of one cell: the presentation layer's format, with dates and timestamps by Arrow type. */
export function gridCellText(c: GridColumn, i: number, names?: SchoolNames): string {
  const v = plain(c.get(i));
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' && c.type.startsWith('Date')) return formatDate(new Date(v));
  if (typeof v === 'number' && c.type.startsWith('Timestamp')) return new Date(v).toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');
  if (typeof v === 'object' && !(v instanceof Date) && 'toJSON' in v && typeof (v as { toJSON: unknown }).toJSON === 'function') {
    return JSON.stringify((v as { toJSON(): unknown }).toJSON());
  }
  return cellDisplay(v, c.kind, names);
}

export const gridCellHover = (c: GridColumn, i: number, names?: SchoolNames): string | undefined => cellHover(plain(c.get(i)), c.kind, names);

const collator = new Intl.Collator('ru', { numeric: true, sensitivity: 'base' });

/**
 * Row order for a sort by one column: numbers by value, text (and school names, as shown) in
 * Russian collation; empty values last in both directions; ties keep their original order.
 */
export function sortRows(rows: Uint32Array, c: GridColumn, dir: SortDir, names?: SchoolNames): Uint32Array {
  const byText = !c.numeric || c.kind === 'school';
  const keys = new Map<number, number | string | null>();
  for (const i of rows) {
    const v = plain(c.get(i));
    keys.set(i, v === null || v === undefined ? null : byText ? gridCellText(c, i, names) : Number(v));
  }
  const sign = dir === 'asc' ? 1 : -1;
  const out = Array.from(rows);
  out.sort((a, b) => {
    const x = keys.get(a)!;
    const y = keys.get(b)!;
    if (x === null || y === null) return x === y ? a - b : x === null ? 1 : -1;
    const d = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
    return d === 0 ? a - b : sign * d;
  });
  return Uint32Array.from(out);
}

/** Search text folded the way people type it: any case, «е» for «ё», a plain space for the grid's non-breaking ones. */
const fold = (s: string): string => s.toLocaleLowerCase('ru').replaceAll('ё', 'е').replace(/[\u00a0\u202f]/g, ' ');

/** Rows where some cell's shown text (or a school's code) contains the query (see `fold`). */
export function filterRows(n: number, cols: GridColumn[], query: string, names?: SchoolNames): Uint32Array {
  const q = fold(query.trim());
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!q) {
      out.push(i);
      continue;
    }
    for (const c of cols) {
      const text = fold(gridCellText(c, i, names));
      const raw = c.kind === 'school' ? fold(String(c.get(i) ?? '')) : '';
      if (text.includes(q) || (raw && raw.includes(q))) {
        out.push(i);
        break;
      }
    }
  }
  return Uint32Array.from(out);
}

/**
 * The rows of a table of `n` rows as the grid shows them under `view`: those the search keeps,
 * in the sorted order. Null when the view changes nothing (row k is row k). The grid and the
 * export both call this, so an exported file holds exactly what the user sees.
 */
export function viewRows(n: number, cols: GridColumn[], view: GridView, names?: SchoolNames): Uint32Array | null {
  const q = view.query.trim();
  const sorted = view.sort ? cols[view.sort.column] : undefined;
  if (!q && !sorted) return null;
  const kept = filterRows(n, cols, q, names);
  return sorted ? sortRows(kept, sorted, view.sort!.dir, names) : kept;
}

/** Initial column width from the header and the first rows' text. */
export function initialWidth(c: GridColumn, n: number, names?: SchoolNames): number {
  // Headers wrap onto two lines, so a long title does not widen a column of short values.
  const longestWord = Math.max(...c.title.split(/\s+/).map((w) => w.length));
  let chars = Math.max(longestWord + 2, Math.min(c.title.length, Math.ceil(c.title.length / 2) + 3));
  for (let i = 0; i < Math.min(n, 50); i++) chars = Math.max(chars, gridCellText(c, i, names).length);
  return Math.max(72, Math.min(360, chars * 8 + 28));
}

/** Whether a column holds long text that should wrap (reasons of a flag, compositions of clusters). */
export function hasLongText(c: GridColumn, n: number, names?: SchoolNames): boolean {
  if (c.numeric) return false;
  for (let i = 0; i < Math.min(n, 50); i++) if (gridCellText(c, i, names).length > 60) return true;
  return false;
}

/**
 * What an export of the grid wrote, for its status line: «Выгружено: 37 из 120 строк — с учётом
 * поиска «лицей», по столбцу «Балл», по убыванию». `ignoredQuery` is a search the user chose to
 * export past.
 */
export function exportSummary(total: number, written: number, view: GridView, cols: readonly GridColumn[], ignoredQuery = ''): string {
  const q = view.query.trim();
  const count = q ? `${formatInteger(written)} из ${formatInteger(total)} ${plural(total, 'строки', 'строк', 'строк')}` : `${formatInteger(written)} ${plural(written, 'строка', 'строки', 'строк')}`;
  const notes: string[] = [];
  if (q) notes.push(`с учётом поиска «${q}»`);
  else if (ignoredQuery.trim()) notes.push(`все строки, без учёта поиска «${ignoredQuery.trim()}»`);
  const sorted = view.sort ? cols[view.sort.column] : undefined;
  if (sorted) notes.push(`по столбцу «${sorted.title}»${view.sort!.dir === 'desc' ? ', по убыванию' : ''}`);
  return `Выгружено: ${count}${notes.length ? ` — ${notes.join(', ')}` : ''}`;
}

/** Russian plural form for n. */
export function plural(n: number, one: string, few: string, many: string): string {
  const m10 = n % 10;
  const m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}
