/**
 * Statistics for indicators and notebooks. Quantiles of distributions come from jStat, upper tails
 * from stats/tails.ts (never 1 − cdf, which underflows to 0), descriptive helpers
 * from simple-statistics, k-means from ml-kmeans; only the test statistics themselves are
 * written here (each is a textbook formula, checked in tests against published values).
 * Every function tolerates small or empty input and returns NaN/NULL-like results instead of throwing.
 */
import jStat from 'jstat';
import { mean as ssMean, quantileSorted, sampleStandardDeviation } from 'simple-statistics';
import { kmeans as mlKmeans } from 'ml-kmeans';
import { chiSquareUpperP, clampP, fUpperP, tQuantile, tTwoSidedP } from './stats/tails';

export * from './stats/tails';
export * from './stats/exact';

export const Z95 = 1.959963984540054;

export interface Interval {
  estimate: number;
  low: number;
  high: number;
  n: number;
}

/** Wilson score interval for a share k/n. */
export function wilson(k: number, n: number, level = 0.95): Interval {
  if (!(n > 0)) return { estimate: NaN, low: NaN, high: NaN, n: 0 };
  const z = jStat.normal.inv(1 - (1 - level) / 2, 0, 1);
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { estimate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half), n };
}

export interface MeanInterval extends Interval {
  sd: number;
}

/** Mean with a Student t interval. */
export function tInterval(xs: number[], level = 0.95): MeanInterval {
  const v = clean(xs);
  const n = v.length;
  if (n === 0) return { estimate: NaN, low: NaN, high: NaN, n: 0, sd: NaN };
  const m = ssMean(v);
  if (n < 2) return { estimate: m, low: NaN, high: NaN, n, sd: NaN };
  const sd = sampleStandardDeviation(v);
  const half = tHalfWidth(n, sd, level);
  return { estimate: m, low: m - half, high: m + half, n, sd };
}

/** tInterval from a summary of n values: their mean and sample standard deviation. */
export function tIntervalFromSummary(n: number, mean: number, sd: number, level = 0.95): MeanInterval {
  if (!(n > 0)) return { estimate: NaN, low: NaN, high: NaN, n: 0, sd: NaN };
  if (n < 2) return { estimate: mean, low: NaN, high: NaN, n, sd: NaN };
  const half = tHalfWidth(n, sd, level);
  return { estimate: mean, low: mean - half, high: mean + half, n, sd };
}

const tHalfWidth = (n: number, sd: number, level: number): number => (tQuantile(1 - (1 - level) / 2, n - 1) * sd) / Math.sqrt(n);

/** Mean ± z·s/√n (the normal-approximation interval the objectivity rule OBJ-02 prescribes). */
export function zInterval(xs: number[], z = 1.96): MeanInterval {
  const v = clean(xs);
  const n = v.length;
  if (n < 2) return { estimate: n ? v[0] : NaN, low: NaN, high: NaN, n, sd: NaN };
  const m = ssMean(v);
  const sd = sampleStandardDeviation(v);
  return { estimate: m, low: m - (z * sd) / Math.sqrt(n), high: m + (z * sd) / Math.sqrt(n), n, sd };
}

export interface TestResult {
  statistic: number;
  df: number;
  /** Second degrees of freedom (F tests). */
  df2?: number;
  p: number;
}

/** Welch's unequal-variance t-test (two-sided). */
export function welch(a: number[], b: number[]): TestResult {
  const x = clean(a);
  const y = clean(b);
  if (x.length < 2 || y.length < 2) return { statistic: NaN, df: NaN, p: NaN };
  return welchFromSummary(x.length, ssMean(x), Math.sqrt(variance(x)), y.length, ssMean(y), Math.sqrt(variance(y)));
}

/** Welch's test from two summaries: n, mean and sample standard deviation of each group. */
export function welchFromSummary(n1: number, mean1: number, sd1: number, n2: number, mean2: number, sd2: number): TestResult {
  if (!(n1 >= 2 && n2 >= 2)) return { statistic: NaN, df: NaN, p: NaN };
  const vx = sd1 ** 2 / n1;
  const vy = sd2 ** 2 / n2;
  const se = Math.sqrt(vx + vy);
  if (!(se > 0)) return { statistic: NaN, df: NaN, p: NaN };
  const t = (mean1 - mean2) / se;
  const df = (vx + vy) ** 2 / (vx ** 2 / (n1 - 1) + vy ** 2 / (n2 - 1));
  return { statistic: t, df, p: tTwoSidedP(t, df) };
}

/** One-sample t-test of the mean against `mu` (two-sided). */
export function oneSampleT(a: number[], mu: number): TestResult {
  const x = clean(a);
  if (x.length < 2) return { statistic: NaN, df: NaN, p: NaN };
  const se = Math.sqrt(variance(x) / x.length);
  const t = (ssMean(x) - mu) / se;
  const df = x.length - 1;
  return { statistic: t, df, p: se === 0 ? NaN : tTwoSidedP(t, df) };
}

