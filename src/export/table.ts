/**
 * The one table shape every exporter takes: named columns with an optional Russian title and
 * a display kind, and plain rows (the `Row` of the connector). Arrow tables and bare rows are
 * converted with `fromArrow` / `fromRows`.
 */
import type { Table } from 'apache-arrow';
import { normalizeValue, type Row, type Value } from '../db/connector';
import { PERCENT_NAME, columnTitle as presentedTitle, isSchoolColumn, schoolNames, type SchoolNames } from '../format';

export type ColumnKind = 'integer' | 'number' | 'percent' | 'text' | 'date' | 'boolean';

export interface ExportColumn {
  name: string;
  /** Header shown to people (defaults to the Russian title of `name`, see src/format). */
  title?: string;
  kind: ColumnKind;
  /** Fraction digits for 'number' and 'percent' columns (default 2 and 1). */
  digits?: number;
  /** Integers shown without thousands grouping (years, codes): 2025, not 2 025. */
  plain?: boolean;
}

export interface ExportTable {
  columns: ExportColumn[];
  rows: Row[];
}

const PLAIN_NAME = /(^|_)(year|years|grade|id|code|год|класс)$/i;

/** Infers a column kind from its values (and, for shares, its name). */
export function inferKind(name: string, values: readonly Value[], sqlType?: string): ColumnKind {
  const t = sqlType?.toUpperCase() ?? '';
  if (t === 'DATE' || t.startsWith('DATE')) return 'date';
  if (t === 'BOOLEAN' || t === 'BOOL') return 'boolean';
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length === 0) return /INT|DOUBLE|FLOAT|DECIMAL|REAL|NUMERIC/.test(t) ? 'number' : 'text';
  if (present.every((v) => typeof v === 'boolean')) return 'boolean';
  if (!present.every((v) => typeof v === 'number')) {
    return present.every((v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) ? 'date' : 'text';
  }
  const nums = present as number[];
  if (PERCENT_NAME.test(name.trim()) && nums.every((v) => v >= 0 && v <= 1)) return 'percent';
  if (/INT/.test(t) || nums.every((v) => Number.isInteger(v))) return 'integer';
  return 'number';
}

/** Fraction digits that show every value of a column as it is, at most `max` (so 3,00 stays aligned with 2,32). */
export function fractionDigits(values: readonly (Value | undefined)[], max = 2): number {
  let d = 0;
  for (const v of values.slice(0, 1000)) {
    if (typeof v !== 'number' || Number.isInteger(v)) continue;
    const s = Math.abs(v).toFixed(max).replace(/0+$/, '');
    d = Math.max(d, s.length - s.indexOf('.') - 1);
    if (d >= max) return max;
  }
  return Math.max(d, 1);
}

/** Builds an ExportTable from plain rows; `hints` override the inferred kinds and titles. */
export function fromRows(rows: readonly Row[], hints: Partial<Record<string, Partial<ExportColumn>>> = {}, types: Record<string, string> = {}): ExportTable {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (!seen.has(k)) (seen.add(k), names.push(k));
  for (const k of Object.keys(types)) if (!seen.has(k)) (seen.add(k), names.push(k));
  const columns = names.map((name): ExportColumn => {
    const kind = inferKind(name, rows.map((r) => r[name] ?? null), types[name]);
    const extra: Partial<ExportColumn> = kind === 'integer' && PLAIN_NAME.test(name) ? { plain: true } : kind === 'number' ? { digits: fractionDigits(rows.map((r) => r[name])) } : {};
    return { name, kind, ...extra, ...hints[name] };
  });
  // Interval bounds beside a share are shares too (one value, one format).
  if (columns.some((c) => c.kind === 'percent')) {
    for (const c of columns) {
      if (c.kind !== 'number' || hints[c.name]?.kind || !/(^|_)(low|high|lo|hi)$/i.test(c.name)) continue;
      const nums = rows.map((r) => r[c.name]).filter((v): v is number => typeof v === 'number');
      if (nums.every((v) => v >= 0 && v <= 1)) Object.assign(c, { kind: 'percent', digits: undefined });
    }
  }
  return { columns, rows: [...rows] };
}

/** Arrow table (a query result) → ExportTable with plain values. */
export function fromArrow(table: Table, hints: Partial<Record<string, Partial<ExportColumn>>> = {}): ExportTable {
  const fields = table.schema.fields;
  const types: Record<string, string> = {};
  for (const f of fields) types[f.name] = String(f.type);
  // Column by column with the vectors' iterators: `get(i)` searches the record batches for every
  // cell, which made a 300 000-row export spend half a minute here. Rows keep the fields' order.
  const rows: Row[] = Array.from({ length: table.numRows }, () => ({}));
  for (const f of fields) {
    const vec = table.getChild(f.name);
    const type = types[f.name];
    let i = 0;
    if (vec) for (const v of vec) rows[i++]![f.name] = normalizeValue(v, type);
    else for (const r of rows) r[f.name] = normalizeValue(undefined, type);
  }
  return fromRows(rows, hints, arrowTypesToSql(types));
}

function arrowTypesToSql(types: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, t] of Object.entries(types)) {
    out[k] = /^Date/.test(t) ? 'DATE' : /^Bool/.test(t) ? 'BOOLEAN' : /^u?Int/i.test(t) ? 'INTEGER' : /^Float|^Decimal/.test(t) ? 'DOUBLE' : 'VARCHAR';
  }
  return out;
}

/** Header shown to people: the column's own title, else the presentation layer's Russian title of its name. */
export const columnTitle = (c: ExportColumn): string => c.title ?? presentedTitle(c.name);

/**
 * The table with the school's name beside each column of school codes («Наименование ОО»), so a
 * spreadsheet reads by name and still joins by code. Unchanged when no names are known.
 */
export function withSchoolNames(table: ExportTable, names: SchoolNames = schoolNames()): ExportTable {
  if (names.size === 0) return table;
  const columns: ExportColumn[] = [];
  const added: [string, string][] = [];
  for (const c of table.columns) {
    columns.push(c);
    if (c.kind !== 'text' || !isSchoolColumn(c.name)) continue;
    if (!table.rows.some((r) => r[c.name] !== null && r[c.name] !== undefined && names.has(String(r[c.name])))) continue;
    const name = `${c.name}__name`;
    columns.push({ name, title: 'Наименование ОО', kind: 'text' });
    added.push([c.name, name]);
  }
  if (!added.length) return table;
  const rows = table.rows.map((r) => {
    const out: Row = { ...r };
    for (const [code, name] of added) out[name] = r[code] === null || r[code] === undefined ? null : (names.get(String(r[code])) ?? null);
    return out;
  });
  return { columns, rows };
}
