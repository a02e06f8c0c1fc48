/**
 * Tests of independence that stay valid with small expected counts: the χ² approximation when every
 * expected count is at least 5, otherwise Fisher's exact test (2×2) or a Monte-Carlo test with fixed
 * margins (r×c, seeded, so a run is reproducible). The method used is returned so it can be said on
 * the row.
 */
import { gammaln } from 'simple-statistics';
import { chiSquareUpperP, clampP } from './tails';

export type IndependenceMethod = 'χ²' | 'точный критерий Фишера' | 'Монте-Карло';

export interface IndependenceTest {
  statistic: number;
  df: number;
  p: number;
  method: IndependenceMethod;
  /** The smallest expected count (the reason for the method). */
  minExpected: number;
}

const logChoose = (n: number, k: number) => gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1);

/** Fisher's exact two-sided p for [[a, b], [c, d]]: tables with the same margins no more probable than the observed. */
export function fisherExact(a: number, b: number, c: number, d: number): number {
  const r1 = a + b;
  const c1 = a + c;
  const n = a + b + c + d;
  if (!(n > 0)) return NaN;
  const lo = Math.max(0, r1 + c1 - n);
  const hi = Math.min(r1, c1);
  const logP = (x: number) => logChoose(c1, x) + logChoose(n - c1, r1 - x) - logChoose(n, r1);
  const observed = logP(a);
  let p = 0;
  // Relative tolerance as in R's fisher.test, so that equal probabilities are not lost to rounding.
  for (let x = lo; x <= hi; x++) if (logP(x) <= observed + 1e-7) p += Math.exp(logP(x));
  return clampP(p);
}

/** Seeded uniform generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The hypergeometric distribution (population N, K successes, n draws) searched by inversion outward
 * from the mode, O(sd) steps per draw: `acc[i]` is the probability summed over the first i + 1 values
 * of that search order, `at[i]` the value. A Monte-Carlo test draws from the same (N, K, n) thousands
 * of times (every table's first row, for one), so the search order is kept and extended only as far
 * as a draw needs; a draw is the first value whose running sum reaches u — the same value, from the
 * same sums in the same order, as searching afresh.
 */
class Hypergeometric {
  private readonly acc: number[] = [];
  private readonly at: number[] = [];
  private up: number;
  private down: number;
  private pUp: number;
  private pDown: number;
  private upTurn = true;
  private readonly lo: number;
  private readonly hi: number;

  constructor(
    private readonly N: number,
    private readonly K: number,
    private readonly n: number,
    logFact: Float64Array,
  ) {
    this.lo = Math.max(0, n + K - N);
    this.hi = Math.min(n, K);
    const mode = Math.min(this.hi, Math.max(this.lo, Math.floor(((n + 1) * (K + 1)) / (N + 2))));
    const pmfMode =
      this.lo === this.hi
        ? 1
        : Math.exp(
            logFact[K] - logFact[mode] - logFact[K - mode] + (logFact[N - K] - logFact[n - mode] - logFact[N - K - n + mode]) - (logFact[N] - logFact[n] - logFact[N - n]),
          );
    this.up = this.down = mode;
    this.pUp = this.pDown = pmfMode;
    this.acc.push(pmfMode);
    this.at.push(mode);
  }

  draw(u: number): number {
    if (this.lo === this.hi) return this.lo;
    const acc = this.acc;
    if (u > acc[acc.length - 1]) {
      if (!this.extend(u)) return this.at[0];
      return this.at[acc.length - 1];
    }
    // First index whose running sum reaches u (the sums never decrease).
    let a = 0;
    let b = acc.length - 1;
    while (a < b) {
      const m = (a + b) >> 1;
      if (u <= acc[m]) b = m;
      else a = m + 1;
    }
    return this.at[a];
  }

  /** Continues the search until the running sum reaches u; false when it never does (rounding): the mode. */
  private extend(u: number): boolean {
    while (this.step()) if (u <= this.acc[this.acc.length - 1]) return true;
    return false;
  }

  /** The next value of the search order — one above, then one below the mode, in turn — or false when none is left. */
  private step(): boolean {
    const { N, K, n, lo, hi } = this;
    for (;;) {
      if (!(this.up < hi || this.down > lo)) return false;
      const upTurn = this.upTurn;
      this.upTurn = !upTurn;
      if (upTurn && this.up < hi) {
        this.pUp *= ((K - this.up) * (n - this.up)) / ((this.up + 1) * (N - K - n + this.up + 1));
        this.up++;
        this.push(this.pUp, this.up);
        return true;
      }
      if (!upTurn && this.down > lo) {
        this.pDown *= (this.down * (N - K - n + this.down)) / ((K - this.down + 1) * (n - this.down + 1));
        this.down--;
        this.push(this.pDown, this.down);
        return true;
      }
    }
  }

  private push(p: number, value: number): void {
    this.acc.push(this.acc[this.acc.length - 1] + p);
    this.at.push(value);
  }
}

function pearsonStatistic(table: number[][], rowTotals: number[], colTotals: number[], total: number): number {
  let chi = 0;
  table.forEach((r, i) =>
    r.forEach((o, j) => {
      const e = (rowTotals[i] * colTotals[j]) / total;
      chi += (o - e) ** 2 / e;
    }),
  );
  return chi;
}

