/**
 * Monitoring-code indicators of TAL, CAR, PED, UPB and PRE. Plain sums and ratios go through
 * `monitoringSumSql` / `monitoringRatioSql` of ./sql.ts (the one municipal rule of the project:
 * the schools' sum, or the municipality-level row when no school reports the code). What is
 * here is specific to these directions: ratios per education level, and flags counted over ДОО.
 */
import { quoteLiteral } from '../db/connector';
import { lit, monitoringRatioSql, monitoringSumSql, sqlRows } from './sql';
import type { IndicatorContext, SqlRows } from './types';

/** Inserted by the engine (SqlRows): the rows never pass through JavaScript. */
export const monitoringCount = (_ctx: IndicatorContext, id: string, code: string, schoolWhere?: string) => sqlRows(monitoringSumSql(id, code, { schoolWhere }));

export const monitoringRatio = (_ctx: IndicatorContext, id: string, numCode: string, denCode: string, schoolWhere?: string) =>
  sqlRows(monitoringRatioSql(id, numCode, denCode, { schoolWhere }));

/** The indicator columns with NULL keys except year and school_id (monitoring rows have no work). */
const monitoringKeys = (id: string, schoolId: string, dimension: string | null = null, dimensionValue: string | null = null) =>
  `${lit(id)} AS indicator_id, CAST(year AS INTEGER) AS year, CAST(NULL AS VARCHAR) AS procedure, CAST(NULL AS VARCHAR) AS subject,
   CAST(NULL AS INTEGER) AS grade, CAST(${schoolId} AS VARCHAR) AS school_id, CAST(${lit(dimension)} AS VARCHAR) AS dimension,
   CAST(${lit(dimensionValue)} AS VARCHAR) AS dimension_value`;

/**
 * One ratio per dimension value (e.g. education level НОО/ООО/СОО), plus a row without the
 * dimension pooling the levels a unit reported both codes for.
 */
export function monitoringRatioByDimension(
  _ctx: IndicatorContext,
  id: string,
  dimension: string,
  pairs: { value: string; num: string; den: string }[],
): Promise<SqlRows> {
  const levels = pairs
    .map((p) => `SELECT * FROM (${monitoringRatioSql(id, p.num, p.den, { dimension: { name: dimension, value: p.value } })})`)
    .join(' UNION ALL ');
  return sqlRows(`WITH lv AS (${levels})
    SELECT * FROM lv
    UNION ALL
    SELECT ${monitoringKeys(id, 'school_id')}, sum(numerator) AS numerator, sum(denominator) AS denominator,
      CASE WHEN sum(denominator) <> 0 THEN sum(numerator) / sum(denominator) END AS value
    FROM lv WHERE numerator IS NOT NULL AND denominator IS NOT NULL GROUP BY year, school_id`);
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
export function dooFlagShare(
  _ctx: IndicatorContext,
  id: string,
  codes: readonly string[],
  /** SQL boolean over columns named after the codes; NULL = not reported. */
  condition: string,
  count = false,
): Promise<SqlRows> {
  const met = 'CAST(count(*) FILTER (WHERE flag) AS DOUBLE)';
  return sqlRows(`WITH f AS (SELECT year, school_id, (${condition}) AS flag FROM ${dooPivotSql(codes)})
    SELECT ${monitoringKeys(id, 'school_id')}, CAST(CASE WHEN flag THEN 1 ELSE 0 END AS DOUBLE) AS numerator, CAST(1 AS DOUBLE) AS denominator,
      CAST(CASE WHEN flag THEN 1 ELSE 0 END AS DOUBLE) AS value
    FROM f WHERE flag IS NOT NULL
    UNION ALL
    SELECT ${monitoringKeys(id, 'NULL')}, ${met} AS numerator, CAST(count(flag) AS DOUBLE) AS denominator,
      ${count ? met : `CASE WHEN count(flag) > 0 THEN ${met} / count(flag) END`} AS value
    FROM f GROUP BY year`);
}

/**
 * A monitoring sum (monitoringSumSql) with, per year, a municipal row counting the units that
 * reported a value > 0 (value = numerator = that number, denominator = units reporting).
 */
export function sumWithUnitsAboveZero(id: string, code: string, dimension: string, dimensionValue: string, schoolWhere?: string): Promise<SqlRows> {
  return sqlRows(`WITH s AS (SELECT * FROM (${monitoringSumSql(id, code, { schoolWhere })}))
    SELECT * FROM s
    UNION ALL
    SELECT ${monitoringKeys(id, 'NULL', dimension, dimensionValue)}, CAST(count(*) FILTER (WHERE value > 0) AS DOUBLE) AS numerator,
      CAST(count(*) AS DOUBLE) AS denominator, CAST(count(*) FILTER (WHERE value > 0) AS DOUBLE) AS value
    FROM s WHERE school_id IS NOT NULL AND value IS NOT NULL AND year IS NOT NULL GROUP BY year`);
}

/** The municipal rows only of one or more monitoring sums (each with its own dimension value). */
export function municipalSums(id: string, parts: { code: string; dimension?: { name: string; value: string } }[]): Promise<SqlRows> {
  return sqlRows(parts.map((p) => `SELECT * FROM (${monitoringSumSql(id, p.code, { dimension: p.dimension })}) WHERE school_id IS NULL`).join(' UNION ALL '));
}
