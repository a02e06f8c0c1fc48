/**
 * Objectivity criteria OBJ-01..06 and the combined list OBJ-07, per school and work, over the
 * procedures of `params.objProcedures` (default ВПР and ОГЭ). Every criterion returns its values
 * and a flag with the reason, so the list can show exactly what triggered it. Schools with fewer
 * than `minGroupSize` participants in a work are marked unreliable and never flagged.
 *
 * Outlier rule for the criteria without a rule in the catalogue (OBJ-01, OBJ-06): Tukey's far-out
 * fence Q3 + 3·IQR over the reliable schools of the same work (the fence OBJ-04 prescribes) AND a
 * test of the school against the rest at alpha / (number of schools) (Bonferroni), because one
 * school is checked in dozens of works a year. OBJ-05's χ² uses the same correction. Quartile
 * fences need at least 8 reliable schools in the work (5 for OBJ-04).
 */
import { independenceTest, quartiles, spearmanPerfectP, tTwoSidedP } from '../stats';
import type { IndicatorContext } from '../types';
import { finite, groupBy, num, query, queryPaged, perRun, workKey, type WorkFilter } from './common';
import {
  f3,
  isNum,
  numeric,
  oneSampleTOf,
  participantsSql,
  pct,
  perSchool,
  refOf,
  sumOf,
  SUMMARY_PAGE_ROWS,
  upperFence,
  welchOf,
  type Criterion,
  type Moments,
} from './objectivity-common';
import { boundaryCriterion } from './objectivity-boundary';
import { inflatedMeanCriterion } from './objectivity-inflation';
import { breathe } from '../yield';

export { POOLED_SUBJECT, workLabel, type Criterion, type WorkRef } from './objectivity-common';

/** OBJ-01: ВПР mark vs journal mark. */
export async function journalCriterion(ctx: IndicatorContext, filter: WorkFilter | undefined, pooled: boolean): Promise<Criterion[]> {
  const out: Criterion[] = [];
  const summaries = await perSchool(
    ctx,
    filter,
    pooled,
    'mark IS NOT NULL AND journal_mark IS NOT NULL',
    `count(*) FILTER (WHERE mark > journal_mark) AS up, count(*) FILTER (WHERE mark < journal_mark) AS down,
     count(*) FILTER (WHERE mark = journal_mark) AS equal, count(*) FILTER (WHERE abs(mark - journal_mark) >= 2) AS gap2`,
  );
  for (const work of groupBy(summaries, workKey).values()) {
    await breathe();
    const workN = sumOf(work, (s) => s.n);
    const workUp = sumOf(work, (s) => Number(s.r.up));
    const workDown = sumOf(work, (s) => Number(s.r.down));
    const muniUp = workUp / workN;
    const muniDown = workDown / workN;
    const items = work.map((s) => ({
      s,
      upN: Number(s.r.up),
      downN: Number(s.r.down),
      up: Number(s.r.up) / s.n,
      down: Number(s.r.down) / s.n,
      equal: Number(s.r.equal) / s.n,
      gap2: Number(s.r.gap2) / s.n,
      reliable: s.n >= ctx.params.minGroupSize,
    }));
    const rel = items.filter((i) => i.reliable);
    const upFence = upperFence(rel.map((i) => i.up - muniUp));
    const downFence = upperFence(rel.map((i) => i.down - muniDown));
    const bonf = ctx.params.alpha / Math.max(1, rel.length);
    // The rest of the municipality = the work's totals minus the school.
    const differs = (n: number, k: number, workK: number) => {
      const rk = workK - k;
      const t = independenceTest([[k, n - k], [rk, workN - n - rk]]);
      return Number.isFinite(t.p) && t.p < bonf;
    };
    for (const i of items) {
      const up = i.reliable && rel.length >= 8 && i.up - muniUp > upFence && i.up - muniUp > 0 && differs(i.s.n, i.upN, workUp);
      const down = i.reliable && rel.length >= 8 && i.down - muniDown > downFence && i.down - muniDown > 0 && differs(i.s.n, i.downN, workDown);
      out.push(Object.assign(refOf(i.s), {
        criterion: 'OBJ-01' as const,
        school_id: i.s.school_id,
        n: i.s.n,
        reliable: i.reliable,
        flagged: up || down,
        reason: up
          ? `повысили отметку относительно журнала ${pct(i.up)} при ${pct(muniUp)} по муниципалитету (граница ${pct(muniUp + upFence)})`
          : down
            ? `понизили отметку относительно журнала ${pct(i.down)} при ${pct(muniDown)} по муниципалитету (граница ${pct(muniDown + downFence)})`
            : null,
        values: { lower: i.down, equal: i.equal, higher: i.up, gap2: i.gap2, lower_dev: i.down - muniDown, higher_dev: i.up - muniUp },
      }));
    }
  }
  return out;
}