/** One-way ANOVA over groups (groups with no values are ignored). */
export function anova(groups: number[][]): TestResult {
  const gs = groups.map(clean).filter((g) => g.length > 0);
  const n = gs.reduce((s, g) => s + g.length, 0);
  const k = gs.length;
  if (k < 2 || n - k < 1) return { statistic: NaN, df: k - 1, df2: n - k, p: NaN };
  const grand = gs.flat().reduce((s, v) => s + v, 0) / n;
  let between = 0;
  let within = 0;
  for (const g of gs) {
    const m = ssMean(g);
    between += g.length * (m - grand) ** 2;
    for (const v of g) within += (v - m) ** 2;
  }
  const df1 = k - 1;
  const df2 = n - k;
  if (within === 0) return { statistic: between > 0 ? Infinity : NaN, df: df1, df2, p: between > 0 ? Number.MIN_VALUE : NaN };
  const F = between / df1 / (within / df2);
  return { statistic: F, df: df1, df2, p: fUpperP(F, df1, df2) };
}

/** Summary of one group: n values, their mean and the sum of squared deviations from it. */
export interface GroupSummary {
  n: number;
  mean: number;
  ss: number;
}

/** One-way ANOVA from group summaries (the same test as `anova`, for groups aggregated elsewhere, e.g. in SQL). */
export function anovaFromSummary(groups: GroupSummary[]): TestResult {
  const gs = groups.filter((g) => g.n > 0);
  const n = gs.reduce((s, g) => s + g.n, 0);
  const k = gs.length;
  if (k < 2 || n - k < 1) return { statistic: NaN, df: k - 1, df2: n - k, p: NaN };
  const grand = gs.reduce((s, g) => s + g.n * g.mean, 0) / n;
  const between = gs.reduce((s, g) => s + g.n * (g.mean - grand) ** 2, 0);
  const within = gs.reduce((s, g) => s + g.ss, 0);
  const df1 = k - 1;
  const df2 = n - k;
  if (within === 0) return { statistic: between > 0 ? Infinity : NaN, df: df1, df2, p: between > 0 ? Number.MIN_VALUE : NaN };
  const F = between / df1 / (within / df2);
  return { statistic: F, df: df1, df2, p: fUpperP(F, df1, df2) };
}

/**
 * Kruskal–Wallis from ranks computed elsewhere (e.g. in SQL): per group its size and the sum of the
 * average ranks of its values in the pooled sample, and the tie term Σ(t³−t) over the tied values.
 */
export function kruskalFromRanks(groups: { n: number; rankSum: number }[], ties: number): TestResult {
  const gs = groups.filter((g) => g.n > 0);
  const k = gs.length;
  const n = gs.reduce((s, g) => s + g.n, 0);
  if (k < 2 || n < 3) return { statistic: NaN, df: k - 1, p: NaN };
  const correction = 1 - ties / (n ** 3 - n);
  if (!(correction > 0)) return { statistic: NaN, df: k - 1, p: NaN };
  const H = ((12 / (n * (n + 1))) * gs.reduce((s, g) => s + (g.rankSum * g.rankSum) / g.n, 0) - 3 * (n + 1)) / correction;
  return { statistic: H, df: k - 1, p: chiSquareUpperP(H, k - 1) };
}

/** Kruskal–Wallis H test with the tie correction; χ² approximation with k−1 df. */
export function kruskalWallis(groups: number[][]): TestResult {
  const gs = groups.map(clean).filter((g) => g.length > 0);
  const k = gs.length;
  const all = gs.flatMap((g, gi) => g.map((v) => ({ v, gi })));
  const n = all.length;
  if (k < 2 || n < 3) return { statistic: NaN, df: k - 1, p: NaN };
  all.sort((a, b) => a.v - b.v);
  const ranks = new Array<number>(n);
  let ties = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && all[j + 1].v === all[i].v) j++;
    const r = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) ranks[t] = r;
    const c = j - i + 1;
    ties += c ** 3 - c;
    i = j + 1;
  }
  const sums = new Array<number>(k).fill(0);
  const counts = new Array<number>(k).fill(0);
  all.forEach((a, i) => {
    sums[a.gi] += ranks[i];
    counts[a.gi]++;
  });
  let H = (12 / (n * (n + 1))) * sums.reduce((s, r, i) => s + (r * r) / counts[i], 0) - 3 * (n + 1);
  const correction = 1 - ties / (n ** 3 - n);
  if (correction > 0) H /= correction;
  else return { statistic: NaN, df: k - 1, p: NaN };
  return { statistic: H, df: k - 1, p: chiSquareUpperP(H, k - 1) };
}

/** Pearson χ² test of independence on a contingency table (rows × columns of counts). */
export function chiSquare(table: number[][]): TestResult {
  const rows = table.filter((r) => r.reduce((a, b) => a + b, 0) > 0);
  if (rows.length < 2) return { statistic: NaN, df: NaN, p: NaN };
  const colTotals = rows[0].map((_, j) => rows.reduce((s, r) => s + r[j], 0));
  const cols = colTotals.map((t, j) => (t > 0 ? j : -1)).filter((j) => j >= 0);
  if (cols.length < 2) return { statistic: NaN, df: NaN, p: NaN };
  const total = rows.reduce((s, r) => s + cols.reduce((a, j) => a + r[j], 0), 0);
  let chi = 0;
  for (const r of rows) {
    const rt = cols.reduce((a, j) => a + r[j], 0);
    for (const j of cols) {
      const e = (rt * colTotals[j]) / total;
      chi += (r[j] - e) ** 2 / e;
    }
  }
  const df = (rows.length - 1) * (cols.length - 1);
  return { statistic: chi, df, p: chiSquareUpperP(chi, df) };
}

