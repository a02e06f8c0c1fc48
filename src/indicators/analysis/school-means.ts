/**
 * GIA-01 detail: mean score of every school in every work with n, sd, 95% t interval, the
 * difference from the municipal mean and Welch's t-test of the school against the rest of the
 * municipality, and the rank among reliable schools (n ≥ minGroupSize; smaller ones are shown
 * as unreliable and not ranked).
 */
import { competitionRanks, resultsSql } from '../sql';
import { tIntervalFromSummary, welchFromSummary } from '../stats';
import type { IndicatorContext } from '../types';
import { filterSql, finite, groupBy, queryPaged, workKey, type WorkFilter } from './common';
import { breathe } from '../yield';

export interface SchoolMean {
  year: number;
  procedure: string;
  subject: string;
  grade: number;
  school_id: string;
  school_type: string | null;
  n: number;
  mean: number | null;
  sd: number | null;
  ci_low: number | null;
  ci_high: number | null;
  municipal_mean: number | null;
  diff: number | null;
  welch_p: number | null;
  reliable: boolean;
  rank: number | null;
}

/**
 * SQL returns one row per (work, school): n, mean and sample sd of the school, plus sums of
 * deviations from the work mean c (centred for numerical stability) for the school and for the
 * whole work, from which the "rest of the municipality" summary follows without a second pass.
 */
export async function schoolMeans(ctx: IndicatorContext, filter?: WorkFilter): Promise<SchoolMean[]> {
  const f = filterSql({ ...filter, school_id: undefined }, 'r');
  const hasSchools = ctx.tables.some((t) => t.name === 'schools');
  // A row per work × school (regional: ≈100k): read a page at a time, so that no single transfer
  // from the database worker holds the page's thread (the regional catalogue's longest block).
  const rows = await queryPaged(
    ctx,
    `WITH base AS (
       SELECT r.year, r.procedure, r.subject, r.grade, r.school_id, ${hasSchools ? 's.school_type' : 'NULL'} AS school_type, r.score AS x,
              avg(r.score) OVER (PARTITION BY r.year, r.procedure, r.subject, r.grade) AS c
       FROM ${resultsSql(ctx)} r ${hasSchools ? 'LEFT JOIN schools s ON s.year = r.year AND s.school_id = r.school_id' : ''}
       WHERE r.score IS NOT NULL AND r.school_id IS NOT NULL ${f.sql}
     ), per_school AS (
       SELECT year, procedure, subject, grade, school_id, any_value(school_type) AS school_type, any_value(c) AS c,
              count(*) AS n, avg(x) AS mean, stddev_samp(x) AS sd, sum(x - c) AS d1, sum((x - c) * (x - c)) AS d2
       FROM base GROUP BY year, procedure, subject, grade, school_id
     )
     SELECT *, sum(n) OVER w AS n_all, sum(d1) OVER w AS d1_all, sum(d2) OVER w AS d2_all
     FROM per_school WINDOW w AS (PARTITION BY year, procedure, subject, grade)
     ORDER BY school_id`,
    f.params,
  );
  const out: SchoolMean[] = [];
  for (const workRows of groupBy(rows, workKey).values()) {
    await breathe();
    const items: SchoolMean[] = [];
    for (const r of workRows) {
      const n = Number(r.n);
      const c = Number(r.c);
      const nAll = Number(r.n_all);
      const municipal = c + Number(r.d1_all) / nAll;
      const t = tIntervalFromSummary(n, Number(r.mean), r.sd === null ? NaN : Number(r.sd));
      const nRest = nAll - n;
      const d1Rest = Number(r.d1_all) - Number(r.d1);
      const ssRaw = Number(r.d2_all) - Number(r.d2) - d1Rest ** 2 / nRest;
      // A constant rest has ssRest exactly 0 (Welch undefined, as with raw values); cancellation leaves a crumb.
      const ssRest = ssRaw > 1e-12 * Number(r.d2_all) ? ssRaw : 0;
      const w = welchFromSummary(n, t.estimate, t.sd, nRest, c + d1Rest / nRest, Math.sqrt(ssRest / (nRest - 1)));
      items.push({
        year: Number(r.year),
        procedure: String(r.procedure),
        subject: String(r.subject),
        grade: Number(r.grade),
        school_id: String(r.school_id),
        school_type: r.school_type === null ? null : String(r.school_type),
        n,
        mean: finite(t.estimate),
        sd: finite(t.sd),
        ci_low: finite(t.low),
        ci_high: finite(t.high),
        municipal_mean: finite(municipal),
        diff: finite(t.estimate - municipal),
        welch_p: finite(w.p),
        reliable: n >= ctx.params.minGroupSize,
        rank: null,
      });
    }
    // Equal means share a rank (the tie rule of sql.ts), never ordered by school code.
    const ranked = items.filter((i) => i.reliable && i.mean !== null);
    const ranks = competitionRanks(ranked.map((i) => i.mean!));
    ranked.forEach((i, k) => (i.rank = ranks[k]));
    out.push(...items);
  }
  if (filter?.school_id) return out.filter((r) => r.school_id === filter.school_id);
  return out;
}
