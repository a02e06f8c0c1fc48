/**
 * Statistics for pupils clustered in schools, from per-cell sufficient statistics (a cell = the
 * pupils of one school sharing one design row: n, Σy and Σ(y − ȳ)²), never pupil rows: the SQL
 * aggregates per school × group and JavaScript works on small matrices.
 *
 * - `intraclassCorrelation`: one-way ANOVA estimator of the school ICC and the design effect
 *   1 + (m̄ − 1)·ICC, m̄ the mean number of pupils per school.
 * - `clusteredOls`: OLS with cluster-robust (CR1, «sandwich») covariance: the Liang–Zeger meat
 *   Σ_g u_g u_gᵀ, u_g = Σ_{i∈g} x_i e_i, with the small-sample factor G/(G−1)·(N−1)/(N−K) (as Stata's
 *   `vce(cluster)`), and t / F reference distributions with G − 1 denominator degrees of freedom.
 *   Columns that are linear combinations of earlier ones (a factor level found only in one settlement
 *   type, say) are dropped and listed, as R's lm reports aliased coefficients. No interval or test is
 *   reported when there are no more schools than coefficients (the sandwich is then singular), and a
 *   cell fitted exactly has a zero residual, not rounding noise (which gave p-values of noise over noise).
 * No well-kept JavaScript mixed-model library exists; these are textbook formulas checked in the tests
 * against brute-force pupil-level computations.
 */
import { fUpperP, tQuantile, tTwoSidedP } from './tails';

export interface ClusterSummary {
  cluster: string;
  n: number;
  sum: number;
  /** Σ(y − ȳ)² within the cell. */
  ss: number;
}

export interface Icc {
  icc: number;
  designEffect: number;
  /** Mean pupils per school. */
  meanClusterSize: number;
  clusters: number;
  n: number;
}

/** Cells merged per cluster: n, Σy and the within-cluster Σ(y − ȳ)² (Chan's parallel formula). */
export function mergeByCluster(cells: ClusterSummary[]): ClusterSummary[] {
  const by = new Map<string, ClusterSummary>();
  for (const c of cells) {
    if (!(c.n > 0)) continue;
    const m = by.get(c.cluster);
    if (!m) {
      by.set(c.cluster, { ...c });
      continue;
    }
    const delta = c.sum / c.n - m.sum / m.n;
    m.ss += c.ss + (delta * delta * m.n * c.n) / (m.n + c.n);
    m.n += c.n;
    m.sum += c.sum;
  }
  return [...by.values()];
}

/** One-way ANOVA estimator of the ICC: (MSB − MSW) / (MSB + (n₀ − 1)·MSW), n₀ = (N − Σn_j²/N)/(J − 1). */
export function intraclassCorrelation(cells: ClusterSummary[]): Icc {
  const cl = mergeByCluster(cells);
  const J = cl.length;
  const N = cl.reduce((s, c) => s + c.n, 0);
  const none = { icc: NaN, designEffect: NaN, meanClusterSize: J ? N / J : NaN, clusters: J, n: N };
  if (J < 2 || N - J < 1) return none;
  const grand = cl.reduce((s, c) => s + c.sum, 0) / N;
  const msb = cl.reduce((s, c) => s + c.n * (c.sum / c.n - grand) ** 2, 0) / (J - 1);
  const msw = cl.reduce((s, c) => s + c.ss, 0) / (N - J);
  const n0 = (N - cl.reduce((s, c) => s + c.n * c.n, 0) / N) / (J - 1);
  const denom = msb + (n0 - 1) * msw;
  if (!(denom > 0)) return none;
  const icc = (msb - msw) / denom;
  const m = N / J;
  // A negative estimate means no clustering beyond chance: the design effect is then 1, not below it.
  return { icc, designEffect: 1 + (m - 1) * Math.max(0, icc), meanClusterSize: m, clusters: J, n: N };
}

export interface DesignCell {
  cluster: string;
  n: number;
  sum: number;
  /** The design row shared by the cell's pupils (intercept included). */
  x: number[];
}

export interface ClusteredFit {
  /** Coefficients in the order of the design columns; NaN for aliased columns. */
  beta: number[];
  se: number[];
  /** Cluster-robust covariance over the kept columns (indexes into `kept`). */
  vcov: number[][];
  kept: number[];
  aliased: number[];
  n: number;
  clusters: number;
  /** Residual degrees of freedom of the t and F references: clusters − 1. */
  df: number;
}

