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
import { hasColumn, hasTable, inList, resultsSql, taskRowsSql, workMaxSql } from '../sql';
import jStat from 'jstat';
import { chiSquare, mean, oneSampleT, quartiles, spearman, welch, zInterval } from '../stats';
import type { IndicatorContext } from '../types';
import { filterSql, finite, groupBy, num, query, workKey, type WorkFilter } from './common';

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
  flagged: boolean;
  /** Russian explanation with the triggering values. */
  reason: string | null;
  /** Named values of the criterion (what the notebook tables show). */
  values: Record<string, number | null>;
}

interface Participant extends WorkRef {
  school_id: string;
  student_id: string;
  primary_score: number | null;
  pct: number | null;
  mark: number | null;
  journal_mark: number | null;
  mark3_from: number | null;
  mark4_from: number | null;
  mark5_from: number | null;
}

const f3 = (v: number | null | undefined, d = 2) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d));
const pct = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : `${(v * 100).toFixed(1)}%`);
export const workLabel = (w: WorkRef) => `${w.procedure} ${w.subject} ${w.grade} кл. ${w.year}`;

export async function loadParticipants(ctx: IndicatorContext, filter?: WorkFilter): Promise<Participant[]> {
  const f = filterSql({ ...filter, school_id: undefined }, 'r');
  const rows = await query(
    ctx,
    `SELECT r.year, r.procedure, r.subject, r.grade, r.school_id, r.student_id, r.primary_score,
        r.primary_score / NULLIF(w.max_primary, 0) AS pct, r.mark, r.journal_mark, r.mark3_from, r.mark4_from, r.mark5_from
     FROM ${resultsSql(ctx)} r LEFT JOIN ${workMaxSql(ctx)} w USING (year, procedure, subject, grade)
     WHERE r.school_id IS NOT NULL AND r.procedure IN ${inList(ctx.params.objProcedures)} ${f.sql}`,
    f.params,
  );
  return rows.map((r) => ({
    year: Number(r.year),
    procedure: String(r.procedure),
    subject: String(r.subject),
    grade: Number(r.grade),
    school_id: String(r.school_id),
    student_id: String(r.student_id),
    primary_score: num(r.primary_score),
    pct: num(r.pct),
    mark: num(r.mark),
    journal_mark: num(r.journal_mark),
    mark3_from: num(r.mark3_from),
    mark4_from: num(r.mark4_from),
    mark5_from: num(r.mark5_from),
  }));
}

const refOf = (p: WorkRef): WorkRef => ({ year: p.year, procedure: p.procedure, subject: p.subject, grade: p.grade });
const isNum = (v: number | null): v is number => v !== null && Number.isFinite(v);

/** Applies a far-out upper fence to one value per reliable school; returns the fence. */
function upperFence(values: number[]): number {
  const q = quartiles(values);
  return q.q3 + 3 * q.iqr;
}

const higher = (p: Participant) => p.mark! > p.journal_mark!;
const lower = (p: Participant) => p.mark! < p.journal_mark!;

