/**
 * Shares and counts over row-level tables (staff, graduates, achievements) for the TAL, CAR,
 * MGR, PED and UPB indicators, built on `groupedSql` of ./sql.ts (municipality + every school,
 * per year). Each indicator supplies a base sub-query with one row per counted unit.
 */
import { quoteLiteral } from '../db/connector';
import { groupedSql, inList } from './sql';
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
  const from = `(${spec.base})`;
  const aggregates =
    spec.kind === 'count'
      ? { numerator: null, denominator: null, value: 'count(DISTINCT unit) FILTER (WHERE num)' }
      : { numerator: 'count(DISTINCT unit) FILTER (WHERE den AND num)', denominator: 'count(DISTINCT unit) FILTER (WHERE den)' };
  const queries: string[] = [];
  if (!spec.dimension || (spec.total ?? true)) queries.push(groupedSql({ id: spec.id, from, ...aggregates }));
  if (spec.dimension)
    queries.push(groupedSql({ id: spec.id, from, where: 'dim IS NOT NULL', dimension: { name: spec.dimension, expr: 'dim' }, ...aggregates }));
  return { sql: queries };
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
