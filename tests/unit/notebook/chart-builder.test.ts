/**
 * The chart builder's pure part: the roles of a real DuckDB result's columns, the first choice
 * offered, and the Vega-Lite spec of a choice (fields, encoding types, Russian titles, percent
 * formats), which must survive the spec guard and compile with Vega-Lite to the titled axes.
 */
import { expect, test } from 'vitest';
import { DateDay, Float64, Int32, Int64, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { compile } from 'vega-lite';
import { ruFieldTitle, withRussianLocale } from '../../../src/format';
import { buildChartSpec, chartSource, defaultChoice, defaultMark, tableColumns, type BuilderColumn } from '../../../src/notebook/chart-builder';
import { safeSpec } from '../../../src/notebook/spec-guard';

// The Arrow types DuckDB-WASM gives for VARCHAR, INTEGER, BIGINT, DOUBLE and DATE columns.
const table = new Table({
  school_id: vectorFromArray(['0101', '0102'], new Utf8()),
  year: vectorFromArray([2023, 2024], new Int32()),
  procedure: vectorFromArray(['ВПР', 'ОГЭ'], new Utf8()),
  n: vectorFromArray([12n, 30n], new Int64()),
  mean: vectorFromArray([14.5, 17.25], new Float64()),
  share: vectorFromArray([0.25, 0.5], new Float64()),
  exam_date: vectorFromArray([new Date(Date.UTC(2024, 4, 1)), new Date(Date.UTC(2024, 4, 2))], new DateDay()),
  grade: vectorFromArray([5, 9], new Int32()),
});
const columns: BuilderColumn[] = tableColumns(table);

test('columns of a result get their axis role and presentation kind', () => {
  const by = Object.fromEntries(columns.map((c) => [c.name, c]));
  expect(columns.map((c) => c.name)).toEqual(['school_id', 'year', 'procedure', 'n', 'mean', 'share', 'exam_date', 'grade']);
  expect(by.school_id).toMatchObject({ role: 'category', kind: 'school' });
  expect(by.year).toMatchObject({ role: 'year', integer: true });
  expect(by.procedure).toMatchObject({ role: 'category' });
  expect(by.n).toMatchObject({ role: 'number', integer: true });
  expect(by.mean).toMatchObject({ role: 'number', kind: 'value' });
  expect(by.mean!.integer).toBeUndefined();
  expect(by.share).toMatchObject({ role: 'number', kind: 'percent' });
  expect(by.exam_date).toMatchObject({ role: 'date' });
  expect(by.grade).toMatchObject({ role: 'number' });
  // A share column holding a value above 1 is not a share: no percent format.
  const notShare = tableColumns(new Table({ share: vectorFromArray([0.5, 1.5], new Float64()) }));
  expect(notShare[0]).toMatchObject({ role: 'number', kind: 'value' });
});

test('default: a category across and the first measure up as bars; a year or a number across draws a line', () => {
  expect(defaultChoice(columns)).toEqual({ x: 'school_id', y: 'n', mark: 'bar' });
  const byYear = columns.filter((c) => c.name === 'year' || c.name === 'mean');
  expect(defaultChoice(byYear)).toEqual({ x: 'year', y: 'mean', mark: 'line' });
  const numbers = columns.filter((c) => c.name === 'n' || c.name === 'mean');
  expect(defaultChoice(numbers)).toEqual({ x: 'n', y: 'mean', mark: 'line' });
  expect(defaultMark(columns.find((c) => c.name === 'exam_date'))).toBe('line');
  expect(defaultMark(columns.find((c) => c.name === 'procedure'))).toBe('bar');
  expect(defaultChoice([])).toBeNull();
});

test('a bar chart of a share by school: fields, types, Russian titles, percent axis and tooltip, no data', () => {
  const spec = buildChartSpec(columns, { x: 'school_id', y: 'share', mark: 'bar' });
  expect(spec).toEqual({
    width: 360,
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'school_id', type: 'nominal', title: 'ОО' },
      y: { field: 'share', type: 'quantitative', title: 'Доля', axis: { format: '.0%' } },
      tooltip: [
        { field: 'school_id', type: 'nominal', title: 'ОО' },
        { field: 'share', type: 'quantitative', title: 'Доля', format: '.1%' },
      ],
    },
  });
  // The chart cell binds its rows with `data=<name>`: the spec itself never carries data.
  expect('data' in spec).toBe(false);
  expect(safeSpec(spec)).toEqual(spec);
  expect(JSON.parse(chartSource(spec))).toEqual(spec);
});

test('a line by year coloured by procedure; the colour has a title but no axis; means get two decimals', () => {
  const spec = buildChartSpec(columns, { x: 'year', y: 'mean', color: 'procedure', mark: 'line' });
  expect(spec.mark).toEqual({ type: 'line', point: true });
  const enc = spec.encoding as Record<string, unknown>;
  expect(enc.x).toEqual({ field: 'year', type: 'ordinal', title: 'Год' });
  expect(enc.y).toEqual({ field: 'mean', type: 'quantitative', title: 'Среднее' });
  expect(enc.color).toEqual({ field: 'procedure', type: 'nominal', title: 'Процедура' });
  expect((enc.tooltip as { field: string; format?: string }[]).map((t) => [t.field, t.format])).toEqual([
    ['year', undefined],
    ['procedure', undefined],
    ['mean', ',.2~f'],
  ]);
  expect(() => buildChartSpec(columns, { x: 'year', y: 'нет_такого', mark: 'point' })).toThrow('Нет столбца «нет_такого»');
});

test('the spec compiles with the rows bound as a chart cell binds them: titled axes, school names in the data', () => {
  const spec = buildChartSpec(columns, { x: 'school_id', y: 'share', mark: 'area' });
  const values = [
    { school_id: '0101', share: 0.25 },
    { school_id: '0102', share: 0.5 },
  ];
  const names = new Map([
    ['0101', 'СОШ № 1'],
    ['0102', 'Гимназия № 2'],
  ]);
  const shown = withRussianLocale(safeSpec({ ...spec, data: { values } }), names);
  expect((shown.data as { values: { school_id: string }[] }).values.map((r) => r.school_id)).toEqual(['СОШ № 1', 'Гимназия № 2']);
  const vega = compile(shown as never, { fieldTitle: ruFieldTitle as never }).spec as { axes?: { title?: string; format?: string }[]; marks?: { type: string }[] };
  const titles = (vega.axes ?? []).map((a) => a.title).filter(Boolean);
  expect(titles.sort()).toEqual(['Доля', 'ОО']);
  expect(vega.axes!.find((a) => a.title === 'Доля')!.format).toBe('.0%');
  expect(vega.marks!.map((m) => m.type)).toContain('area');
});
