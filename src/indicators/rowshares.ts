/**
 * Shares and counts over row-level tables (staff, graduates, achievements) for the TAL, CAR,
 * MGR, PED and UPB indicators: the rows of `groupedSql` of ./sql.ts (municipality + every school,
 * per year), each unit counted once. Each indicator supplies a base sub-query with one row per counted unit.
 */
import { quoteLiteral } from '../db/connector';
import { inList, lit } from './sql';
import type { IndicatorContext, IndicatorRow, SqlRows } from './types';

export interface UnitAggregate {
  id: string;
  /**
   * Sub-query with columns: year, school_id, unit (the id counted distinct), num (bool),
   * den (bool) and, with `dimension`, dim (text).
   */
  base: string;
  /** Name written to the `dimension` column; the base's `dim` column gives the values. */
  dimension?: string;
  /** With a dimension, also emit the rows without it (default true). */
  total?: boolean;
  /**
   * 'share' (default): distinct units with num among those with den / distinct units with den.
   * 'count': value = distinct units with num (numerator and denominator NULL, as ./sql.ts counts).
   */
  kind?: 'share' | 'count';
}

/** Inserted by the engine (SqlRows): the rows never pass through JavaScript. */
export async function unitAggregate(_ctx: IndicatorContext, spec: UnitAggregate): Promise<SqlRows> {
  const queries: string[] = [];
  if (!spec.dimension || (spec.total ?? true)) queries.push(unitSql(spec, null));
  if (spec.dimension) queries.push(unitSql(spec, spec.dimension));
  return { sql: queries };
}

/**
 * The rows of `groupedSql` (sql.ts) with `count(DISTINCT unit) FILTER (…)` per municipality and
 * school, computed in two steps: each unit once per group (whether any of its rows has num / den),
 * then plain counts. DuckDB's distinct aggregates under GROUPING SETS cost 3× the whole rest of the
 * query (PED-01 on the demo: 14.5 → 4.7 ms without them); ≈40 statements of the catalogue are these.
 * A group whose units are all NULL still has its row (counts 0), as with count(DISTINCT).
 */
function unitSql(spec: UnitAggregate, dimension: string | null): string {
  const counted = (flag: string) => `count(*) FILTER (WHERE ${flag} AND unit IS NOT NULL)`;
  const share = spec.kind !== 'count';
  const num = share ? counted('has_num') : 'NULL';
  const den = share ? counted('has_den') : 'NULL';
  const value = share ? `CASE WHEN (${den}) > 0 THEN (${num}) / (${den}) END` : counted('has_any');
  return `SELECT ${lit(spec.id)} AS indicator_id, CAST(_year AS INTEGER) AS year, CAST(NULL AS VARCHAR) AS procedure,
      CAST(NULL AS VARCHAR) AS subject, CAST(NULL AS INTEGER) AS grade,
      CAST(CASE WHEN muni = 0 THEN school_id END AS VARCHAR) AS school_id,
      CAST(${dimension ? lit(dimension) : 'NULL'} AS VARCHAR) AS dimension, CAST(_dv AS VARCHAR) AS dimension_value,
      CAST(${num} AS DOUBLE) AS numerator, CAST(${den} AS DOUBLE) AS denominator, CAST(${value} AS DOUBLE) AS value
    FROM (SELECT _year, _dv, school_id, GROUPING(school_id) AS muni, unit,
            bool_or(den AND num) AS has_num, bool_or(den) AS has_den, bool_or(num) AS has_any
          FROM (SELECT *, year AS _year, ${dimension ? 'dim' : 'NULL'} AS _dv FROM (${spec.base}) AS src
                WHERE ${dimension ? 'dim IS NOT NULL' : 'TRUE'}) AS g
          GROUP BY GROUPING SETS ((_year, _dv, unit), (_year, _dv, school_id, unit))) AS u
    GROUP BY _year, _dv, school_id, muni
    HAVING muni = 1 OR school_id IS NOT NULL`;
}

export function sortRows(rows: IndicatorRow[]): IndicatorRow[] {
  return rows.sort(
    (a, b) =>
      (a.year ?? 0) - (b.year ?? 0) ||
      (a.school_id === b.school_id ? 0 : a.school_id === null ? -1 : b.school_id === null ? 1 : a.school_id.localeCompare(b.school_id)) ||
      String(a.dimension ?? '').localeCompare(String(b.dimension ?? '')) ||
      String(a.dimension_value ?? '').localeCompare(String(b.dimension_value ?? '')),
  );
}

/** Positions counted as teachers (учителя) in every "/ teachers" denominator. */
export const TEACHER_POSITIONS = ['учитель'] as const;
export const MANAGER_POSITIONS = ['руководитель'] as const;
export const ADMIN_POSITIONS = ['руководитель', 'заместитель руководителя'] as const;

/** SQL boolean: the staff row `s` has an activity of that kind in the same year (and level). */
export function hasActivity(activity: string, level?: string): string {
  return `EXISTS (SELECT 1 FROM staff_activities a WHERE a.year = s.year AND CAST(a.staff_id AS VARCHAR) = CAST(s.staff_id AS VARCHAR)
    AND a.activity = ${quoteLiteral(activity)}${level ? ` AND a.level = ${quoteLiteral(level)}` : ''})`;
}

/** Base sub-query over staff `s` of the given positions (null: every position). */
export function staffBase(positions: readonly string[] | null, num: string, den = 'true', dim?: string): string {
  return `SELECT CAST(s.year AS INTEGER) AS year, CAST(s.school_id AS VARCHAR) AS school_id, CAST(s.staff_id AS VARCHAR) AS unit,
      coalesce(${num}, false) AS num, coalesce(${den}, false) AS den${dim ? `, CAST(${dim} AS VARCHAR) AS dim` : ''}
    FROM staff s${positions ? ` WHERE s.position IN ${inList(positions)}` : ''}`;
}

/** Base sub-query over graduates `g` of one grade; NULL booleans count as false (the denominator is every graduate). */
export function graduatesBase(grade: number, num: string, dim?: string): string {
  return `SELECT CAST(g.year AS INTEGER) AS year, CAST(g.school_id AS VARCHAR) AS school_id, CAST(g.student_id AS VARCHAR) AS unit,
      coalesce(${num}, false) AS num, true AS den${dim ? `, CAST(${dim} AS VARCHAR) AS dim` : ''}
    FROM graduates g WHERE g.grade = ${grade}`;
}

export const WINNER_STATUSES = ['победитель', 'призёр'] as const;

/** Base sub-query over achievements `a` of one kind (and an optional extra condition), with the stage as `dim`. */
export function achievementsBase(kind: string, num = 'true', where = 'true'): string {
  return `SELECT CAST(a.year AS INTEGER) AS year, CAST(a.school_id AS VARCHAR) AS school_id, CAST(a.student_id AS VARCHAR) AS unit,
      coalesce(${num}, false) AS num, true AS den, CAST(a.stage AS VARCHAR) AS dim
    FROM achievements a WHERE a.kind = ${quoteLiteral(kind)} AND ${where}`;
}