/** OBJ-01: ВПР mark vs journal mark. */
export function journalCriterion(ctx: IndicatorContext, ps: Participant[]): Criterion[] {
  const out: Criterion[] = [];
  for (const work of groupBy(ps.filter((p) => isNum(p.mark) && isNum(p.journal_mark)), workKey).values()) {
    const share = (list: Participant[], f: (p: Participant) => boolean) => list.filter(f).length / list.length;
    const workUp = work.filter(higher).length;
    const workDown = work.filter(lower).length;
    const muniUp = workUp / work.length;
    const muniDown = workDown / work.length;
    const items = [...groupBy(work, (p) => p.school_id)].map(([school, list]) => ({
      school,
      list,
      up: share(list, higher),
      down: share(list, lower),
      equal: share(list, (p) => p.mark === p.journal_mark),
      gap2: share(list, (p) => Math.abs(p.mark! - p.journal_mark!) >= 2),
      reliable: list.length >= ctx.params.minGroupSize,
    }));
    const rel = items.filter((i) => i.reliable);
    const upFence = upperFence(rel.map((i) => i.up - muniUp));
    const downFence = upperFence(rel.map((i) => i.down - muniDown));
    const bonf = ctx.params.alpha / Math.max(1, rel.length);
    const differs = (i: (typeof items)[number], f: (p: Participant) => boolean) => {
      const k = i.list.filter(f).length;
      // The rest of the municipality = the whole work minus the school (no per-school rescan).
      const rk = (f === higher ? workUp : workDown) - k;
      const restN = work.length - i.list.length;
      const t = chiSquare([[k, i.list.length - k], [rk, restN - rk]]);
      return Number.isFinite(t.p) && t.p < bonf;
    };
    for (const i of items) {
      const up = i.reliable && rel.length >= 8 && i.up - muniUp > upFence && i.up - muniUp > 0 && differs(i, higher);
      const down = i.reliable && rel.length >= 8 && i.down - muniDown > downFence && i.down - muniDown > 0 && differs(i, lower);
      out.push({
        ...refOf(i.list[0]),
        criterion: 'OBJ-01',
        school_id: i.school,
        n: i.list.length,
        reliable: i.reliable,
        flagged: up || down,
        reason: up
          ? `повысили отметку относительно журнала ${pct(i.up)} при ${pct(muniUp)} по муниципалитету (граница ${pct(muniUp + upFence)})`
          : down
            ? `понизили отметку относительно журнала ${pct(i.down)} при ${pct(muniDown)} по муниципалитету (граница ${pct(muniDown + downFence)})`
            : null,
        values: { lower: i.down, equal: i.equal, higher: i.up, gap2: i.gap2, lower_dev: i.down - muniDown, higher_dev: i.up - muniUp },
      });
    }
  }
  return out;
}

/**
 * OBJ-02: the school's interval (mean % of max ± 1.96·s/√n) lies above the municipality's. The
 * municipality's interval is its mean ± z·σ of the reliable schools' means — the range in which
 * school means normally lie (the standard error of the municipal mean would shrink with the number
 * of participants and flag every genuinely strong school). σ is robust (IQR / 1.349) so the inflated
 * schools do not widen it, and z is Bonferroni-adjusted for the number of schools (alpha / k, two-sided).
 * A school sits a dozen works a year, so the flag is raised on the works of a procedure pooled per
 * school and year (one test per school); single works show their values and intervals unflagged.
 */
export function inflatedMeanCriterion(ctx: IndicatorContext, ps: Participant[], flagging = true): Criterion[] {
  const out: Criterion[] = [];
  for (const work of groupBy(ps.filter((p) => isNum(p.pct)), workKey).values()) {
    const schools = [...groupBy(work, (p) => p.school_id)];
    const muniMean = mean(work.map((p) => p.pct!));
    const reliableMeans = schools.filter(([, l]) => l.length >= ctx.params.minGroupSize).map(([, l]) => mean(l.map((p) => p.pct!)));
    const spread = quartiles(reliableMeans).iqr / 1.349;
    const z = jStat.normal.inv(1 - ctx.params.alpha / (2 * Math.max(1, reliableMeans.length)), 0, 1);
    const muni = { estimate: muniMean, low: muniMean - z * spread, high: muniMean + z * spread };
    for (const [school, list] of schools) {
      const s = zInterval(list.map((p) => p.pct!));
      const reliable = list.length >= ctx.params.minGroupSize;
      const flagged = flagging && reliable && isNum(s.low) && isNum(muni.high) && s.low > muni.high;
      out.push({
        ...refOf(list[0]),
        criterion: 'OBJ-02',
        school_id: school,
        n: list.length,
        reliable,
        flagged,
        reason: flagged
          ? `средний результат ${pct(s.estimate)} [${pct(s.low)}; ${pct(s.high)}] выше интервала муниципалитета [${pct(muni.low)}; ${pct(muni.high)}]`
          : null,
        values: { mean: finite(s.estimate), low: finite(s.low), high: finite(s.high), municipal_mean: finite(muni.estimate), municipal_low: finite(muni.low), municipal_high: finite(muni.high) },
      });
    }
  }
  return out;
}

