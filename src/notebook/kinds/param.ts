import { analyzeParam, parseParamCell } from '../analyze';
import type { ParamDef, ParamValue } from '../model';
import { optionsQuery } from '../sql-guard';
import type { CellKindDef } from './types';

export function resolveParamValue(def: ParamDef, chosen: ParamValue | undefined, options?: (string | number)[]): ParamValue {
  const coerce = (v: ParamValue | undefined): ParamValue | undefined => (v === undefined ? undefined : coerceParam(def, v));
  const c = coerce(chosen);
  const d = coerce(def.default);
  if (def.type === 'year-range') {
    const nums = (options ?? []).map(Number).filter((n) => !isNaN(n));
    const lo = nums.length ? Math.min(...nums) : (def.min ?? 2000);
    const hi = nums.length ? Math.max(...nums) : (def.max ?? 2100);
    const v = (Array.isArray(c) ? c : Array.isArray(d) ? d : [lo, hi]) as [number, number];
    return [Math.max(lo, Math.min(v[0], v[1])), Math.min(hi, Math.max(v[0], v[1]))];
  }
  if (options && options.length) {
    const has = (v: ParamValue | undefined) => v !== undefined && v !== null && options.some((o) => String(o) === String(v));
    const pick = has(c) ? c : has(d) ? d : options[0];
    return options.find((o) => String(o) === String(pick)) ?? null;
  }
  if (c !== undefined) return c;
  if (d !== undefined) return d;
  return def.type === 'checkbox' ? false : def.type === 'number' ? 0 : def.type === 'text' ? '' : null;
}

/** Converts a value (from the UI or `--param k=v`) to the parameter's type. */
export function coerceParam(def: ParamDef, v: ParamValue): ParamValue {
  switch (def.type) {
    case 'number': {
      const n = typeof v === 'number' ? v : Number(String(v).replace(',', '.'));
      return isNaN(n) ? null : n;
    }
    case 'checkbox':
      return typeof v === 'boolean' ? v : ['true', '1', 'да', 'yes'].includes(String(v).toLowerCase());
    case 'year-range': {
      if (Array.isArray(v)) return [Number(v[0]), Number(v[1])];
      const m = /^\s*(\d{4})\s*(?:-|–|\.\.|,)\s*(\d{4})\s*$/.exec(String(v));
      return m ? [Number(m[1]), Number(m[2])] : null;
    }
    case 'select':
      return typeof v === 'number' || v === null ? v : String(v);
    default:
      return v === null ? null : String(v);
  }
}

/** Parameters: front-matter entries and param cells alike; option queries are one read-only SELECT. */
export const paramKind: CellKindDef = {
  kind: 'param',
  label: 'Параметр',
  newSource: 'type: number\nlabel: Число\ndefault: 1',
  namePrefix: 'p',
  named: true,
  language: 'yaml',
  materialises: false,
  reportCode: 'yaml',
  analyse(cell) {
    try {
      return analyzeParam(parseParamCell(cell));
    } catch (e) {
      return { tables: [], params: [], names: [], strict: false, error: `Ошибка в описании параметра: ${(e as Error).message}` };
    }
  },
  async evaluate(unit, ctx) {
    const def = unit.def!;
    let options = def.options;
    if (def.options_sql) {
      const q = ctx.bind(optionsQuery(def.options_sql, def.name));
      const rows = await ctx.conn.query({ type: 'rows', sql: q.sql, params: q.params });
      options = rows.map((r) => Object.values(r)[0] as string | number).filter((v) => v !== null && v !== undefined);
    }
    const value = resolveParamValue(def, ctx.chosen(def.name), options);
    return { result: { kind: 'param', value, options }, value };
  },
};
