/**
 * What the objectivity criteria share: the participants of the analysed procedures (per work or
 * pooled per procedure and year), per (work, school) aggregates in SQL, and the criterion record.
 */
import type { Param } from '../../db/connector';
import { inList, lit, resultsSql, workMaxSql } from '../sql';
import { quartiles, tTwoSidedP, welchFromSummary } from '../stats';
import type { IndicatorContext } from '../types';
import { filterSql, queryPaged, type WorkFilter } from './common';

/** Subject label of the per-school-year rows pooled over all works of a procedure. */
export const POOLED_SUBJECT = 'все предметы';

export interface WorkRef {
  year: number;
  procedure: string;
  subject: string;
  grade: number;
}

export interface Criterion extends WorkRef {
  criterion: 'OBJ-01' | 'OBJ-02' | 'OBJ-03' | 'OBJ-04' | 'OBJ-05' | 'OBJ-06';
  school_id: string;
  n: number;
  reliable: boolean;
  /** null: nothing to compare (not «clean»). */
  flagged: boolean | null;
  /** Russian explanation with the triggering values. */
  reason: string | null;
  /** Named values of the criterion (what the notebook tables show). */
  values: Record<string, number | null>;
  /** dimension_value of a value's row, where the value needs one (e.g. the test a p-value comes from). */
  labels?: Record<string, string>;
}

export const f3 = (v: number | null | undefined, d = 2) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d));
export const pct = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(1)}%`);
export const workLabel = (w: WorkRef) => `${w.procedure} ${w.subject} ${w.grade} кл. ${w.year}`;

/**
 * The participants of the analysed procedures as SQL: per work, or with all works of a procedure
 * in a year pooled (see poolWorks). Criteria aggregate it per (work, school) in SQL, so only the
 * summaries reach JavaScript, never the participant rows.
 */
export function participantsSql(ctx: IndicatorContext, filter: WorkFilter | undefined, pooled: boolean): { sql: string; params: Param[] } {
  const f = filterSql({ ...filter, school_id: undefined }, 'r');
  const sql = `(SELECT r.year, r.procedure, ${pooled ? `${lit(POOLED_SUBJECT)} AS subject, CAST(NULL AS INTEGER) AS grade` : 'r.subject, r.grade'}, r.school_id,
      ${pooled ? 'r.primary_score / NULLIF(w.max_primary, 0)' : 'r.primary_score'} AS primary_score,
      r.primary_score / NULLIF(w.max_primary, 0) AS pct, r.mark, r.journal_mark,
      ${pooled ? 'CAST(NULL AS DOUBLE) AS mark3_from, CAST(NULL AS DOUBLE) AS mark4_from, CAST(NULL AS DOUBLE) AS mark5_from' : 'r.mark3_from, r.mark4_from, r.mark5_from'}
    FROM ${resultsSql(ctx)} r LEFT JOIN ${workMaxSql(ctx)} w USING (year, procedure, subject, grade)
    WHERE r.school_id IS NOT NULL AND r.procedure IN ${inList(ctx.params.objProcedures)} ${f.sql})`;
  return { sql, params: f.params };
}

/**
 * Rows per page of the analysis' per-school summaries (`queryPaged`). In the tab each page crosses
 * from the database worker to the page and is rebuilt there as objects in one task: 10 000 rows of
 * OBJ-02's 17 columns were one of LOW-11's long tasks on a regional set.
 */
export const SUMMARY_PAGE_ROWS = 2_500;

export interface SchoolSummary extends WorkRef {
  school_id: string;
  n: number;
  r: Record<string, unknown>;
}

/** Aggregates per (work, school) over the participants matching `where`; rows in a stable order. */
export async function perSchool(ctx: IndicatorContext, filter: WorkFilter | undefined, pooled: boolean, where: string, aggregates: string): Promise<SchoolSummary[]> {
  const p = participantsSql(ctx, filter, pooled);
  const rows = await queryPaged(
    ctx,
    `SELECT year, procedure, subject, grade, school_id, count(*) AS n, ${aggregates}
     FROM ${p.sql} p WHERE ${where} GROUP BY ALL ORDER BY year, procedure, subject, grade, school_id`,
    p.params,
    SUMMARY_PAGE_ROWS,
  );
  return rows.map((r) => ({
    year: Number(r.year),
    procedure: String(r.procedure),
    subject: String(r.subject),
    // Pooled rows have no grade (NaN, as the notebooks expect); per-work rows keep Number(grade).
    grade: pooled ? NaN : Number(r.grade),
    school_id: String(r.school_id),
    n: Number(r.n),
    r,
  }));
}

/**
 * A fresh copy of the work's key. The criteria's rows are `Object.assign(refOf(x), { … })`, not a
 * literal spreading the key and adding a dozen fields: V8 copies such a spread the slow generic way
 * (≈15 µs an object; thousands of school × work rows per criterion).
 */
export const refOf = (p: WorkRef): WorkRef => ({ year: p.year, procedure: p.procedure, subject: p.subject, grade: p.grade });
export const isNum = (v: number | null): v is number => v !== null && Number.isFinite(v);
export const numeric = (col: string) => `${col} IS NOT NULL AND isfinite(${col})`;
export const sumOf = <T>(xs: T[], f: (x: T) => number) => xs.reduce((s, x) => s + f(x), 0);

/** A group summarised as count, mean and sample variance (the input of the tests below). */
export interface Moments {
  n: number;
  mean: number;
  variance: number;
}

/** Welch's t-test from summaries (as stats.welch on the values). */
export function welchOf(x: Moments, y: Moments): number {
  return welchFromSummary(x.n, x.mean, Math.sqrt(x.variance), y.n, y.mean, Math.sqrt(y.variance)).p;
}

/** One-sample t-test of the mean against `mu` from a summary (as stats.oneSampleT). */
export function oneSampleTOf(x: Moments, mu: number): number {
  if (x.n < 2) return NaN;
  const se = Math.sqrt(x.variance / x.n);
  const t = (x.mean - mu) / se;
  return se === 0 ? NaN : tTwoSidedP(t, x.n - 1);
}

/** Applies a far-out upper fence to one value per reliable school; returns the fence. */
export function upperFence(values: number[]): number {
  const q = quartiles(values);
  return q.q3 + 3 * q.iqr;
}

