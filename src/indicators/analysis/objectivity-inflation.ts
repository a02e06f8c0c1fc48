/**
 * OBJ-02 «Завышенный средний результат»: the school's ВПР result against what its own journal marks
 * predict. The catalogue's rule (the school's interval above the municipality's) either flags every
 * strong school (the municipal interval is narrow) or, with the spread of school means, none (on a
 * real region of 631 schools its bound lay above the best school). A strong lyceum has high marks
 * AND high results; an inflated result is high for the marks the school itself gave.
 *
 * 1. Per work, the municipal mean % of maximum of the pupils with each journal mark (2, 3, 4): a pupil's
 *    prediction is the mean of the pupils with the same mark. The top mark «5» is left out: it has no
 *    ceiling, so a strong lyceum's pupils score above what an average «5» means without any inflation
 *    (a linear fit on all marks flagged exactly such a lyceum in the tests).
 * 2. Per school its mean residual r̄ (result minus prediction) and the residual variance s² within it;
 *    pooled over the works of a procedure in a year for the flag (one test per school and year).
 * 3. Schools differ honestly (marking habits, intake): the between-school spread τ of r̄ is estimated
 *    robustly — τ² = (1.4826·MAD of r̄)² − median(s²/n) over the reliable schools — so that the inflated
 *    schools themselves do not widen it; centre = median r̄.
 * 4. z = (r̄ − centre) / √(τ² + s²/n): a prediction bound for a new school, not a test against the
 *    precise municipal mean. Flagged when z exceeds the one-sided normal quantile at alpha / (number
 *    of reliable schools) (Bonferroni) AND r̄ lies beyond the far-out fence Q3 + 3·IQR of the reliable
 *    schools' r̄ (the project's rule for criteria without one in the catalogue, as OBJ-01/06: τ from 30
 *    schools is itself uncertain, and a strong school's pupils with a «4» outscore other «4»s), with at
 *    least 8 reliable schools; NULL (not evaluated) when the school has no journal marks 2–4 or there
 *    are too few schools.
 * Single works show the same values unflagged.
 */
import jStat from 'jstat';
import { median, medianAbsoluteDeviation } from 'simple-statistics';
import type { IndicatorContext } from '../types';
import { quartiles } from '../stats';
import { finite, groupBy, workKey, type WorkFilter } from './common';
import { f3, numeric, pct, perSchool, refOf, type Criterion, type WorkRef } from './objectivity-common';
import { breathe } from '../yield';

/** Residual summaries of one school in one work (or pooled): participants with a journal mark 2–4. */
interface Residuals {
  school_id: string;
  n: number;
  /** Mean % of max of all participants, its sd. */
  mean: number;
  sd: number;
  nj: number;
  observed: number;
  /** Σ residuals and Σ (e − ē)² within the school. */
  resid: number;
  ss: number;
}

const MIN_SCHOOLS = 8;
/** Journal marks that predict a result (the top mark «5» has no ceiling, see above). */
const MARKS = [2, 3, 4] as const;

export async function inflatedMeanCriterion(ctx: IndicatorContext, filter?: WorkFilter): Promise<Criterion[]> {
  const summaries = await perSchool(
    ctx,
    filter,
    false,
    numeric('pct'),
    `avg(pct) AS mean, stddev_samp(pct) AS sd, sum(pct) AS total, sum(pct * pct) AS total2,
     ${[2, 3, 4].map((m) => `count(*) FILTER (WHERE journal_mark = ${m}) AS n${m}, sum(pct) FILTER (WHERE journal_mark = ${m}) AS s${m}, sum(pct * pct) FILTER (WHERE journal_mark = ${m}) AS q${m}`).join(', ')}`,
  );
  const perWork: (WorkRef & Residuals & { total: number; total2: number })[] = [];
  for (const work of groupBy(summaries, workKey).values()) {
    await breathe();
    const v = (r: Record<string, unknown>, k: string) => Number(r[k] ?? 0);
    // Municipal mean result of the pupils with each journal mark in this work.
    const markMean = new Map(MARKS.map((m) => [m, work.reduce((s, x) => s + v(x.r, `s${m}`), 0) / work.reduce((s, x) => s + v(x.r, `n${m}`), 0)]));
    for (const x of work) {
      let nj = 0;
      let observed = 0;
      let resid = 0;
      let ee = 0;
      for (const m of MARKS) {
        const [n, sum, sq] = [v(x.r, `n${m}`), v(x.r, `s${m}`), v(x.r, `q${m}`)];
        if (!n) continue;
        const mu = markMean.get(m)!;
        nj += n;
        observed += sum;
        resid += sum - n * mu;
        ee += sq - 2 * mu * sum + n * mu * mu;
      }
      perWork.push(Object.assign(refOf(x), {
        school_id: x.school_id,
        n: x.n,
        mean: Number(x.r.mean),
        sd: Number(x.r.sd),
        total: v(x.r, 'total'),
        total2: v(x.r, 'total2'),
        nj,
        observed,
        resid,
        ss: nj > 0 ? Math.max(0, ee - (resid * resid) / nj) : NaN,
      }));
    }
  }
  const out: Criterion[] = [];
  // Turns for the page between works and schools: a regional set judges ≈40k school-works, which
  // held the tab's thread ≈150 ms (LOW-11, the first reader of the objectivity analysis).
  for (const work of groupBy(perWork, workKey).values()) {
    await breathe();
    out.push(...judge(ctx, refOf(work[0]), work, false));
  }
  // Pooled per procedure and year: Σ residuals, within-school SS plus the between-works part.
  for (const list of groupBy(perWork, (w) => `${w.year}\u0001${w.procedure}`).values()) {
    const pooled: Residuals[] = [];
    for (const [school_id, ws] of groupBy(list, (w) => w.school_id)) {
      await breathe();
      const n = ws.reduce((s, w) => s + w.n, 0);
      const total = ws.reduce((s, w) => s + w.total, 0);
      const total2 = ws.reduce((s, w) => s + w.total2, 0);
      const nj = ws.reduce((s, w) => s + w.nj, 0);
      const resid = ws.reduce((s, w) => s + (w.nj ? w.resid : 0), 0);
      const ss = ws.reduce((s, w) => s + (w.nj ? w.ss + w.nj * (w.resid / w.nj - resid / nj) ** 2 : 0), 0);
      const mean = total / n;
      pooled.push({ school_id, n, mean, sd: n > 1 ? Math.sqrt(Math.max(0, (total2 - n * mean * mean) / (n - 1))) : NaN, nj, observed: ws.reduce((s, w) => s + w.observed, 0), resid, ss });
    }
    const w0 = list[0];
    out.push(...judge(ctx, { year: w0.year, procedure: w0.procedure, subject: 'все предметы', grade: NaN }, pooled, true));
  }
  return out;
}