/**
 * How many of `reps` random tables with the given margins reach the observed statistic. Each table
 * is filled row by row, each row a multivariate hypergeometric draw, and its χ² summed as the row is
 * drawn (the same terms in the same order as pearsonStatistic). Nothing is allocated per table:
 * thousands of tests × 2000 tables made this the garbage collector's main work in GIA-07.
 */
function monteCarloHits(rowTotals: number[], colTotals: number[], total: number, statistic: number, reps: number, rand: () => number): number {
  // log k! for k ≤ total, once per test (the draws would otherwise call log-gamma millions of times).
  const logFact = new Float64Array(total + 1);
  for (let k = 2; k <= total; k++) logFact[k] = logFact[k - 1] + Math.log(k);
  const R = rowTotals.length;
  const C = colTotals.length;
  const expected = new Float64Array(R * C);
  for (let i = 0; i < R; i++) for (let j = 0; j < C; j++) expected[i * C + j] = (rowTotals[i] * colTotals[j]) / total;
  const colLeft = new Float64Array(C);
  const threshold = statistic - 1e-9 * Math.max(1, statistic);
  // Distributions by (population, successes, draws); bounded, since the later rows of large tables rarely repeat.
  const cache = new Map<number | string, Hypergeometric>();
  // A number key while (total + 1)³ stays an exact integer in a double.
  const T = total + 1;
  const numeric = T < 200_000;
  let cached = 0;
  // Made once per key and kept while fewer than 50 000 are (both caches below count together).
  const remember = <Key>(m: Map<Key, Hypergeometric>, key: Key, N: number, K: number, n: number) => {
    let d = m.get(key);
    if (!d) {
      d = new Hypergeometric(N, K, n, logFact);
      if (cached < 50_000) {
        m.set(key, d);
        cached++;
      }
    }
    return d;
  };
  const distribution = (N: number, K: number, n: number) => remember(cache, numeric ? (N * T + K) * T + n : `${N},${K},${n}`, N, K, n);
  // Two columns (GIA-07's below / not below the minimum): row i always draws n = rowTotals[i] from
  // the population left after the earlier rows, so the successes left are the only varying part of
  // the key; a small integer key per row avoids building (and hashing) a large double per draw.
  const byRow = C === 2 ? rowTotals.map(() => new Map<number, Hypergeometric>()) : [];
  const rowDistribution = (i: number, N: number, K: number, n: number) => remember(byRow[i], K, N, K, n);
  let hits = 0;
  for (let b = 0; b < reps; b++) {
    for (let j = 0; j < C; j++) colLeft[j] = colTotals[j];
    let chi = 0;
    for (let i = 0; i < R; i++) {
      let left = rowTotals[i];
      let pop = 0;
      for (let j = 0; j < C; j++) pop += colLeft[j];
      for (let j = 0; j < C; j++) {
        let x = 0;
        if (left > 0) {
          x = j === C - 1 ? left : (C === 2 ? rowDistribution(i, pop, colLeft[j], left) : distribution(pop, colLeft[j], left)).draw(rand());
          pop -= colLeft[j];
          colLeft[j] -= x;
          left -= x;
        }
        const e = expected[i * C + j];
        chi += (x - e) ** 2 / e;
      }
    }
    if (chi >= threshold) hits++;
  }
  return hits;
}

/**
 * Independence of rows and columns of a table of counts (empty rows and columns dropped): χ² when
 * every expected count ≥ 5; else Fisher's exact test for 2×2 and, for larger tables, the share of
 * `reps` random tables with the same margins whose χ² statistic reaches the observed one ((1 + hits) / (1 + reps)).
 */
export function independenceTest(table: number[][], options: { seed?: number; reps?: number } = {}): IndependenceTest {
  const rows0 = table.filter((r) => r.reduce((a, b) => a + b, 0) > 0);
  const keep = (rows0[0] ?? []).map((_, j) => rows0.some((r) => r[j] > 0));
  const rows = rows0.map((r) => r.filter((_, j) => keep[j]));
  const none = { statistic: NaN, df: NaN, p: NaN, method: 'χ²' as const, minExpected: NaN };
  if (rows.length < 2 || (rows[0]?.length ?? 0) < 2) return none;
  const rowTotals = rows.map((r) => r.reduce((a, b) => a + b, 0));
  const colTotals = rows[0].map((_, j) => rows.reduce((s, r) => s + r[j], 0));
  const total = rowTotals.reduce((a, b) => a + b, 0);
  const minExpected = Math.min(...rowTotals.map((rt) => Math.min(...colTotals.map((ct) => (rt * ct) / total))));
  const statistic = pearsonStatistic(rows, rowTotals, colTotals, total);
  const df = (rows.length - 1) * (colTotals.length - 1);
  if (minExpected >= 5) return { statistic, df, p: chiSquareUpperP(statistic, df), method: 'χ²', minExpected };
  if (rows.length === 2 && colTotals.length === 2) {
    return { statistic, df, p: fisherExact(rows[0][0], rows[0][1], rows[1][0], rows[1][1]), method: 'точный критерий Фишера', minExpected };
  }
  const reps = options.reps ?? 2000;
  const hits = monteCarloHits(rowTotals, colTotals, total, statistic, reps, seededRandom(options.seed ?? 20240501));
  return { statistic, df, p: (1 + hits) / (1 + reps), method: 'Монте-Карло', minExpected };
}