/**
 * OBJ-03: negative Spearman correlation between journal mark and primary score (as stats.spearman):
 * Pearson's r of the average ranks within the school's work. The ranks are doubled to integers and
 * the sums kept exact in SQL, so a correlation of exactly zero is 0 and never a rounding-error −0.00 flag.
 * A value's doubled average rank is 2·(rows before its value) + (rows with it) + 1, from the counts
 * per distinct value and a running sum over them: windows over the participants sorted all ≈1M of
 * them twice (regional set, natively on one thread: 1.5 → 0.8 s per work, 1.0 → 0.8 s pooled).
 */
export async function spearmanCriterion(ctx: IndicatorContext, filter: WorkFilter | undefined, pooled: boolean): Promise<Criterion[]> {
  const out: Criterion[] = [];
  const p = participantsSql(ctx, filter, pooled);
  const group = 'year, procedure, subject, grade, school_id';
  const sameGroup = (a: string, b: string) => group.split(', ').map((c) => `${a}.${c} IS NOT DISTINCT FROM ${b}.${c}`).join(' AND ');
  const ranks = (col: string) => `(SELECT ${group}, v, CAST(2 * (sum(c) OVER (PARTITION BY ${group} ORDER BY v ROWS UNBOUNDED PRECEDING) - c) + c + 1 AS HUGEINT) AS r
      FROM (SELECT ${group}, ${col} AS v, count(*) AS c FROM q GROUP BY ALL))`;
  const ranked = `(SELECT q.year, q.procedure, q.subject, q.grade, q.school_id, rx.r AS x, ry.r AS y
      FROM q JOIN rx ON ${sameGroup('q', 'rx')} AND rx.v = q.journal_mark JOIN ry ON ${sameGroup('q', 'ry')} AND ry.v = q.primary_score)`;
  const rows = await queryPaged(
    ctx,
    `WITH q AS MATERIALIZED (SELECT ${group}, journal_mark, primary_score FROM ${p.sql} p WHERE journal_mark IS NOT NULL AND ${numeric('primary_score')}),
       rx AS ${ranks('journal_mark')}, ry AS ${ranks('primary_score')}
     SELECT ${group}, n, CAST(n * sxy - sx * sy AS DOUBLE) AS cov, CAST(n * sxx - sx * sx AS DOUBLE) AS vx, CAST(n * syy - sy * sy AS DOUBLE) AS vy
     FROM (SELECT ${group}, count(*) AS n, sum(x) AS sx, sum(y) AS sy, sum(x * y) AS sxy, sum(x * x) AS sxx, sum(y * y) AS syy FROM ${ranked} t GROUP BY ALL)
     ORDER BY ${group}`,
    p.params,
    SUMMARY_PAGE_ROWS,
  );
  for (const r of rows) {
    // A turn for the page now and then: a p-value per school-work, ≈40k of them on a regional set.
    await breathe();
    const n = Number(r.n);
    const [cov, vx, vy] = [Number(r.cov), Number(r.vx), Number(r.vy)];
    // Clamped: a perfect correlation may round to 1 + ε after the conversion to double.
    const rho = n < 3 || vx === 0 || vy === 0 ? NaN : Math.max(-1, Math.min(1, cov / Math.sqrt(vx * vy)));
    const p =
      !Number.isFinite(rho) ? NaN : Math.abs(rho) === 1 ? spearmanPerfectP(n) : tTwoSidedP(rho * Math.sqrt((n - 2) / (1 - rho * rho)), n - 2);
    const reliable = n >= ctx.params.minGroupSize;
    const flagged = reliable && isNum(rho) && rho < 0;
    out.push({
      year: Number(r.year),
      procedure: String(r.procedure),
      subject: String(r.subject),
      grade: pooled ? NaN : Number(r.grade),
      criterion: 'OBJ-03',
      school_id: String(r.school_id),
      n,
      reliable,
      flagged,
      reason: flagged ? `отрицательная корреляция отметки по журналу и первичного балла: ρ = ${f3(rho)} (p = ${f3(p, 3)})` : null,
      values: { rho: finite(rho), p: finite(p) },
    });
  }
  return out;
}

