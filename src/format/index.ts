/**
 * Russian number, percent and date formatting shared by tables, charts and reports.
 * Decimal comma, non-breaking space as the thousands separator and before «%».
 */
import type { Value } from '../db/connector';

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

/**
 * A format spec as written in notebooks and column hints: 'int', 'pct', 'pct:0', 'num', 'num:1', 'date'.
 * Unknown specs fall back to the default display of the value.
 */
export function formatBySpec(value: Value | undefined, spec?: string): string {
  if (value === null || value === undefined) return '';
  const [kind, arg] = (spec ?? '').split(':');
  const digits = arg !== undefined && arg !== '' ? Number(arg) : undefined;
  if (typeof value === 'number') {
    if (kind === 'int') return formatInteger(value);
    if (kind === 'pct') return formatPercent(value, digits ?? 1);
    if (kind === 'num') return formatNumber(value, digits === undefined ? {} : { digits });
    return formatNumber(value);
  }
  if (kind === 'date' && typeof value === 'string') return formatDate(value);
  if (typeof value === 'boolean') return value ? 'да' : 'нет';
  return String(value);
}

/** Default display of any cell value in tables and reports. */
export const formatValue = (value: Value | undefined): string => formatBySpec(value);

/** d3-format locale for ru-RU (decimal comma, NBSP thousands, «25,6 %»). */
export const RU_NUMBER_LOCALE = {
  decimal: ',',
  thousands: NBSP,
  grouping: [3],
  currency: ['', `${NBSP}₽`] as [string, string],
  percent: `${NBSP}%`,
  minus: '−',
};

/** d3-time-format locale for ru-RU. */
export const RU_TIME_LOCALE = {
  dateTime: '%A, %e %B %Y г. %X',
  date: '%d.%m.%Y',
  time: '%H:%M:%S',
  periods: ['AM', 'PM'] as [string, string],
  days: ['воскресенье', 'понедельник', 'вторник', 'среда', 'четверг', 'пятница', 'суббота'] as [string, string, string, string, string, string, string],
  shortDays: ['вс', 'пн', 'вт', 'ср', 'чт', 'пт', 'сб'] as [string, string, string, string, string, string, string],
  months: ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'] as [
    string, string, string, string, string, string, string, string, string, string, string, string,
  ],
  shortMonths: ['янв', 'фев', 'мар', 'апр', 'май', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'] as [
    string, string, string, string, string, string, string, string, string, string, string, string,
  ],
};

/** Font stack used by charts and reports: DejaVu Sans is what Debian (and CI) has for Cyrillic. */
export const CHART_FONT = '"DejaVu Sans", Arial, "Liberation Sans", sans-serif';

/**
 * Vega-Lite `config` for every chart of the workbench: Russian number and time locale, so axes,
 * tooltips and text marks show «1 234,5» and «25,6 %». Merge it under a spec's own config:
 * `{ ...spec, config: mergeChartConfig(spec.config) }`.
 */
export const RU_VEGA_CONFIG = {
  locale: { number: RU_NUMBER_LOCALE, time: RU_TIME_LOCALE },
  font: CHART_FONT,
  background: 'white',
  axis: { labelFontSize: 11, titleFontSize: 12 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: 'start' as const },
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function deepMerge(base: Json, over: Json): Json {
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObject(v) && isObject(out[k]) ? deepMerge(out[k] as Json, v) : v;
  return out;
}

/** The Russian chart config with a spec's own `config` applied on top of it. */
export function mergeChartConfig(own?: unknown): Json {
  return deepMerge(RU_VEGA_CONFIG as unknown as Json, isObject(own) ? own : {});
}

/** Returns a copy of a Vega-Lite spec whose config carries the Russian locale. */
export function withRussianLocale<T extends object>(spec: T): T & { config: Json } {
  return { ...spec, config: mergeChartConfig((spec as { config?: unknown }).config) };
}

const AGGREGATE_TITLES: Record<string, string> = {
  count: 'Количество',
  valid: 'Число значений',
  missing: 'Число пропусков',
  distinct: 'Число различных',
  sum: 'Сумма',
  mean: 'Среднее',
  average: 'Среднее',
  median: 'Медиана',
  min: 'Минимум',
  max: 'Максимум',
  stdev: 'Стандартное отклонение',
  stdevp: 'Стандартное отклонение',
  variance: 'Дисперсия',
  variancep: 'Дисперсия',
  q1: 'Нижний квартиль',
  q3: 'Верхний квартиль',
  ci0: 'Нижняя граница ДИ',
  ci1: 'Верхняя граница ДИ',
};

interface FieldDefLike {
  field?: unknown;
  aggregate?: unknown;
  bin?: unknown;
  timeUnit?: unknown;
}

/**
 * Vega-Lite's default axis and legend titles in Russian («Количество» instead of «Count of
 * Records», «Среднее: балл» instead of «Average of балл»). Pass it as `fieldTitle` to
 * `vega-lite`'s compile or to vega-embed's options.
 */
export function ruFieldTitle(def: FieldDefLike): string {
  const field = typeof def.field === 'string' ? def.field : '';
  const agg = typeof def.aggregate === 'string' ? AGGREGATE_TITLES[def.aggregate] : undefined;
  if (def.aggregate === 'count' && !field) return 'Количество';
  let title = field;
  if (def.bin) title = `${field} (интервалы)`;
  if (agg) return title ? `${agg}: ${title}` : agg;
  return title;
}
