import { analyzeMarkdown } from '../analyze';
import type { CellKindDef } from './types';

export const mdKind: CellKindDef = {
  kind: 'md',
  label: 'Markdown',
  newSource: 'Текст *Markdown*',
  named: false,
  language: 'markdown',
  materialises: false,
  analyse: (cell) => ({ tables: [], params: [], names: analyzeMarkdown(cell.source), strict: true }),
  async evaluate(unit, ctx) {
    const text = ctx.interpolate(unit.cell!.source);
    return { result: { kind: 'md', text }, value: text };
  },
};
