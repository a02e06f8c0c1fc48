import { expect, test } from 'vitest';
import { compile } from 'vega-lite';
import { parse, View } from 'vega';
import { ruFieldTitle, formatBySpec, formatDate, formatInteger, formatNumber, formatPercent, mergeChartConfig, withRussianLocale } from '../../../src/format';

const S = '\u00a0';

test('numbers use a decimal comma and a non-breaking thousands space', () => {
  expect(formatNumber(1234.5)).toBe(`1${S}234,5`);
  expect(formatNumber(1234567.891)).toBe(`1${S}234${S}567,89`);
  expect(formatNumber(0.5, { digits: 2 })).toBe('0,50');
  expect(formatNumber(-3.25, { maxDigits: 1 })).toMatch(/^-3,[23]$/);
  expect(formatInteger(15000)).toBe(`15${S}000`);
  expect(formatNumber(null)).toBe('');
  expect(formatNumber(Number.NaN)).toBe('');
});

test('percent of a share, with a space before the sign', () => {
  expect(formatPercent(0.256)).toBe(`25,6${S}%`);
  expect(formatPercent(1)).toBe(`100,0${S}%`);
  expect(formatPercent(0.12345, 2)).toBe(`12,35${S}%`);
  expect(formatPercent(null)).toBe('');
});

test('dates and format specs', () => {
  expect(formatDate('2025-05-21')).toBe('21.05.2025');
  expect(formatBySpec(0.5, 'pct:0')).toBe(`50${S}%`);
  expect(formatBySpec(2.345, 'num:1')).toBe('2,3');
  expect(formatBySpec(1999.6, 'int')).toBe(`2${S}000`);
  expect(formatBySpec(true)).toBe('да');
  expect(formatBySpec('Математика', 'pct')).toBe('Математика');
});

test('the own config of a chart wins over the Russian defaults, the locale stays', () => {
  const c = mergeChartConfig({ axis: { labelFontSize: 20 } }) as { axis: { labelFontSize: number; titleFontSize: number }; locale: unknown };
  expect(c.axis.labelFontSize).toBe(20);
  expect(c.axis.titleFontSize).toBe(12);
  expect(c.locale).toBeTruthy();
});

test('Vega renders axis labels with a decimal comma and percent with the Russian locale', async () => {
  const spec = withRussianLocale({
    data: { values: [{ s: 'А', v: 0.125 }, { s: 'Б', v: 0.5 }] },
    mark: 'bar',
    encoding: {
      x: { field: 's', type: 'nominal', title: 'Школа' },
      y: { field: 'v', type: 'quantitative', axis: { format: '.1%' }, title: 'Доля' },
    },
  });
  const view = new View(parse(compile(spec as never).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  expect(svg).toContain(`10,0${S}%`);
  expect(svg).toContain('Доля');
  expect(svg).not.toMatch(/\d\.\d%/);
});

test('default axis and legend titles are Russian', async () => {
  expect(ruFieldTitle({ aggregate: 'count' })).toBe('Количество');
  expect(ruFieldTitle({ aggregate: 'mean', field: 'балл' })).toBe('Среднее: балл');
  expect(ruFieldTitle({ field: 'school' })).toBe('ОО');
  expect(ruFieldTitle({ field: 'my_field' })).toBe('my_field');
  const spec = withRussianLocale({
    data: { values: [{ s: 'А', v: 2 }, { s: 'Б', v: 3 }] },
    mark: 'bar',
    encoding: { x: { field: 's', type: 'nominal' }, y: { aggregate: 'count', type: 'quantitative' }, color: { aggregate: 'sum', field: 'v', type: 'quantitative' } },
  });
  const view = new View(parse(compile(spec as never, { fieldTitle: ruFieldTitle as never }).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  expect(svg).toContain('>Количество<');
  expect(svg).toContain('>Сумма: v<');
  expect(svg).not.toContain('Count of');
});