/** OBJ-03: negative Spearman correlation between journal mark and primary score. */
export function spearmanCriterion(ctx: IndicatorContext, ps: Participant[]): Criterion[] {
  const out: Criterion[] = [];
  for (const work of groupBy(ps.filter((p) => isNum(p.journal_mark) && isNum(p.primary_score)), workKey).values()) {
    for (const [school, list] of groupBy(work, (p) => p.school_id)) {
      const r = spearman(list.map((p) => p.journal_mark), list.map((p) => p.primary_score));
      const reliable = list.length >= ctx.params.minGroupSize;
      const flagged = reliable && isNum(r.rho) && r.rho < 0;
      out.push({
        ...refOf(list[0]),
        criterion: 'OBJ-03',
        school_id: school,
        n: list.length,
        reliable,
        flagged,
        reason: flagged ? `отрицательная корреляция отметки по журналу и первичного балла: ρ = ${f3(r.rho)} (p = ${f3(r.p, 3)})` : null,
        values: { rho: finite(r.rho), p: finite(r.p) },
      });
    }
  }
  return out;
}

/**
 * OBJ-04: K = S(grade N, year Y) / S(grade N+1, year Y+1); far-out fences over the schools (at least
 * 5 reliable ones), and the change itself significant (Welch, alpha / number of schools), since
 * quartiles of a handful of schools are unstable. Reported at (Y+1, N+1).
 */