/**
 * OBJ-04: K = S(grade N, year Y) / S(grade N+1, year Y+1); far-out fences over the schools (at least
 * 5 reliable ones), and the change itself significant (Welch, alpha / number of schools), since
 * quartiles of a handful of schools are unstable. Reported at (Y+1, N+1).
 */
export async function cohortCriterion(ctx: IndicatorContext, filter?: WorkFilter): Promise<Criterion[]> {
  const out: Criterion[] = [];
  const summaries = await perSchool(ctx, filter, false, numeric('pct'), 'avg(pct) AS mean, var_samp(pct) AS variance');
  const S = new Map<string, Moments>();
  for (const s of summaries) S.set(`${workKey(s)}\u0001${s.school_id}`, { n: s.n, mean: Number(s.r.mean), variance: num(s.r.variance) ?? NaN });
  for (const work of groupBy(summaries, workKey).values()) {
    await breathe();
    const w = refOf(work[0]);
    const prevKey = (school: string) => `${w.year - 1}\u0001${w.procedure}\u0001${w.subject}\u0001${w.grade - 1}\u0001${school}`;
    const items = work
      .map(({ school_id: school }) => {
        const before = S.get(prevKey(school));
        const after = S.get(`${workKey(w)}\u0001${school}`);
        if (!before || !after || after.mean <= 0) return null;
        const reliable = before.n >= ctx.params.minGroupSize && after.n >= ctx.params.minGroupSize;
        return { school, K: before.mean / after.mean, before, after, reliable, p: welchOf(before, after) };
      })
      .filter((x): x is NonNullable<typeof x> => x !== null);
    const rel = items.filter((i) => i.reliable).map((i) => i.K);
    if (!items.length) continue;
    const q = quartiles(rel);
    const hi = q.q3 + 3 * q.iqr;
    const lo = q.q1 - 3 * q.iqr;
    const bonf = ctx.params.alpha / Math.max(1, rel.length);
    for (const i of items) {
      const drop = i.reliable && rel.length >= 5 && i.K > hi && i.p < bonf;
      const rise = i.reliable && rel.length >= 5 && i.K < lo && i.p < bonf;
      out.push(Object.assign({ ...w }, {
        criterion: 'OBJ-04' as const,
        school_id: i.school,
        n: i.after.n,
        reliable: i.reliable,
        flagged: drop || rise,
        reason:
          drop || rise
            ? `${rise ? 'резкий рост' : 'резкое падение'} результатов когорты: ${w.grade - 1} кл. ${w.year - 1} — ${pct(i.before.mean)}, ${w.grade} кл. ${w.year} — ${pct(i.after.mean)}; K = ${f3(i.K)} вне [${f3(lo)}; ${f3(hi)}]`
            : null,
        values: { K: i.K, before: i.before.mean, after: i.after.mean, fence_low: finite(lo), fence_high: finite(hi), direction: rise ? 1 : drop ? -1 : 0 },
      }));
    }
  }
  return out;
}

/**
 * OBJ-06: per school and subject in a year, mean ВПР mark (all grades) minus mean ОГЭ mark, and
 * mean ВПР mark minus mean journal mark, each against the municipal gap. Flagged when the ВПР−ОГЭ
 * excess is above the far-out fence over the schools and significant (Welch, Bonferroni); the
 * ВПР−journal gap is reported but flagged by OBJ-01. Reported with procedure 'ВПР', grade NULL.
 */
