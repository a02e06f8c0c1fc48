/**
 * The chart builder's logic, apart from its dialog: which columns a table result has (with the
 * role each can play on an axis), a sensible first choice, and the Vega-Lite spec of a choice.
 * The spec follows the chart cell convention: no `data` (the cell's `data=<name>` binds the
 * rows), Russian axis titles and percent formats from the presentation layer; school codes in
 * the rows become names when the chart is drawn (`withRussianLocale`).
 */
import { DataType, type Table } from 'apache-arrow';
import { columnKind, columnTitle, type CellKind } from '../format';

/** What a column can be on an axis: categories, years (ordered), dates, or measured numbers. */
export type ColumnRole = 'category' | 'year' | 'date' | 'number';

export interface BuilderColumn {
  name: string;
  role: ColumnRole;
  /** The presentation layer's kind (percent, school, …). */
  kind: CellKind;
  /** Whole numbers only (counts): shown without decimals in tooltips. */
  integer?: boolean;
}

export type ChartMark = 'bar' | 'line' | 'point' | 'area';
export const CHART_MARKS: readonly { mark: ChartMark; label: string }[] = [
  { mark: 'bar', label: 'Столбцы' },
  { mark: 'line', label: 'Линия' },
  { mark: 'point', label: 'Точки' },
  { mark: 'area', label: 'Области' },
];

export interface ChartChoice {
  x: string;
  y: string;
  color?: string;
  mark: ChartMark;
}

const YEAR_NAME = /(^|_)year$|^(год|учебный год)$/i;
/** Columns of codes and names are categories even when their values are numbers. */
const CATEGORY_KINDS: readonly CellKind[] = ['school', 'indicator', 'dimension', 'dimension_value', 'code'];
/** Values looked at to decide whether a share column holds only 0…1. */
const SAMPLE = 5000;

/** The role of one column from its name, its Arrow type and (for shares) its values. */
export function columnOf(name: string, type: DataType, values: readonly unknown[]): BuilderColumn {
  const kind = columnKind(name, values);
  const numeric = DataType.isInt(type) || DataType.isFloat(type) || DataType.isDecimal(type);
  let role: ColumnRole = 'category';
  if (YEAR_NAME.test(name) && (numeric || DataType.isUtf8(type))) role = 'year';
  else if (DataType.isDate(type) || DataType.isTimestamp(type)) role = 'date';
  else if (numeric && !CATEGORY_KINDS.includes(kind)) role = 'number';
  // Integer types, or whole numbers in a float column (the Node connector's results, DECIMAL(18,0)).
  const whole = DataType.isInt(type) || (numeric && values.length > 0 && values.every((v) => v === null || v === undefined || Number.isInteger(Number(v))));
  return { name, role, kind, ...(whole ? { integer: true } : {}) };
}

/** The columns of a table result, in order. */
export function tableColumns(table: Table): BuilderColumn[] {
  const n = Math.min(table.numRows, SAMPLE);
  return table.schema.fields.map((f) => {
    const vector = table.getChild(f.name);
    const values: unknown[] = [];
    for (let i = 0; i < n && vector; i++) {
      const v = vector.get(i);
      values.push(typeof v === 'bigint' ? Number(v) : v);
    }
    return columnOf(f.name, f.type, values);
  });
}

/** Category × number → bars; year, date or number × number → a line. */
export function defaultMark(x: BuilderColumn | undefined): ChartMark {
  return x && x.role !== 'category' ? 'line' : 'bar';
}

/** The first choice offered: the first non-measure column across, the first measure up. */
export function defaultChoice(columns: readonly BuilderColumn[]): ChartChoice | null {
  if (!columns.length) return null;
  const x = columns.find((c) => c.role !== 'number') ?? columns[0]!;
  const y = columns.find((c) => c.role === 'number' && c !== x) ?? columns.find((c) => c !== x) ?? x;
  return { x: x.name, y: y.name, mark: defaultMark(x) };
}

type Json = Record<string, unknown>;

const encodingType = (c: BuilderColumn): string =>
  c.role === 'number' ? 'quantitative' : c.role === 'year' ? 'ordinal' : c.role === 'date' ? 'temporal' : 'nominal';

function tooltipOf(c: BuilderColumn): Json {
  const t: Json = { field: c.name, type: encodingType(c), title: columnTitle(c.name) };
  if (c.kind === 'percent') t.format = '.1%';
  else if (c.role === 'number' && !c.integer) t.format = ',.2~f';
  return t;
}

function axisOf(c: BuilderColumn): Json {
  const def: Json = { field: c.name, type: encodingType(c), title: columnTitle(c.name) };
  if (c.kind === 'percent') def.axis = { format: '.0%' };
  return def;
}

/** The Vega-Lite spec (without `data`) of a choice over these columns. */
export function buildChartSpec(columns: readonly BuilderColumn[], choice: ChartChoice): Json {
  const col = (name: string): BuilderColumn => {
    const c = columns.find((x) => x.name === name);
    if (!c) throw new Error(`Нет столбца «${name}» в результате`);
    return c;
  };
  const x = col(choice.x);
  const y = col(choice.y);
  const color = choice.color ? col(choice.color) : undefined;
  const encoding: Json = { x: axisOf(x), y: axisOf(y) };
  if (color) {
    const c = axisOf(color);
    delete c.axis;
    encoding.color = c;
  }
  encoding.tooltip = [x, ...(color && color !== x && color !== y ? [color] : []), ...(y !== x ? [y] : [])].map(tooltipOf);
  const mark: Json = { type: choice.mark };
  if (choice.mark === 'line') mark.point = true;
  return { width: 360, mark, encoding };
}

/** The chart cell's source: the spec as indented JSON, editable like any chart cell. */
export const chartSource = (spec: Json): string => JSON.stringify(spec, null, 2);
