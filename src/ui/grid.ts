/**
 * The pure part of the result grid: column presentation, row order by a clicked header and the
 * rows a search keeps. Works on accessors, so a 1,000,000-row Arrow table is never copied.
 */
import type { Table } from 'apache-arrow';
import { cellDisplay, cellHover, columnTitle, formatDate, tableKinds, type CellKind, type SchoolNames } from '../format';

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

/** Rows where some cell's shown text (or a school's code) contains the query, case-insensitive. */
export function filterRows(n: number, cols: GridColumn[], query: string, names?: SchoolNames): Uint32Array {
  const q = query.trim().toLocaleLowerCase('ru');
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (!q) {
      out.push(i);
      continue;
    }
    for (const c of cols) {
      const text = gridCellText(c, i, names).toLocaleLowerCase('ru');
      const raw = c.kind === 'school' ? String(c.get(i) ?? '').toLocaleLowerCase('ru') : '';
      if (text.includes(q) || (raw && raw.includes(q))) {
        out.push(i);
        break;
      }
    }
  }
  return Uint32Array.from(out);
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