export async function procedureGapCriterion(ctx: IndicatorContext, filter?: WorkFilter): Promise<Criterion[]> {
  const out: Criterion[] = [];
  const p = participantsSql(ctx, filter, false);
  const rows = await queryPaged(
    ctx,
    `SELECT year, subject, school_id, procedure, count(*) AS n, sum(mark) AS total, avg(mark) AS mean, var_samp(mark) AS variance,
        count(journal_mark) AS nj, sum(mark) FILTER (WHERE journal_mark IS NOT NULL) AS total_j, sum(journal_mark) AS journal_total,
        avg(mark - journal_mark) AS diff_mean, var_samp(mark - journal_mark) AS diff_variance
     FROM ${p.sql} p WHERE mark IS NOT NULL AND procedure IN ('ВПР', 'ОГЭ') GROUP BY ALL ORDER BY year, subject, school_id`,
    p.params,
    SUMMARY_PAGE_ROWS,
  );
  type Row = { school: string; marks: Moments; total: number; nj: number; totalJ: number; journalTotal: number; diff: Moments };
  const toRow = (r: Record<string, unknown>): Row => ({
    school: String(r.school_id),
    marks: { n: Number(r.n), mean: Number(r.mean), variance: num(r.variance) ?? NaN },
    total: Number(r.total),
    nj: Number(r.nj),
    totalJ: num(r.total_j) ?? 0,
    journalTotal: num(r.journal_total) ?? 0,
    diff: { n: Number(r.nj), mean: num(r.diff_mean) ?? NaN, variance: num(r.diff_variance) ?? NaN },
  });
  for (const [key, list] of groupBy(rows, (r) => `${r.year}\u0001${r.subject}`)) {
    await breathe();
    const [year, subject] = key.split('\u0001');
    const vpr = list.filter((r) => r.procedure === 'ВПР').map(toRow);
    const oge = list.filter((r) => r.procedure === 'ОГЭ').map(toRow);
    if (!vpr.length) continue;
    const meanOf = (xs: Row[]) => sumOf(xs, (x) => x.total) / sumOf(xs, (x) => x.marks.n);
    const muniOge = oge.length ? meanOf(vpr) - meanOf(oge) : NaN;
    const vjN = sumOf(vpr, (x) => x.nj);
    const muniJournal = vjN ? sumOf(vpr, (x) => x.totalJ) / vjN - sumOf(vpr, (x) => x.journalTotal) / vjN : NaN;
    const ogeBySchool = new Map(oge.map((x) => [x.school, x]));
    const schools = vpr.map((sv) => {
      const so = ogeBySchool.get(sv.school);
      const ogeGap = so ? sv.marks.mean - so.marks.mean : NaN;
      const journalGap = sv.nj ? sv.totalJ / sv.nj - sv.journalTotal / sv.nj : NaN;
      const reliable = sv.marks.n >= ctx.params.minGroupSize && (!so || so.marks.n >= ctx.params.minGroupSize);
      // The ВПР marks shifted by the municipal gap against the school's ОГЭ marks (a shift keeps the variance).
      const ogeP = so ? welchOf({ ...sv.marks, mean: sv.marks.mean - muniOge }, so.marks) : NaN;
      const journalP = sv.nj ? oneSampleTOf(sv.diff, muniJournal) : NaN;
      return { school: sv.school, n: sv.marks.n, ogeExcess: ogeGap - muniOge, journalExcess: journalGap - muniJournal, ogeGap, journalGap, ogeP, journalP, reliable };
    });
    const rel = schools.filter((s) => s.reliable);
    const ogeFence = upperFence(rel.map((s) => s.ogeExcess).filter(Number.isFinite));
    const bonf = ctx.params.alpha / Math.max(1, rel.length);
    for (const s of schools) {
      // Nothing to compare (no ОГЭ in the school, or too few schools for a fence) is unknown, not «clean».
      // The ВПР−journal gap is shown only: OBJ-01 flags it.
      const comparable = Number.isFinite(s.ogeExcess) && Number.isFinite(ogeFence) && Number.isFinite(s.ogeP);
      const ogeFlag = comparable ? s.reliable && s.ogeExcess > ogeFence && s.ogeExcess > 0 && s.ogeP < bonf : null;
      out.push({
        year: Number(year),
        procedure: 'ВПР',
        subject,
        grade: NaN,
        criterion: 'OBJ-06',
        school_id: s.school,
        n: s.n,
        reliable: s.reliable,
        flagged: ogeFlag,
        reason: ogeFlag ? `отметки ВПР выше отметок ОГЭ на ${f3(s.ogeGap)} при ${f3(muniOge)} по муниципалитету` : comparable ? null : 'нет данных для сравнения ВПР и ОГЭ',
        values: {
          vpr_minus_oge: finite(s.ogeGap),
          vpr_minus_oge_municipal: finite(muniOge),
          vpr_minus_journal: finite(s.journalGap),
          vpr_minus_journal_municipal: finite(muniJournal),
        },
      });
    }
  }
  return out;
}