/** Cholesky factor of the kept columns, skipping a column whose residual pivot is ≤ tol of its diagonal. */
function choleskyKeep(a: number[][], tol = 1e-9): { L: number[][]; kept: number[] } {
  const kept: number[] = [];
  const L: number[][] = [];
  for (let j = 0; j < a.length; j++) {
    // Row j of L against the kept columns: forward substitution.
    const partial: number[] = [];
    for (let ki = 0; ki < kept.length; ki++) {
      let s = a[j][kept[ki]];
      for (let m = 0; m < ki; m++) s -= L[ki][m] * partial[m];
      partial.push(s / L[ki][ki]);
    }
    const d = a[j][j] - partial.reduce((s, v) => s + v * v, 0);
    if (d > tol * Math.max(a[j][j], 1e-300)) {
      kept.push(j);
      L.push([...partial, Math.sqrt(d)]);
    }
  }
  return { L, kept };
}

/** Inverse of L Lᵀ. */
function choleskyInverse(L: number[][]): number[][] {
  const k = L.length;
  const inv: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let col = 0; col < k; col++) {
    const e = new Array<number>(k).fill(0);
    e[col] = 1;
    const y = new Array<number>(k).fill(0);
    for (let i = 0; i < k; i++) {
      let s = e[i];
      for (let m = 0; m < i; m++) s -= L[i][m] * y[m];
      y[i] = s / L[i][i];
    }
    for (let i = k - 1; i >= 0; i--) {
      let s = y[i];
      for (let m = i + 1; m < k; m++) s -= L[m][i] * inv[m][col];
      inv[i][col] = s / L[i][i];
    }
  }
  return inv;
}

/** OLS with CR1 cluster-robust covariance from design cells. */
export function clusteredOls(cells: DesignCell[]): ClusteredFit | null {
  // One order whatever order the engine returned the rows in: floating sums then agree to the bit
  // between DuckDB-WASM and native DuckDB.
  const cs = cells.filter((c) => c.n > 0).sort(byClusterThenRow);
  if (!cs.length) return null;
  // Plain loops over the same terms in the same order as the textbook formulas (GIA-07 fits
  // thousands of these small models: closures and temporary arrays were most of their cost).
  const p = cs[0].x.length;
  const xtx: number[][] = Array.from({ length: p }, () => new Array<number>(p).fill(0));
  const xty = new Array<number>(p).fill(0);
  for (const c of cs) {
    const x = c.x;
    for (let i = 0; i < p; i++) {
      xty[i] += x[i] * c.sum;
      const row = xtx[i];
      for (let j = 0; j < p; j++) row[j] += c.n * x[i] * x[j];
    }
  }
  const { L, kept } = choleskyKeep(xtx);
  const keptSet = new Set(kept);
  const aliased = [...Array(p).keys()].filter((j) => !keptSet.has(j));
  const bread = choleskyInverse(L);
  const K = kept.length;
  const b = new Array<number>(K);
  for (let i = 0; i < K; i++) {
    let s = 0;
    for (let j = 0; j < K; j++) s += bread[i][j] * xty[kept[j]];
    b[i] = s;
  }
  let N = 0;
  for (const c of cs) N += c.n;
  const fitted = new Float64Array(cs.length);
  let scale = 0;
  for (let k = 0; k < cs.length; k++) {
    const c = cs[k];
    let s = 0;
    for (let i = 0; i < K; i++) s += c.x[kept[i]] * b[i];
    fitted[k] = c.n * s;
    scale = Math.max(scale, Math.abs(c.sum), Math.abs(fitted[k]));
  }
  // A residual within rounding of the data's size is an exact fit: left as 1e-16 noise it would
  // become a standard error of 1e-16 and a p-value that is noise over noise.
  const noise = 1e-9 * scale;
  // Cells are sorted by cluster: each cluster's score vector is summed over a run of cells.
  const meat: number[][] = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  const u = new Float64Array(K);
  let G = 0;
  for (let k = 0; k < cs.length; k++) {
    const c = cs[k];
    const resid = Math.abs(c.sum - fitted[k]) <= noise ? 0 : c.sum - fitted[k];
    for (let i = 0; i < K; i++) u[i] += c.x[kept[i]] * resid;
    if (k + 1 === cs.length || cs[k + 1].cluster !== c.cluster) {
      G++;
      for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) meat[i][j] += u[i] * u[j];
      u.fill(0);
    }
  }
  const factor = G > 1 && N > K ? (G / (G - 1)) * ((N - 1) / (N - K)) : NaN;
  const half = sandwichHalf(bread, meat);
  const vcov: number[][] = Array.from({ length: K }, () => new Array<number>(K));
  for (let i = 0; i < K; i++)
    for (let j = 0; j < K; j++) {
      let s = 0;
      for (let m = 0; m < K; m++) s += half[i][m] * bread[m][j];
      vcov[i][j] = factor * s;
    }
  const beta = new Array<number>(p).fill(NaN);
  const se = new Array<number>(p).fill(NaN);
  kept.forEach((j, i) => {
    beta[j] = b[i];
    se[j] = Math.sqrt(Math.max(0, vcov[i][i]));
  });
  return { beta, se, vcov, kept, aliased, n: N, clusters: G, df: G - 1 };
}

