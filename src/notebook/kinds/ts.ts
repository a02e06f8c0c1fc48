import { tableFromJSON, type Table } from 'apache-arrow';
import { analyzeTs, transpileTs } from '../analyze';
import type { CellResult } from '../model';
import { safeSpec } from '../spec-guard';
import { isArrowTable, tableResult } from '../table-value';
import { guardName, materialiseRows } from './tables';
import type { CellKindDef, EvalContext, Unit } from './types';

/** What a TS cell returned → a result the views understand. */
async function tsResult(unit: Unit, ctx: EvalContext, v: unknown): Promise<CellResult> {
  if (v === undefined) return { kind: 'none' };
  if (v && typeof v === 'object' && '__nb' in v) {
    const t = v as { __nb: string; text?: string; html?: string; spec?: Record<string, unknown> };
    if (t.__nb === 'md') return { kind: 'md', text: t.text! };
    if (t.__nb === 'html') return { kind: 'html', html: t.html! };
    if (t.__nb === 'chart') return { kind: 'chart', spec: safeSpec(t.spec!) };
  }
  let arrow: Table | undefined;
  if (isArrowTable(v)) arrow = v;
  else if (Array.isArray(v) && v.length > 0 && v.every((r) => r && typeof r === 'object' && !Array.isArray(r))) arrow = tableFromJSON(v as Record<string, unknown>[]);
  if (arrow) {
    if (unit.name) {
      // TS tables are queryable from SQL too; best effort, the result itself does not depend on it.
      await guardName(ctx.conn, unit.name);
      try {
        await materialiseRows(ctx.conn, unit.name, arrow);
      } catch {
        /* the table stays available to TS and Markdown cells */
      }
    }
    return tableResult(arrow, unit.name ?? null);
  }
  if (v && typeof v === 'object' && ('mark' in v || 'layer' in v || 'vconcat' in v || 'hconcat' in v || 'facet' in v)) {
    return { kind: 'chart', spec: safeSpec(v as Record<string, unknown>) };
  }
  return { kind: 'value', value: v };
}

export const tsKind: CellKindDef = {
  kind: 'ts',
  label: 'TypeScript',
  newSource: 'return md`Привет`;',
  namePrefix: 't',
  named: true,
  language: 'typescript',
  materialises: true,
  reportCode: 'typescript',
  analyse(cell) {
    const a = analyzeTs(cell.source);
    return { tables: a.tables, params: [], names: a.refs, strict: false, error: a.error };
  },
  async evaluate(unit, ctx) {
    if (!ctx.tsRunner) throw new Error(ctx.tsRefusal);
    const { values, params } = ctx.namedValues();
    const names = ctx.depNames(unit);
    const returned = await ctx.tsRunner({ code: transpileTs(unit.cell!.source), names, values, params }, ctx.tsSql);
    ctx.check();
    const result = await tsResult(unit, ctx, returned);
    return { result, value: result.kind === 'table' ? result : returned };
  },
};
