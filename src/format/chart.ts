import { NBSP } from './number';
import { columnTitle, isSchoolColumn } from './titles';
import { schoolLabel, schoolNames, type SchoolNames } from './schools';

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
  // Labels closer than this are thinned out (every other one), so «80 %90 %» never touch.
  axisQuantitative: { labelOverlap: true, labelSeparation: 6 },
  // Russian category labels are long («Отметка «5» / высокий балл»): room before an ellipsis.
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 280, titleLimit: 280 },
  header: { labelFontSize: 12, titleFontSize: 12, labelLimit: 400 },
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

/**
 * Returns a copy of a Vega-Lite spec as the reader should see it: the Russian locale in its
 * config, school codes in its inline data replaced by school names, and an explicit «Нет данных»
 * message instead of empty axes when its inline data have no rows.
 */
export function withRussianLocale<T extends object>(spec: T, names: SchoolNames = schoolNames()): T & { config: Json } {
  const shown = spaceTicks(presentChartData(spec as unknown as Json, names));
  return { ...(shown as T), config: mergeChartConfig((shown as { config?: unknown }).config) };
}

/**
 * Text of the empty state: the spec's top-level `"empty"` (a workbench extension Vega-Lite
 * ignores; `usermeta` is stripped from notebook specs for safety) or `usermeta.empty`, else a
 * generic line.
 */
export function emptyChartMessage(spec: Json): string {
  const meta = isObject(spec.usermeta) ? spec.usermeta : {};
  for (const m of [spec.empty, meta.empty]) if (typeof m === 'string' && m.trim()) return m;
  return 'Нет данных для выбранных параметров';
}

function presentChartData(spec: Json, names: SchoolNames): Json {
  const data = isObject(spec.data) ? spec.data : undefined;
  const values = data && Array.isArray(data.values) ? (data.values as unknown[]) : undefined;
  if (!values) return spec;
  if (values.length === 0) return emptyChart(spec);
  const first = isObject(values[0]) ? values[0] : {};
  const schoolFields = Object.keys(first).filter(isSchoolColumn);
  if (!schoolFields.length || names.size === 0) return spec;
  const label = uniqueLabels(values, schoolFields, names);
  const rows = values.map((r) => {
    if (!isObject(r)) return r;
    const out: Json = { ...r };
    for (const f of schoolFields) if (out[f] !== null && out[f] !== undefined) out[f] = label(out[f]);
    return out;
  });
  return { ...spec, data: { ...data, values: rows } };
}

/** Pixels per horizontal tick: «100 %» or «1 234,5» with room to spare (Vega-Lite's default is 40). */
const PX_PER_X_TICK = 70;
const DEFAULT_WIDTH = 300;

/**
 * Fewer ticks on quantitative x axes, from the width of the view that draws them: Vega-Lite's
 * own `ceil(width/40)` crowds percent labels. Computed here because a config expression over
 * `width` breaks facets and concatenations (their views have no signal of that name).
 * A spec's own `tickCount` or `values` win.
 */
function spaceTicks(spec: Json, inherited = DEFAULT_WIDTH): Json {
  const width = typeof spec.width === 'number' ? spec.width : inherited;
  const out: Json = { ...spec };
  const enc = isObject(spec.encoding) ? spec.encoding : undefined;
  const x = enc && isObject(enc.x) ? enc.x : undefined;
  if (enc && x && x.type === 'quantitative' && x.axis !== null) {
    const axis = isObject(x.axis) ? x.axis : {};
    if (axis.tickCount === undefined && axis.values === undefined) {
      out.encoding = { ...enc, x: { ...x, axis: { ...axis, tickCount: Math.max(2, Math.ceil(width / PX_PER_X_TICK)) } } };
    }
  }
  for (const key of ['layer', 'hconcat', 'vconcat', 'concat']) {
    const parts = spec[key];
    if (Array.isArray(parts)) out[key] = parts.map((p) => (isObject(p) ? spaceTicks(p, key === 'layer' ? width : DEFAULT_WIDTH) : p));
  }
  if (isObject(spec.spec)) out.spec = spaceTicks(spec.spec);
  return out;
}

/** Names, with the code added where two schools of the chart share a short name. */
function uniqueLabels(values: unknown[], fields: string[], names: SchoolNames): (id: unknown) => string {
  const byName = new Map<string, Set<string>>();
  for (const r of values) {
    if (!isObject(r)) continue;
    for (const f of fields) {
      const id = r[f];
      if (id === null || id === undefined) continue;
      const n = schoolLabel(id, names);
      (byName.get(n) ?? byName.set(n, new Set()).get(n)!).add(String(id));
    }
  }
  return (id) => {
    const n = schoolLabel(id, names);
    return (byName.get(n)?.size ?? 0) > 1 ? `${n} (${String(id)})` : n;
  };
}

function emptyChart(spec: Json): Json {
  const out: Json = {
    data: { values: [{ message: emptyChartMessage(spec) }] },
    mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: 14, color: '#555' },
    encoding: { text: { field: 'message', type: 'nominal' }, x: { value: 4 }, y: { value: 20 } },
    width: typeof spec.width === 'number' ? spec.width : 400,
    height: 40,
  };
  if (spec.title !== undefined) out.title = spec.title;
  if (spec.config !== undefined) out.config = spec.config;
  return out;
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
  const field = typeof def.field === 'string' ? columnTitle(def.field) : '';
  const agg = typeof def.aggregate === 'string' ? AGGREGATE_TITLES[def.aggregate] : undefined;
  if (def.aggregate === 'count' && !field) return 'Количество';
  let title = field;
  if (def.bin) title = `${field} (интервалы)`;
  if (agg) return title ? `${agg}: ${title}` : agg;
  return title;
}