/** bread · meat. */
function sandwichHalf(bread: number[][], meat: number[][]): number[][] {
  const K = bread.length;
  const half: number[][] = Array.from({ length: K }, () => new Array<number>(K));
  for (let i = 0; i < K; i++)
    for (let j = 0; j < K; j++) {
      let s = 0;
      for (let m = 0; m < K; m++) s += bread[i][m] * meat[m][j];
      half[i][j] = s;
    }
  return half;
}

function byClusterThenRow(a: DesignCell, b: DesignCell): number {
  if (a.cluster !== b.cluster) return a.cluster < b.cluster ? -1 : 1;
  for (let i = 0; i < a.x.length; i++) if (a.x[i] !== b.x[i]) return a.x[i] - b.x[i];
  return a.n - b.n || a.sum - b.sum;
}

/**
 * Clustered inference needs more schools than coefficients: the G cluster scores sum to zero, so the
 * sandwich has rank ≤ G − 1 and with G − 1 < K its standard errors and tests are artefacts of rounding.
 */
const identified = (fit: ClusteredFit) => fit.df >= fit.kept.length;

export interface Contrast {
  estimate: number;
  se: number;
  low: number;
  high: number;
  p: number;
}

/** One coefficient with its clustered t interval and two-sided p (t with G − 1 df). */
export function coefficient(fit: ClusteredFit, column: number, level = 0.95): Contrast {
  const est = fit.beta[column];
  const se = fit.se[column];
  if (!Number.isFinite(est) || !(se > 0) || !(fit.df > 0) || !identified(fit)) return { estimate: est, se, low: NaN, high: NaN, p: NaN };
  const q = tQuantile(1 - (1 - level) / 2, fit.df);
  return { estimate: est, se, low: est - q * se, high: est + q * se, p: tTwoSidedP(est / se, fit.df) };
}

/**
 * Wald test that the given coefficients are all 0 with the clustered covariance: F = W/q on (q, G − 1) df.
 * NaN when a coefficient is aliased or there are too few clusters for q restrictions.
 */
export function waldTest(fit: ClusteredFit, columns: number[]): { statistic: number; df1: number; df2: number; p: number } {
  const idx = columns.map((c) => fit.kept.indexOf(c));
  const q = idx.length;
  const nan = { statistic: NaN, df1: q, df2: fit.df, p: NaN };
  if (!q || idx.some((i) => i < 0) || fit.df < q || !identified(fit)) return nan;
  const v = idx.map((i) => idx.map((j) => fit.vcov[i][j]));
  const { L, kept } = choleskyKeep(v, 1e-12);
  if (kept.length < q) return nan;
  const vi = choleskyInverse(L);
  const b = idx.map((i) => fit.beta[fit.kept[i]]);
  const W = b.reduce((s, bi, i) => s + bi * vi[i].reduce((t, x, j) => t + x * b[j], 0), 0);
  const F = W / q;
  return { statistic: F, df1: q, df2: fit.df, p: fUpperP(F, q, fit.df) };
}

/**
 * Wald test that the contrasts C·β (rows of `contrasts` over the design columns) are all 0:
 * F = (Cβ)ᵀ (C V Cᵀ)⁻¹ (Cβ) / q on (q, G − 1) df. The test of a factor from its group-means fit (rows
 * e_j − e_ref) equals `waldTest` of the same data's intercept-and-dummies fit, without fitting it.
 */
export function waldContrasts(fit: ClusteredFit, contrasts: number[][]): { statistic: number; df1: number; df2: number; p: number } {
  const q = contrasts.length;
  const nan = { statistic: NaN, df1: q, df2: fit.df, p: NaN };
  const keptSet = new Set(fit.kept);
  if (!q || fit.df < q || !identified(fit) || contrasts.some((r) => r.some((w, j) => w !== 0 && !keptSet.has(j)))) return nan;
  const K = fit.kept.length;
  const C = contrasts.map((r) => fit.kept.map((j) => r[j] ?? 0));
  const cb = C.map((r) => {
    let s = 0;
    for (let i = 0; i < K; i++) s += r[i] * fit.beta[fit.kept[i]];
    return s;
  });
  const v = C.map((a) =>
    C.map((c) => {
      let s = 0;
      for (let i = 0; i < K; i++) {
        if (a[i] === 0) continue;
        for (let j = 0; j < K; j++) s += a[i] * fit.vcov[i][j] * c[j];
      }
      return s;
    }),
  );
  const { L, kept } = choleskyKeep(v, 1e-12);
  if (kept.length < q) return nan;
  const vi = choleskyInverse(L);
  let W = 0;
  for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) W += cb[i] * vi[i][j] * cb[j];
  const F = W / q;
  return { statistic: F, df1: q, df2: fit.df, p: fUpperP(F, q, fit.df) };
}