export interface ObjectivityResult {
  criteria: Criterion[];
  /** OBJ-07: one row per school and year with every flag. */
  list: { year: number; school_id: string; federal: boolean; any: boolean; reasons: string[] }[];
  /** OBJ-07 municipal level per year: 100 − % of schools flagged (federal rule: OBJ-02/03/04; and by all criteria). */
  level: { year: number; schools: number; flagged_federal: number; flagged_any: number; level_federal: number | null; level_any: number | null }[];
}


/**
 * Small schools have fewer than minGroupSize participants in most single works, so OBJ-01..03 are
 * also evaluated on all works of a procedure in a year pooled (subject 'все предметы', grade NULL);
 * the primary score is replaced by the % of maximum so that works are comparable (participantsSql).
 */
export const FEDERAL_CRITERIA = ['OBJ-02', 'OBJ-03', 'OBJ-04'] as const;

/** One objectivity analysis per run (OBJ-01…07 and LOW-11 share it). */
export const objectivityOf = perRun((ctx) => objectivity(ctx));

export async function objectivity(ctx: IndicatorContext, filter?: WorkFilter): Promise<ObjectivityResult> {
  const criteria = [
    ...(await journalCriterion(ctx, filter, false)),
    ...(await journalCriterion(ctx, filter, true)),
    ...(await inflatedMeanCriterion(ctx, filter)),
    ...(await spearmanCriterion(ctx, filter, false)),
    ...(await spearmanCriterion(ctx, filter, true)),
    ...(await cohortCriterion(ctx, filter)),
    ...(await boundaryCriterion(ctx, filter)),
    ...(await procedureGapCriterion(ctx, filter)),
  ];
  const list: ObjectivityResult['list'] = [];
  const level: ObjectivityResult['level'] = [];
  const flagsOf = groupBy(
    criteria.filter((c) => c.flagged),
    (c) => `${c.year}\u0001${c.school_id}`,
  );
  const p = participantsSql(ctx, filter, false);
  const tested = await query(ctx, `SELECT DISTINCT year, school_id FROM ${p.sql} p ORDER BY year, school_id`, p.params);
  for (const [year, yps] of groupBy(tested, (r) => String(Number(r.year)))) {
    await breathe();
    const schools = [...new Set(yps.map((r) => String(r.school_id)))].sort();
    let fed = 0;
    let any = 0;
    for (const school of schools) {
      const flags = flagsOf.get(`${Number(year)}\u0001${school}`) ?? [];
      const federal = flags.some((c) => (FEDERAL_CRITERIA as readonly string[]).includes(c.criterion));
      if (federal) fed++;
      if (flags.length) any++;
      list.push({
        year: Number(year),
        school_id: school,
        federal,
        any: flags.length > 0,
        reasons: flags.map((c) => `${c.criterion} (${c.procedure} ${c.subject}${Number.isFinite(c.grade) ? ` ${c.grade} кл.` : ''}): ${c.reason}`),
      });
    }
    level.push({
      year: Number(year),
      schools: schools.length,
      flagged_federal: fed,
      flagged_any: any,
      level_federal: schools.length ? 100 - (100 * fed) / schools.length : null,
      level_any: schools.length ? 100 - (100 * any) / schools.length : null,
    });
  }
  if (filter?.school_id) {
    return { criteria: criteria.filter((c) => c.school_id === filter.school_id), list: list.filter((l) => l.school_id === filter.school_id), level };
  }
  return { criteria, list, level };
}