export interface Correlation {
  rho: number;
  n: number;
  /** Two-sided p-value from the t approximation. */
  p: number;
}

/** Spearman rank correlation (average ranks for ties = Pearson on ranks). */
export function spearman(xs: (number | null)[], ys: (number | null)[]): Correlation {
  const pairs = xs
    .map((x, i) => [x, ys[i]] as const)
    .filter((p): p is readonly [number, number] => isNum(p[0]) && isNum(p[1]));
  const n = pairs.length;
  if (n < 3) return { rho: NaN, n, p: NaN };
  const rx = ranks(pairs.map((p) => p[0]));
  const ry = ranks(pairs.map((p) => p[1]));
  const rho = pearson(rx, ry);
  if (!Number.isFinite(rho)) return { rho: NaN, n, p: NaN };
  // Perfect (tie-free) agreement: the exact permutation p, 2 of the n! orders are as extreme.
  if (Math.abs(rho) === 1) return { rho, n, p: spearmanPerfectP(n) };
  const t = rho * Math.sqrt((n - 2) / (1 - rho * rho));
  return { rho, n, p: tTwoSidedP(t, n - 2) };
}

/** Exact two-sided p of a perfect rank correlation of n untied pairs: 2 / n!. */
export function spearmanPerfectP(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return clampP(2 / f);
}

export function pearson(x: number[], y: number[]): number {
  const mx = ssMean(x);
  const my = ssMean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}

/** Average ranks (1-based). */
export function ranks(xs: number[]): number[] {
  const idx = xs.map((v, i) => ({ v, i })).sort((a, b) => a.v - b.v);
  const out = new Array<number>(xs.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1].v === idx[i].v) j++;
    for (let t = i; t <= j; t++) out[idx[t].i] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

export interface Quartiles {
  q1: number;
  median: number;
  q3: number;
  iqr: number;
}

/** Quartiles (simple-statistics' quantile definition). */
export function quartiles(xs: number[]): Quartiles {
  const v = clean(xs).sort((a, b) => a - b);
  if (!v.length) return { q1: NaN, median: NaN, q3: NaN, iqr: NaN };
  const q1 = quantileSorted(v, 0.25);
  const q3 = quantileSorted(v, 0.75);
  return { q1, median: quantileSorted(v, 0.5), q3, iqr: q3 - q1 };
}

export function quantile(xs: number[], p: number): number {
  const v = clean(xs).sort((a, b) => a - b);
  return v.length ? quantileSorted(v, p) : NaN;
}

export function mean(xs: number[]): number {
  const v = clean(xs);
  return v.length ? ssMean(v) : NaN;
}

export function sd(xs: number[]): number {
  const v = clean(xs);
  return v.length > 1 ? sampleStandardDeviation(v) : NaN;
}

export interface Clustering {
  /** Cluster index (0-based) of each input row. */
  clusters: number[];
  /** Centroids in the ORIGINAL units of the features. */
  centroids: number[][];
  k: number;
}

/**
 * k-means on z-standardised features (missing values imputed with the feature mean), with a
 * fixed seed so the same data always give the same clusters. Clusters are renumbered by
 * descending mean of the first feature, so «кластер 1» is the strongest on it.
 */
export function kmeansClusters(data: (number | null)[][], k: number, seed = 42): Clustering {
  const n = data.length;
  if (n === 0) return { clusters: [], centroids: [], k: 0 };
  const dims = data[0].length;
  const means: number[] = [];
  const sds: number[] = [];
  for (let j = 0; j < dims; j++) {
    const col = data.map((r) => r[j]).filter(isNum);
    means.push(col.length ? ssMean(col) : 0);
    sds.push(col.length > 1 ? sampleStandardDeviation(col) || 1 : 1);
  }
  const z = data.map((r) => r.map((v, j) => ((isNum(v) ? v : means[j]) - means[j]) / sds[j]));
  const kk = Math.max(1, Math.min(k, n));
  const res = mlKmeans(z, kk, { seed, initialization: 'kmeans++', maxIterations: 300 });
  const raw = res.centroids.map((c) => c.map((v, j) => v * sds[j] + means[j]));
  const order = raw.map((c, i) => ({ c, i })).sort((a, b) => b.c[0] - a.c[0]);
  const remap = new Map(order.map((o, newIndex) => [o.i, newIndex]));
  return { clusters: res.clusters.map((c) => remap.get(c) ?? c), centroids: order.map((o) => o.c), k: kk };
}

function variance(v: number[]): number {
  const m = ssMean(v);
  return v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1);
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const clean = (xs: (number | null | undefined)[]): number[] => xs.filter(isNum);
