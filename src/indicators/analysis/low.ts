/**
 * LOW: identification of schools with low results (ШНОР, LOW-01) and in unfavourable social
 * conditions (ШФНСУ, LOW-02) with every value that triggered the flag, the groups used by
 * LOW-03..10, strong partner schools (LOW-11) and the risk profile (LOW-12).
 *
 * LOW-01, per year Y and school (pooled over all procedures, retakes excluded):
 *   a) share below the minimum in the worst Q of the reliable schools beyond sampling noise: the
 *      lower Wilson bound of the school's share ≥ the (1 − Q) quantile of the schools' shares, or
 *   b) mean z < −D, where z is the school's mean % of maximum in a work standardised by the
 *      mean and sd of the school means of that work, averaged over the school's works;
 * flagged when (a) or (b) holds in each of the K years Y−K+1 … Y; NULL (not evaluated) when fewer
 * than K years of data exist. Schools with fewer than minGroupSize participants in a year are not
 * evaluated that year (unreliable).
 */
import { hasColumn, hasTable, lit, resultsSql, workMaxSql } from '../sql';
import { mean, quantile, sd, wilson } from '../stats';
import type { IndicatorContext } from '../types';
import { groupBy, num, query, queryPaged, perRun } from './common';
import { objectivityOf } from './objectivity';
import { SUMMARY_PAGE_ROWS } from './objectivity-common';
import { breathe } from '../yield';

export interface LowYearCriteria {
  year: number;
  school_id: string;
  n: number;
  reliable: boolean;
  below: number;
  below_share: number | null;
  below_cutoff: number | null;
  mean_z: number | null;
  worst_quantile: boolean;
  low_mean: boolean;
  meets: boolean;
}

export interface LowFlag {
  year: number;
  school_id: string;
  /** null = not evaluated (too few years or unreliable). */
  flagged: boolean | null;
  reasons: string[];
}

