/**
 * CSV that Russian Excel opens correctly by double-click: UTF-8 with a BOM, `;` between fields,
 * CRLF line ends, decimal commas in numbers (by default), and no cell that Excel or LibreOffice
 * would run as a formula: text starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`.
 */
import type { Value } from '../db/connector';
import { columnTitle, type ExportTable } from './table';

export const BOM = '\ufeff';

export interface CsvOptions {
  /** Field separator (default ';'). */
  separator?: string;
  /** Write 12,5 instead of 12.5 (default true: what Russian Excel reads as a number, not a date). */
  decimalComma?: boolean;
  /** Header row from column titles instead of names (default false). */
  titles?: boolean;
  /** Prepend the UTF-8 byte order mark (default true). */
  bom?: boolean;
  /** Hears the share of rows written (0…1), about 50 times: for progress of a long export. */
  progress?: (fraction: number) => void;
}

function cellText(v: Value | undefined, decimalComma: boolean): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return '';
    const s = String(v);
    return decimalComma ? s.replace('.', ',') : s;
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return neutraliseFormula(v);
}

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(?:[.,]\d+)?$/;

/** `=HYPERLINK(…)`, `=cmd|…`, `@SUM(…)`, `+1+cmd…` open as text; a plain signed number stays as it is. */
export function neutraliseFormula(s: string): string {
  return FORMULA_START.test(s) && !PLAIN_NUMBER.test(s) ? `'${s}` : s;
}

function quote(s: string, sep: string): string {
  return s.includes(sep) || /["\r\n]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCsvString(table: ExportTable, opts: CsvOptions = {}): string {
  const sep = opts.separator ?? ';';
  const dc = opts.decimalComma ?? true;
  const lines = [table.columns.map((c) => quote(neutraliseFormula(opts.titles ? columnTitle(c) : c.name), sep)).join(sep)];
  const n = table.rows.length;
  const step = Math.max(1, Math.floor(n / 50));
  for (let i = 0; i < n; i++) {
    const row = table.rows[i]!;
    lines.push(table.columns.map((c) => quote(cellText(row[c.name], dc), sep)).join(sep));
    if (opts.progress && (i + 1) % step === 0) opts.progress((i + 1) / n);
  }
  return (opts.bom === false ? '' : BOM) + lines.join('\r\n') + '\r\n';
}

/** The CSV file's bytes (UTF-8; the BOM is the first three bytes EF BB BF). */
export function toCsv(table: ExportTable, opts: CsvOptions = {}): Uint8Array {
  return new TextEncoder().encode(toCsvString(table, opts));
}
