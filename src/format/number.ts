/**
 * Russian number, percent and date formatting shared by tables, charts and reports.
 * Decimal comma, non-breaking space as the thousands separator and before «%».
 */
import type { Value } from '../db/connector';
import { dimensionTitle, indicatorTitle } from './titles';
import { schoolLabel } from './schools';

export const NBSP = '\u00a0';

export interface NumberOptions {
  /** Exact number of fraction digits; by default up to `maxDigits`. */
  digits?: number;
  /** Upper bound of fraction digits when `digits` is not given (default 2). */
  maxDigits?: number;
}

const cache = new Map<string, Intl.NumberFormat>();
function nf(key: string, make: () => Intl.NumberFormat): Intl.NumberFormat {
  let f = cache.get(key);
  if (!f) cache.set(key, (f = make()));
  return f;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** `formatNumber(1234.5) → '1 234,5'` (the space is U+00A0). Empty string for null/NaN. */
export function formatNumber(value: number | null | undefined, opts: NumberOptions = {}): string {
  if (!isNumber(value)) return '';
  const min = opts.digits ?? 0;
  const max = opts.digits ?? opts.maxDigits ?? 2;
  return nf(`n${min}-${max}`, () =>
    new Intl.NumberFormat('ru-RU', { minimumFractionDigits: min, maximumFractionDigits: max, useGrouping: true }),
  ).format(value);
}

export const formatInteger = (value: number | null | undefined): string => formatNumber(value, { digits: 0 });

/** `formatPercent(0.256) → '25,6 %'`: a share (0…1) shown as percent, one fraction digit by default. */
export function formatPercent(share: number | null | undefined, digits = 1): string {
  if (!isNumber(share)) return '';
  return `${formatNumber(share * 100, { digits })}${NBSP}%`;
}

/** 'YYYY-MM-DD' (or a Date) → 'ДД.ММ.ГГГГ'. Anything else is returned as is. */
export function formatDate(value: string | Date | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return '';
    value = value.toISOString().slice(0, 10);
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : value;
}

/** Fraction digits of a number shown without a spec: 2 from 1 up, more for small values (p = 0,0012). */
function autoDigits(v: number): number {
  const a = Math.abs(v);
  if (a >= 1 || a === 0) return 2;
  return Math.min(6, 1 + Math.ceil(-Math.log10(a)));
}

const asNumber = (v: unknown): number | undefined =>
  typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v) ? Number(v) : undefined;

/**
 * THE one formatter of a value shown to people (Markdown `${x|spec}`, grid cells, report tables).
 * Specs: 'int', 'pct', 'pct:0', 'num', 'num:1', 'date', 'text'; 'dim' (a dimension key in Russian:
 * `${factor|dim}` → «Учебник»), 'school' (a school code as its name), 'ind' (an indicator's title). Without a spec: integers under
 * 10 000 as they are (years, codes), larger ones grouped («12 345»), fractions with a decimal comma
 * and 2 digits (more for small values, so p = 0,0012 is not shown as 0). Null → ''.
 */
export function formatValue(value: unknown, spec?: string): string {
  if (value === null || value === undefined) return '';
  const [kind, arg] = (spec ?? '').split(':');
  const digits = arg !== undefined && arg !== '' ? Number(arg) : undefined;
  if (Array.isArray(value)) return value.map((v) => formatValue(v, spec)).join('–');
  if (kind === 'dim') return dimensionTitle(String(value));
  if (kind === 'school') return schoolLabel(value);
  if (kind === 'ind') return indicatorTitle(String(value));
  if (typeof value === 'boolean') return value ? 'да' : 'нет';
  if (value instanceof Date) return formatDate(value);
  const num = kind && kind !== 'text' && kind !== 'date' ? asNumber(value) : typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : undefined;
  if (num !== undefined) {
    if (!Number.isFinite(num)) return '';
    if (kind === 'int') return formatInteger(num);
    if (kind === 'pct') return formatPercent(num, digits ?? 1);
    if (kind === 'num') return formatNumber(num, { digits: digits ?? 2 });
    if (Number.isInteger(num)) return Math.abs(num) < 10000 ? String(num) : formatInteger(num);
    return formatNumber(num, { maxDigits: autoDigits(num) });
  }
  if (kind === 'date' && typeof value === 'string') return formatDate(value);
  return String(value);
}

/** The same as `formatValue` (kept for callers that pass canonical `Value`s). */
export const formatBySpec = (value: Value | undefined, spec?: string): string => formatValue(value, spec);
