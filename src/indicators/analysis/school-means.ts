/**
 * GIA-01 detail: mean score of every school in every work with n, sd, 95% t interval, the
 * difference from the municipal mean and Welch's t-test of the school against the rest of the
 * municipality, and the rank among reliable schools (n ≥ minGroupSize; smaller ones are shown
 * as unreliable and not ranked).
 */
import { resultsSql } from '../sql';
import { mean, tInterval, welch } from '../stats';
import type { IndicatorContext } from '../types';
import { filterSql, finite, groupBy, query, workKey, type WorkFilter } from './common';

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

export async function schoolMeans(ctx: IndicatorContext, filter?: WorkFilter): Promise<SchoolMean[]> {
  const f = filterSql({ ...filter, school_id: undefined }, 'r');
  const hasSchools = ctx.tables.some((t) => t.name === 'schools');
  const rows = await query(
    ctx,
    `SELECT r.year, r.procedure, r.subject, r.grade, r.school_id, ${hasSchools ? 's.school_type' : 'NULL'} AS school_type, r.score
     FROM ${resultsSql(ctx)} r ${hasSchools ? 'LEFT JOIN schools s ON s.year = r.year AND s.school_id = r.school_id' : ''}
     WHERE r.score IS NOT NULL AND r.school_id IS NOT NULL ${f.sql}`,
    f.params,
  );
  const out: SchoolMean[] = [];
  for (const workRows of groupBy(rows, workKey).values()) {
    const all = workRows.map((r) => Number(r.score));
    const municipal = mean(all);
    const bySchool = groupBy(workRows, (r) => String(r.school_id));
    const items: SchoolMean[] = [];
    for (const [school, list] of bySchool) {
      const xs = list.map((r) => Number(r.score));
      const rest = workRows.filter((r) => r.school_id !== school).map((r) => Number(r.score));
      const t = tInterval(xs);
      const w = welch(xs, rest);
      const r0 = list[0];
      items.push({
        year: Number(r0.year),
        procedure: String(r0.procedure),
        subject: String(r0.subject),
        grade: Number(r0.grade),
        school_id: school,
        school_type: r0.school_type === null ? null : String(r0.school_type),
        n: xs.length,
        mean: finite(t.estimate),
        sd: finite(t.sd),
        ci_low: finite(t.low),
        ci_high: finite(t.high),
        municipal_mean: finite(municipal),
        diff: finite(t.estimate - municipal),
        welch_p: finite(w.p),
        reliable: xs.length >= ctx.params.minGroupSize,
        rank: null,
      });
    }
    const ranked = items.filter((i) => i.reliable && i.mean !== null).sort((a, b) => (b.mean ?? 0) - (a.mean ?? 0));
    ranked.forEach((i, k) => (i.rank = k + 1));
    out.push(...items);
  }
  if (filter?.school_id) return out.filter((r) => r.school_id === filter.school_id);
  return out;
}
