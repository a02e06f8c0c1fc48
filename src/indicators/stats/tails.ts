/**
 * Upper-tail probabilities (survival functions) computed directly, never as 1 − cdf: with a
 * regional sample of 25 000 pupils a t statistic of 30 has p ≈ 1e-190, which 1 − cdf rounds to
 * exactly 0. The regularised incomplete beta and gamma functions are evaluated with their front
 * factor in log space and a Lentz continued fraction (Numerical Recipes §6.2, §6.4) that is allowed
 * enough iterations for large shape parameters (jStat stops after 100). A probability below the
 * smallest double is reported as Number.MIN_VALUE, so a reported p is never 0.
 */
import jStat from 'jstat';
import { gammaln } from 'simple-statistics';

const EPS = 1e-15;
const TINY = 1e-300;
const MAX_ITER = 100_000;

/** Never 0 (nor negative from rounding), never above 1; NaN stays NaN. */
export const clampP = (p: number): number => (Number.isNaN(p) ? NaN : Math.min(1, Math.max(Number.MIN_VALUE, p)));

function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITER; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

const logBeta = (a: number, b: number) => gammaln(a) + gammaln(b) - gammaln(a + b);

/** Regularised incomplete beta I_x(a, b), accurate also when it is tiny. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1) || !(a > 0) || !(b > 0)) return NaN;
  if (x === 0) return 0;
  if (x === 1) return 1;
  const logFront = a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) return Math.exp(logFront + Math.log(betaContinuedFraction(x, a, b)) - Math.log(a));
  return 1 - Math.exp(logFront + Math.log(betaContinuedFraction(1 - x, b, a)) - Math.log(b));
}

/** Upper regularised incomplete gamma Q(a, x) = 1 − P(a, x), accurate also when it is tiny. */
export function upperGamma(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) return NaN;
  if (x === 0) return 1;
  const logFront = a * Math.log(x) - x - gammaln(a);
  if (x < a + 1) {
    // Series for the lower part; the upper part is its complement (not small here).
    let sum = 1 / a;
    let del = sum;
    for (let n = 1; n <= MAX_ITER; n++) {
      del *= x / (a + n);
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * EPS) break;
    }
    return 1 - Math.exp(logFront + Math.log(sum));
  }
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.exp(logFront + Math.log(h));
}

/** Two-sided p of Student's t: P(|T| ≥ |t|) with df degrees of freedom. */
export function tTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t) || !(df > 0)) return Number.isNaN(t) ? NaN : Math.abs(t) === Infinity ? Number.MIN_VALUE : NaN;
  return clampP(incompleteBeta(df / (df + t * t), df / 2, 0.5));
}

/** One-sided upper p of Student's t: P(T ≥ t). */
export function tUpperP(t: number, df: number): number {
  const two = tTwoSidedP(t, df);
  return clampP(t >= 0 ? two / 2 : 1 - two / 2);
}

/** Upper tail of the F distribution: P(F ≥ f). */
export function fUpperP(f: number, df1: number, df2: number): number {
  if (Number.isNaN(f) || !(df1 > 0) || !(df2 > 0)) return NaN;
  if (f === Infinity) return Number.MIN_VALUE;
  if (f <= 0) return 1;
  return clampP(incompleteBeta(df2 / (df2 + df1 * f), df2 / 2, df1 / 2));
}

/** Upper tail of χ² with k degrees of freedom: P(X ≥ x). */
export function chiSquareUpperP(x: number, k: number): number {
  if (Number.isNaN(x) || !(k > 0)) return NaN;
  if (x === Infinity) return Number.MIN_VALUE;
  if (x <= 0) return 1;
  return clampP(upperGamma(k / 2, x / 2));
}

/** Upper tail of the standard normal: P(Z ≥ z). */
export function normalUpperP(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z < 0) return clampP(1 - normalUpperP(-z));
  return clampP(upperGamma(0.5, (z * z) / 2) / 2);
}

const tQuantiles = new Map<number, Map<number, number>>();

/**
 * jStat's Student t quantile, remembered per (p, df): each is an inversion of the incomplete beta
 * (≈10 µs), and GIA-07 asks for thousands with the same level and a few hundred df (every group's
 * interval, every clustered coefficient). The same function of the same arguments: equal values.
 */
export function tQuantile(p: number, df: number): number {
  let byDf = tQuantiles.get(p);
  if (!byDf) tQuantiles.set(p, (byDf = new Map()));
  let q = byDf.get(df);
  if (q === undefined) {
    q = jStat.studentt.inv(p, df);
    byDf.set(df, q);
  }
  return q;
}