/** The prediction bound of step 3–4 over the schools of one work (or one pooled procedure-year). */
function judge(ctx: IndicatorContext, ref: WorkRef, schools: Residuals[], flagging: boolean): Criterion[] {
  const minN = ctx.params.minGroupSize;
  const items = schools.map((s) => ({ s, rbar: s.nj > 0 ? s.resid / s.nj : NaN, se2: s.nj > 1 ? s.ss / (s.nj - 1) / s.nj : NaN }));
  const rel = items.filter((i) => i.s.nj >= minN && Number.isFinite(i.rbar) && Number.isFinite(i.se2));
  const k = rel.length;
  const centre = k ? median(rel.map((i) => i.rbar)) : NaN;
  const spread = k > 1 ? 1.4826 * medianAbsoluteDeviation(rel.map((i) => i.rbar)) : NaN;
  const tau2 = k > 1 ? Math.max(0, spread * spread - median(rel.map((i) => i.se2))) : NaN;
  const bound = k ? jStat.normal.inv(1 - ctx.params.alpha / k, 0, 1) : NaN;
  const q = quartiles(rel.map((i) => i.rbar));
  const fence = q.q3 + 3 * q.iqr;
  const totalN = schools.reduce((s, x) => s + x.n, 0);
  const municipalMean = schools.reduce((s, x) => s + x.mean * x.n, 0) / totalN;
  return items.map(({ s, rbar, se2 }) => {
    const reliable = s.nj >= minN;
    const z = (rbar - centre) / Math.sqrt(tau2 + se2);
    const evaluable = k >= MIN_SCHOOLS && Number.isFinite(z);
    const flagged = !flagging ? false : evaluable ? reliable && z > bound && rbar > fence : null;
    const predicted = s.nj ? (s.observed - s.resid) / s.nj : NaN;
    const half = s.n < 2 ? NaN : (1.96 * s.sd) / Math.sqrt(s.n);
    const reason = flagged
      ? `результат ${pct(s.observed / s.nj)} выше ожидаемого по отметкам журнала ${pct(predicted)} на ${f3(100 * rbar, 1)} п. п. (z = ${f3(z)} > ${f3(bound)}, граница ${f3(100 * fence, 1)} п. п.)`
      : flagged === null && flagging
        ? s.nj === 0
          ? 'нет отметок по журналу для сравнения'
          : `мало ОО с отметками по журналу для сравнения (${k} < ${MIN_SCHOOLS})`
        : null;
    return Object.assign({ ...ref }, {
      criterion: 'OBJ-02' as const,
      school_id: s.school_id,
      n: s.n,
      reliable,
      flagged,
      reason,
      values: {
        mean: finite(s.mean),
        low: finite(s.mean - half),
        high: finite(s.mean + half),
        predicted: finite(predicted),
        residual: finite(rbar),
        z: finite(z),
        z_bound: finite(bound),
        fence: finite(fence),
        residual_sd: finite(Math.sqrt(tau2)),
        municipal_mean: finite(municipalMean),
      },
    });
  });
}
