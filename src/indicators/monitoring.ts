/**
 * Monitoring-code indicators of TAL, CAR, PED, UPB and PRE. Plain sums and ratios go through
 * `monitoringSumSql` / `monitoringRatioSql` of ./sql.ts (the one municipal rule of the project:
 * the schools' sum, or the municipality-level row when no school reports the code). What is
 * here is specific to these directions: ratios per education level, and flags counted over ДОО.
 */
import { quoteLiteral } from '../db/connector';
import { makeRow, monitoringRatioSql, monitoringSumSql, rowsOf, sqlRows } from './sql';
import { sortRows } from './rowshares';
import type { IndicatorContext, IndicatorRow } from './types';

export const shareValue = (numerator: number | null, denominator: number | null): number | null =>
  numerator === null || denominator === null || denominator === 0 ? null : numerator / denominator;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Inserted by the engine (SqlRows): the rows never pass through JavaScript. */
export const monitoringCount = (_ctx: IndicatorContext, id: string, code: string, schoolWhere?: string) => sqlRows(monitoringSumSql(id, code, { schoolWhere }));

export const monitoringRatio = (_ctx: IndicatorContext, id: string, numCode: string, denCode: string, schoolWhere?: string) =>
  sqlRows(monitoringRatioSql(id, numCode, denCode, { schoolWhere }));

/** The rows of monitoringCount, for indicators that derive more rows from them in TypeScript. */
export const monitoringCountRows = async (ctx: IndicatorContext, id: string, code: string, schoolWhere?: string) =>
  sortRows(await rowsOf(ctx, monitoringSumSql(id, code, { schoolWhere })));

/**
 * One ratio per dimension value (e.g. education level НОО/ООО/СОО), plus a row without the
 * dimension pooling the levels a unit reported both codes for.
 */
export async function monitoringRatioByDimension(
  ctx: IndicatorContext,
  id: string,
  dimension: string,
  pairs: { value: string; num: string; den: string }[],
): Promise<IndicatorRow[]> {
  const out: IndicatorRow[] = [];
  for (const p of pairs)
    out.push(...(await rowsOf(ctx, monitoringRatioSql(id, p.num, p.den, { dimension: { name: dimension, value: p.value } }))));
  const total = new Map<string, IndicatorRow>();
  for (const r of out) {
    if (r.numerator === null || r.denominator === null) continue;
    const key = `${r.year}|${r.school_id ?? ''}`;
    const t = total.get(key) ?? makeRow(id, { year: r.year, school_id: r.school_id, numerator: 0, denominator: 0 });
    t.numerator! += r.numerator;
    t.denominator! += r.denominator;
    total.set(key, t);
  }
  for (const t of total.values()) out.push({ ...t, value: shareValue(t.numerator, t.denominator) });
  return sortRows(out);
}

/** `schoolWhere` of ./sql.ts monitoring builders restricting to ДОО (schools.school_type = 'ДОО'). */
export const DOO_WHERE = `m.school_id IN (SELECT CAST(d.school_id AS VARCHAR) FROM schools d WHERE d.year = m.year AND d.school_type = 'ДОО')`;

/** Per-ДОО rows (year, school_id, <code>…) pivoted from monitoring, ДОО only. */
export function dooPivotSql(codes: readonly string[]): string {
  const cols = codes.map((c) => `max(m.value) FILTER (WHERE m.code = ${quoteLiteral(c)}) AS ${c}`).join(', ');
  return `(SELECT CAST(m.year AS INTEGER) AS year, CAST(m.school_id AS VARCHAR) AS school_id, ${cols}
    FROM monitoring m WHERE m.school_id IS NOT NULL AND m.code IN (${codes.map(quoteLiteral).join(', ')}) AND ${DOO_WHERE}
    GROUP BY ALL)`;
}

/**
 * Share of ДОО where a per-ДОО condition holds. Per ДОО: value 1 or 0 (numerator the same,
 * denominator 1). Municipality: ДОО meeting it / ДОО that reported the inputs (a ДОО without
 * the code is left out rather than counted as not meeting it). `count`: the municipal value is
 * the number of ДОО meeting it instead of the share.
 */
export async function dooFlagShare(
  ctx: IndicatorContext,
  id: string,
  codes: readonly string[],
  /** SQL boolean over columns named after the codes; NULL = not reported. */
  condition: string,
  count = false,
): Promise<IndicatorRow[]> {
  const rows = await ctx.conn.query({
    type: 'rows',
    sql: `WITH f AS (SELECT year, school_id, (${condition}) AS flag FROM ${dooPivotSql(codes)})
          SELECT year, school_id, CASE WHEN flag THEN 1 ELSE 0 END AS num, 1 AS den FROM f WHERE flag IS NOT NULL
          UNION ALL
          SELECT year, NULL, count(*) FILTER (WHERE flag), count(flag) FROM f GROUP BY year`,
  });
  return sortRows(
    rows.map((r) => {
      const n = num(r.num);
      const d = num(r.den);
      const municipal = r.school_id === null;
      return makeRow(id, {
        year: num(r.year),
        school_id: municipal ? null : String(r.school_id),
        numerator: n,
        denominator: d,
        value: count && municipal ? n : shareValue(n, d),
      });
    }),
  );
}