export function cohortCriterion(ctx: IndicatorContext, ps: Participant[]): Criterion[] {
  const out: Criterion[] = [];
  const S = new Map<string, { mean: number; n: number; values: number[] }>();
  for (const [key, list] of groupBy(ps.filter((p) => isNum(p.pct)), (p) => `${workKey(p)}\u0001${p.school_id}`)) {
    S.set(key, { mean: mean(list.map((p) => p.pct!)), n: list.length, values: list.map((p) => p.pct!) });
  }
  const later = groupBy(ps.filter((p) => isNum(p.pct)), workKey);
  for (const work of later.values()) {
    const w = refOf(work[0]);
    const prevKey = (school: string) => `${w.year - 1}\u0001${w.procedure}\u0001${w.subject}\u0001${w.grade - 1}\u0001${school}`;
    const items = [...new Set(work.map((p) => p.school_id))]
      .map((school) => {
        const before = S.get(prevKey(school));
        const after = S.get(`${workKey(w)}\u0001${school}`);
        if (!before || !after || after.mean <= 0) return null;
        const reliable = before.n >= ctx.params.minGroupSize && after.n >= ctx.params.minGroupSize;
        const t = welch(before.values, after.values);
        return { school, K: before.mean / after.mean, before, after, reliable, p: t.p };
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
      out.push({
        ...w,
        criterion: 'OBJ-04',
        school_id: i.school,
        n: i.after.n,
        reliable: i.reliable,
        flagged: drop || rise,
        reason:
          drop || rise
            ? `${rise ? 'резкий рост' : 'резкое падение'} результатов когорты: ${w.grade - 1} кл. ${w.year - 1} — ${pct(i.before.mean)}, ${w.grade} кл. ${w.year} — ${pct(i.after.mean)}; K = ${f3(i.K)} вне [${f3(lo)}; ${f3(hi)}]`
            : null,
        values: { K: i.K, before: i.before.mean, after: i.after.mean, fence_low: finite(lo), fence_high: finite(hi), direction: rise ? 1 : drop ? -1 : 0 },
      });
    }
  }
  return out;
}

/**
 * OBJ-05: (a) share of participants scoring exactly at a mark boundary or one point above it
 * among those within two points below to one above (b−2 … b+1), school vs the rest of the
 * municipality (χ², flagged when higher and p < alpha); (b) tasks of level повышенный/высокий
 * solved better on average than базовый ones.
 */
export async function boundaryCriterion(ctx: IndicatorContext, ps: Participant[], filter?: WorkFilter): Promise<Criterion[]> {
  const out: Criterion[] = [];
  const levelRates = new Map<string, { easy: number | null; hard: number | null }>();
  if (hasTable(ctx, 'task_scores') && hasTable(ctx, 'tasks') && hasColumn(ctx, 'tasks', 'level')) {
    const f = filterSql({ ...filter, school_id: undefined }, 't');
    const rows = await query(
      ctx,
      `SELECT year, procedure, subject, grade, school_id,
          sum(score) FILTER (WHERE level = 'базовый') / NULLIF(sum(max_score) FILTER (WHERE level = 'базовый'), 0) AS easy,
          sum(score) FILTER (WHERE level IN ('повышенный', 'высокий')) / NULLIF(sum(max_score) FILTER (WHERE level IN ('повышенный', 'высокий')), 0) AS hard
       FROM ${taskRowsSql(ctx)} t WHERE procedure IN ${inList(ctx.params.objProcedures)} ${f.sql} GROUP BY ALL`,
      f.params,
    );
    for (const r of rows) levelRates.set(`${workKey(r)}\u0001${r.school_id}`, { easy: num(r.easy), hard: num(r.hard) });
  }
  for (const work of groupBy(ps.filter((p) => isNum(p.primary_score)), workKey).values()) {
    const bounds = [work[0].mark3_from, work[0].mark4_from, work[0].mark5_from].filter(isNum);
    const zone = (s: number): 'at' | 'below' | null => {
      for (const b of bounds) {
        if (s === b || s === b + 1) return 'at';
        if (s === b - 1 || s === b - 2) return 'below';
      }
      return null;
    };
    const counts = (list: Participant[]) => {
      let at = 0;
      let below = 0;
      for (const p of list) {
        const z = zone(p.primary_score!);
        if (z === 'at') at++;
        else if (z === 'below') below++;
      }
      return { at, below };
    };
    const total = counts(work);
    const tested = new Set(work.map((p) => p.school_id)).size;
    for (const [school, list] of groupBy(work, (p) => p.school_id)) {
      const c = counts(list);
      const rest = { at: total.at - c.at, below: total.below - c.below };
      const share = c.at + c.below > 0 ? c.at / (c.at + c.below) : null;
      const restShare = rest.at + rest.below > 0 ? rest.at / (rest.at + rest.below) : null;
      const test = bounds.length && c.at + c.below > 0 ? chiSquare([[c.at, c.below], [rest.at, rest.below]]) : null;
      const reliable = list.length >= ctx.params.minGroupSize;
      const boundaryFlag = reliable && test !== null && isNum(test.p) && test.p < ctx.params.alpha / Math.max(1, tested) && share !== null && restShare !== null && share > restShare;
      const lr = levelRates.get(`${workKey(list[0])}\u0001${school}`);
      const hardBetter = reliable && !!lr && isNum(lr.easy) && isNum(lr.hard) && lr.hard > lr.easy;
      const reasons = [
        boundaryFlag ? `скопление баллов у границ отметок: ${pct(share)} у границы против ${pct(restShare)} в остальных ОО (χ² p = ${f3(test?.p ?? null, 4)})` : null,
        hardBetter ? `трудные задания решены лучше лёгких: ${pct(lr?.hard)} против ${pct(lr?.easy)}` : null,
      ].filter(Boolean);
      out.push({
        ...refOf(list[0]),
        criterion: 'OBJ-05',
        school_id: school,
        n: list.length,
        reliable,
        flagged: boundaryFlag || hardBetter,
        reason: reasons.length ? reasons.join('; ') : null,
        values: {
          at_boundary: c.at,
          below_boundary: c.below,
          at_share: share,
          municipal_at_share: restShare,
          chi2_p: test ? finite(test.p) : null,
          easy_rate: lr?.easy ?? null,
          hard_rate: lr?.hard ?? null,
        },
      });
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
export function procedureGapCriterion(ctx: IndicatorContext, ps: Participant[]): Criterion[] {
  const out: Criterion[] = [];
  const withMark = ps.filter((p) => isNum(p.mark));
  for (const [key, list] of groupBy(withMark, (p) => `${p.year}\u0001${p.subject}`)) {
    const [year, subject] = key.split('\u0001');
    const vpr = list.filter((p) => p.procedure === 'ВПР');
    const oge = list.filter((p) => p.procedure === 'ОГЭ');
    if (!vpr.length) continue;
    const mOf = (xs: Participant[], f: (p: Participant) => number | null) => mean(xs.map(f).filter(isNum));
    const muniOge = oge.length ? mOf(vpr, (p) => p.mark) - mOf(oge, (p) => p.mark) : NaN;
    const vj = vpr.filter((p) => isNum(p.journal_mark));
    const muniJournal = vj.length ? mOf(vj, (p) => p.mark) - mOf(vj, (p) => p.journal_mark) : NaN;
    const ogeBySchool = groupBy(oge, (p) => p.school_id);
    const schools = [...groupBy(vpr, (p) => p.school_id)].map(([school, sv]) => {
      const so = ogeBySchool.get(school) ?? [];
      const sj = sv.filter((p) => isNum(p.journal_mark));
      const ogeGap = so.length ? mOf(sv, (p) => p.mark) - mOf(so, (p) => p.mark) : NaN;
      const journalGap = sj.length ? mOf(sj, (p) => p.mark) - mOf(sj, (p) => p.journal_mark) : NaN;
      const reliable = sv.length >= ctx.params.minGroupSize && (so.length === 0 || so.length >= ctx.params.minGroupSize);
      const ogeP = so.length ? welch(sv.map((p) => p.mark! - muniOge), so.map((p) => p.mark!)).p : NaN;
      const journalP = sj.length ? oneSampleT(sj.map((p) => p.mark! - p.journal_mark!), muniJournal).p : NaN;
      return { school, n: sv.length, ogeExcess: ogeGap - muniOge, journalExcess: journalGap - muniJournal, ogeGap, journalGap, ogeP, journalP, reliable };
    });
    const rel = schools.filter((s) => s.reliable);
    const ogeFence = upperFence(rel.map((s) => s.ogeExcess).filter(Number.isFinite));
    const jFence = upperFence(rel.map((s) => s.journalExcess).filter(Number.isFinite));
    const bonf = ctx.params.alpha / Math.max(1, rel.length);
    for (const s of schools) {
      const ogeFlag = s.reliable && s.ogeExcess > ogeFence && s.ogeExcess > 0 && s.ogeP < bonf;
      // ВПР vs journal is flagged by OBJ-01 (pooled); here it is shown, not flagged twice.
      const jFlag = false && jFence < s.journalExcess && s.journalP < bonf;
      const reasons = [
        ogeFlag ? `отметки ВПР выше отметок ОГЭ на ${f3(s.ogeGap)} при ${f3(muniOge)} по муниципалитету` : null,
        jFlag ? `отметки ВПР выше журнальных на ${f3(s.journalGap)} при ${f3(muniJournal)} по муниципалитету` : null,
      ].filter(Boolean);
      out.push({
        year: Number(year),
        procedure: 'ВПР',
        subject,
        grade: NaN,
        criterion: 'OBJ-06',
        school_id: s.school,
        n: s.n,
        reliable: s.reliable,
        flagged: ogeFlag || jFlag,
        reason: reasons.length ? reasons.join('; ') : null,
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

/** Subject label of the per-school-year rows pooled over all works of a procedure. */
export const POOLED_SUBJECT = 'все предметы';

/**
 * Small schools have fewer than minGroupSize participants in most single works, so OBJ-01..03 are
 * also evaluated on all works of a procedure in a year pooled (subject 'все предметы', grade NULL);
 * the primary score is replaced by the % of maximum so that works are comparable.
 */
export function poolWorks(ps: Participant[]): Participant[] {
  return ps.map((p) => ({ ...p, subject: POOLED_SUBJECT, grade: NaN, primary_score: p.pct, mark3_from: null, mark4_from: null, mark5_from: null }));
}

export const FEDERAL_CRITERIA = ['OBJ-02', 'OBJ-03', 'OBJ-04'] as const;

export async function objectivity(ctx: IndicatorContext, filter?: WorkFilter): Promise<ObjectivityResult> {
  const ps = await loadParticipants(ctx, filter);
  const pooled = poolWorks(ps);
  const criteria = [
    ...journalCriterion(ctx, ps),
    ...journalCriterion(ctx, pooled),
    ...inflatedMeanCriterion(ctx, ps, false),
    ...inflatedMeanCriterion(ctx, pooled),
    ...spearmanCriterion(ctx, ps),
    ...spearmanCriterion(ctx, pooled),
    ...cohortCriterion(ctx, ps),
    ...(await boundaryCriterion(ctx, ps, filter)),
    ...procedureGapCriterion(ctx, ps),
  ];
  const list: ObjectivityResult['list'] = [];
  const level: ObjectivityResult['level'] = [];
  const flagsOf = groupBy(
    criteria.filter((c) => c.flagged),
    (c) => `${c.year}\u0001${c.school_id}`,
  );
  for (const [year, yps] of groupBy(ps, (p) => String(p.year))) {
    const schools = [...new Set(yps.map((p) => p.school_id))].sort();
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