const pct = (v: number | null) => (v === null || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(1)}%`);

/** One computation per run: LOW-01, the groups of LOW-03…10 and LOW-11 read the same criteria. */
export const lowYearCriteria = perRun((ctx) => computeLowYearCriteria(ctx));

async function computeLowYearCriteria(ctx: IndicatorContext): Promise<LowYearCriteria[]> {
  const shares = await query(
    ctx,
    `SELECT year, school_id, count(*) FILTER (WHERE passed IS NOT NULL) AS n, count(*) FILTER (WHERE NOT passed) AS below
     FROM ${resultsSql(ctx)} WHERE school_id IS NOT NULL GROUP BY ALL`,
  );
  // Paged: ≈37k school-work means on a regional set, which in one piece held the tab's thread.
  const means = await queryPaged(
    ctx,
    `SELECT r.year, r.procedure, r.subject, r.grade, r.school_id, avg(r.primary_score / NULLIF(w.max_primary, 0)) AS m
     FROM ${resultsSql(ctx)} r JOIN ${workMaxSql(ctx)} w USING (year, procedure, subject, grade)
     WHERE r.school_id IS NOT NULL AND r.primary_score IS NOT NULL GROUP BY ALL`,
    [],
    SUMMARY_PAGE_ROWS,
  );
  const z = new Map<string, number[]>();
  for (const list of groupBy(means, (r) => `${r.year}|${r.procedure}|${r.subject}|${r.grade}`).values()) {
    await breathe();
    const xs = list.map((r) => Number(r.m));
    const m = mean(xs);
    const s = sd(xs);
    if (!(s > 0)) continue;
    for (const r of list) {
      const k = `${r.year}|${r.school_id}`;
      let zs = z.get(k);
      if (!zs) z.set(k, (zs = []));
      zs.push((Number(r.m) - m) / s);
    }
  }
  const out: LowYearCriteria[] = [];
  for (const [year, list] of groupBy(shares, (r) => String(r.year))) {
    await breathe();
    const items = list.map((r) => {
      const n = Number(r.n);
      const below = Number(r.below);
      return { school_id: String(r.school_id), n, below, share: n ? below / n : null, reliable: n >= ctx.params.minGroupSize };
    });
    const cutoff = quantile(items.filter((i) => i.reliable && i.share !== null).map((i) => i.share as number), 1 - ctx.params.lowQuantile);
    for (const i of items) {
      const zs = z.get(`${year}|${i.school_id}`) ?? [];
      const mz = zs.length ? mean(zs) : null;
      // In the worst quantile beyond sampling noise: the Wilson lower bound of the share reaches the cutoff.
      const lowBound = i.n ? wilson(i.below, i.n).low : NaN;
      const worst = i.reliable && Number.isFinite(cutoff) && lowBound >= cutoff && i.below > 0;
      const lowMean = i.reliable && mz !== null && mz < -ctx.params.lowSd;
      out.push({
        year: Number(year),
        school_id: i.school_id,
        n: i.n,
        reliable: i.reliable,
        below: i.below,
        below_share: i.share,
        below_cutoff: Number.isFinite(cutoff) ? cutoff : null,
        mean_z: mz,
        worst_quantile: worst,
        low_mean: lowMean,
        meets: worst || lowMean,
      });
    }
  }
  return out.sort((a, b) => a.year - b.year || a.school_id.localeCompare(b.school_id));
}

export function lowFlags(ctx: IndicatorContext, criteria: LowYearCriteria[]): LowFlag[] {
  const K = ctx.params.lowYears;
  const years = [...new Set(criteria.map((c) => c.year))].sort((a, b) => a - b);
  const byKey = new Map(criteria.map((c) => [`${c.year}|${c.school_id}`, c]));
  return criteria.map((c) => {
    const window = Array.from({ length: K }, (_, i) => c.year - i);
    if (window.some((y) => !years.includes(y))) return { year: c.year, school_id: c.school_id, flagged: null, reasons: [`недостаточно лет данных (нужно ${K})`] };
    const rows = window.map((y) => byKey.get(`${y}|${c.school_id}`));
    if (rows.some((r) => !r || !r.reliable)) return { year: c.year, school_id: c.school_id, flagged: null, reasons: ['ненадёжно: мало участников'] };
    const flagged = rows.every((r) => r!.meets);
    const reasons = flagged
      ? rows.map((r) => {
          const parts = [
            r!.worst_quantile ? `доля не преодолевших порог ${pct(r!.below_share)} (n = ${r!.n}), нижняя граница 95% ДИ ≥ ${pct(r!.below_cutoff)} (худшие ${Math.round(ctx.params.lowQuantile * 100)}%)` : null,
            r!.low_mean ? `средний результат на ${Math.abs(r!.mean_z ?? 0).toFixed(2)} sd ниже среднего по ОО` : null,
          ].filter(Boolean);
          return `${r!.year}: ${parts.join('; ')}`;
        })
      : [];
    return { year: c.year, school_id: c.school_id, flagged, reasons };
  });
}

export interface SocialFlag {
  year: number;
  school_id: string;
  social_index: number | null;
  cutoff: number | null;
  source: boolean | null;
  /** null: unknown — neither criterion says yes, and one the year has data for is empty for this school. */
  flagged: boolean | null;
  reason: string | null;
}

/** Inputs of LOW-02 with no value in a year: then nothing can be said about any school that year. */
export const SOCIAL_INPUTS = 'schools.social_index, schools.shnsu';

/**
 * LOW-02: social_index in the bottom `lowSocialQuantile` of the schools, or the source's shnsu
 * flag. Unknown is not «no»: a criterion counts only in a year where some school has a value for
 * it, and a school is «not ШФНСУ» only when every such criterion is known for it and says no.
 * Years where neither criterion has a value are returned in `emptyYears` (no flags at all).
 */
export async function socialFlags(ctx: IndicatorContext): Promise<SocialFlag[] & { emptyYears?: number[] }> {
  const idx = hasColumn(ctx, 'schools', 'social_index') ? 'social_index' : 'NULL';
  const src = hasColumn(ctx, 'schools', 'shnsu') ? 'shnsu' : 'NULL';
  const rows = await query(ctx, `SELECT year, school_id, ${idx} AS social_index, ${src} AS shnsu FROM schools WHERE coalesce(school_type, '') NOT IN ('ДОО', 'УДО')`);
  const out: SocialFlag[] & { emptyYears?: number[] } = [];
  out.emptyYears = [];
  for (const list of groupBy(rows, (r) => String(r.year)).values()) {
    const cutoff = quantile(list.map((r) => num(r.social_index) ?? NaN), ctx.params.lowSocialQuantile);
    const indexKnown = list.some((r) => num(r.social_index) !== null) && Number.isFinite(cutoff);
    const sourceKnown = list.some((r) => r.shnsu !== null);
    if (!indexKnown && !sourceKnown) {
      out.emptyYears.push(Number(list[0].year));
      continue;
    }
    for (const r of list) {
      const si = num(r.social_index);
      const low = si !== null && indexKnown && si <= cutoff;
      const source = r.shnsu === null ? null : r.shnsu === true;
      const reasons = [low ? `индекс социального благополучия ${si} ≤ ${cutoff.toFixed(3)} (нижние ${Math.round(ctx.params.lowSocialQuantile * 100)}%)` : null, source ? 'отмечена как ШФНСУ в источнике' : null].filter(Boolean);
      const unknown = [indexKnown && si === null ? 'индекс социального благополучия не указан' : null, sourceKnown && source === null ? 'признак ШФНСУ не указан' : null].filter(Boolean);
      const flagged = low || source === true ? true : unknown.length ? null : false;
      out.push({
        year: Number(r.year),
        school_id: String(r.school_id),
        social_index: si,
        cutoff: indexKnown ? cutoff : null,
        source,
        flagged,
        reason: reasons.length ? reasons.join('; ') : flagged === null ? `нет данных: ${unknown.join('; ')}` : null,
      });
    }
  }
  return out;
}

export interface FlagGroups {
  /** The latest evaluated year whose lists define the groups. */
  year: number | null;
  shnor: Set<string>;
  shnsu: Set<string>;
}

/**
 * Groups for LOW-03..10: the schools flagged in the latest year (ШНОР: LOW-01, or schools.shnor = true
 * from the source; ШФНСУ: LOW-02). The same set is followed across all years so that dynamics compare
 * like with like.
 */
export async function flagGroups(ctx: IndicatorContext): Promise<FlagGroups> {
  const flags = lowFlags(ctx, await lowYearCriteria(ctx));
  const evaluated = flags.filter((f) => f.flagged !== null).map((f) => f.year);
  const year = evaluated.length ? Math.max(...evaluated) : null;
  const shnor = new Set(flags.filter((f) => f.year === year && f.flagged).map((f) => f.school_id));
  if (hasTable(ctx, 'schools') && hasColumn(ctx, 'schools', 'shnor')) {
    for (const r of await query(ctx, 'SELECT DISTINCT school_id FROM schools WHERE shnor IS TRUE')) shnor.add(String(r.school_id));
  }
  const social = hasTable(ctx, 'schools') ? await socialFlags(ctx) : [];
  const sYear = social.length ? Math.max(...social.map((s) => s.year)) : null;
  const shnsu = new Set(social.filter((s) => s.year === sYear && s.flagged).map((s) => s.school_id));
  return { year, shnor, shnsu };
}

/** One computation of the groups per run: LOW-03…10 and LOW-11 read the same groups. */
export const flagGroupsOf = perRun((ctx) => flagGroups(ctx));

/**
 * Rows of `from` (a subquery with `school_id`) with their group as column `grp`: a school flagged
 * ШНОР and ШФНСУ gives two rows, a school in neither one row 'остальные', rows without a school none.
 * Only the flagged schools are written into the SQL (a few hundred, not every school of the region),
 * so no scan of `from` is needed to list its schools first.
 */
export function withGroupsSql(groups: FlagGroups, from: string): string {
  const rows = [...[...groups.shnor].map((s) => `(${lit(s)}, 'ШНОР')`), ...[...groups.shnsu].map((s) => `(${lit(s)}, 'ШФНСУ')`)];
  const flagged = rows.length
    ? `(SELECT * FROM (VALUES ${rows.join(', ')}) v(school_id, grp))`
    : '(SELECT CAST(NULL AS VARCHAR) AS school_id, CAST(NULL AS VARCHAR) AS grp WHERE FALSE)';
  return `(SELECT s.*, coalesce(f.grp, 'остальные') AS grp FROM ${from} s LEFT JOIN ${flagged} f ON f.school_id = s.school_id WHERE s.school_id IS NOT NULL)`;
}

export interface PartnerPair {
  year: number;
  school_id: string;
  partner: string | null;
  partner_mean_z: number | null;
  reason: string;
}

/**
 * Schools with any sign of non-objectivity (OBJ-07, all criteria) in the last `lowYears` years up to
 * `year`: their high results may be inflated, so they are neither strong schools nor partners.
 */
async function nonObjectiveSchools(ctx: IndicatorContext, year: number): Promise<Set<string>> {
  const { list } = await objectivityOf(ctx);
  return new Set(list.filter((l) => l.any && l.year <= year && l.year > year - ctx.params.lowYears).map((l) => l.school_id));
}

/**
 * LOW-11: strong schools = reliable schools in the best (1 − Q) quantile of mean z in the latest year,
 * without any sign of non-objectivity (OBJ) in the last K years; each ШНОР gets the strong school of
 * the same settlement type (any type when none) closest in size.
 */
export async function partnerPairs(ctx: IndicatorContext): Promise<{ strong: LowYearCriteria[]; pairs: PartnerPair[] }> {
  const criteria = await lowYearCriteria(ctx);
  const groups = await flagGroupsOf(ctx);
  const year = groups.year ?? (criteria.length ? Math.max(...criteria.map((c) => c.year)) : null);
  const cur = criteria.filter((c) => c.year === year && c.reliable && c.mean_z !== null);
  const zCut = quantile(cur.map((c) => c.mean_z as number), 1 - ctx.params.lowQuantile);
  const doubtful = year === null ? new Set<string>() : await nonObjectiveSchools(ctx, year);
  const strong = cur
    .filter((c) => (c.mean_z as number) >= zCut && !groups.shnor.has(c.school_id) && !doubtful.has(c.school_id))
    .sort((a, b) => (b.mean_z ?? 0) - (a.mean_z ?? 0));
  const info = hasTable(ctx, 'schools')
    ? new Map((await query(ctx, 'SELECT school_id, settlement_type, students_total FROM schools WHERE year = $1', [year])).map((r) => [String(r.school_id), r]))
    : new Map<string, Record<string, unknown>>();
  const pairs: PartnerPair[] = [...groups.shnor].sort().map((school) => {
    const me = info.get(school);
    const same = strong.filter((s) => me && info.get(s.school_id)?.settlement_type === me.settlement_type);
    const pool = same.length ? same : strong;
    const size = num(me?.students_total) ?? 0;
    const best = [...pool].sort((a, b) => Math.abs((num(info.get(a.school_id)?.students_total) ?? 0) - size) - Math.abs((num(info.get(b.school_id)?.students_total) ?? 0) - size))[0];
    return {
      year: year ?? NaN,
      school_id: school,
      partner: best?.school_id ?? null,
      partner_mean_z: best?.mean_z ?? null,
      reason: best ? (same.length ? 'тот же тип населённого пункта, ближайшая по численности' : 'ближайшая по численности сильная ОО') : 'нет сильных ОО',
    };
  });
  return { strong, pairs };
}
