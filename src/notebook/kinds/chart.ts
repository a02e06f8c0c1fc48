import { analyzeChart } from '../analyze';
import { escapePlainText } from '../escape';
import { interpolate, mapChartText } from '../interpolate';
import { safeSpec } from '../spec-guard';
import { rowsOf } from '../ts-api';
import type { CellKindDef } from './types';

export const chartKind: CellKindDef = {
  kind: 'vega-lite',
  label: 'График',
  newSource: '{\n  "mark": "bar",\n  "encoding": {}\n}',
  named: false,
  language: 'json',
  materialises: false,
  reportCode: 'json',
  analyse: (cell) => ({ tables: [], params: [], names: analyzeChart(cell.source, cell.attrs.data), strict: true }),
  async evaluate(unit, ctx) {
    let spec: Record<string, unknown>;
    try {
      spec = JSON.parse(unit.cell!.source) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`Спецификация графика — не корректный JSON: ${(e as Error).message}`);
    }
    // `${year}`, `${subject}` in titles and the empty-state line: formatted plain text, never markup or code.
    spec = mapChartText(spec, (text) => interpolate(text, (name) => ctx.valueByName(name), escapePlainText)) as Record<string, unknown>;
    const data = unit.cell!.attrs.data;
    if (data) spec = { ...spec, data: { values: rowsOf(ctx.valueByName(data)) } };
    // Hostile until proven otherwise: no links, embed options, DOM binding or URLs.
    spec = safeSpec(spec);
    return { result: { kind: 'chart', spec, data }, value: spec };
  },
};
