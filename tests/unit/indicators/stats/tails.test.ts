import { describe, expect, test } from 'vitest';
import {
  anovaFromSummary,
  chiSquare,
  chiSquareUpperP,
  fUpperP,
  fisherExact,
  independenceTest,
  kruskalFromRanks,
  normalUpperP,
  oneSampleT,
  spearman,
  tTwoSidedP,
  welchFromSummary,
} from '../../../../src/indicators/stats';

// Reference figures: closed forms where they exist, otherwise SciPy 1.17 (stats.t.sf, f.sf, chi2.sf,
// norm.sf, fisher_exact) computed outside the project and pasted here.
const rel = (got: number, want: number, digits = 9) => expect(Math.abs(got / want - 1)).toBeLessThan(10 ** -digits);

describe('survival functions are computed directly and never underflow to 0', () => {
  test('closed forms: t with 1 and 2 df, F(2, d2), χ² with 2 and 4 df', () => {
    for (const t of [0.5, 3, 1e3, 1e10]) rel(tTwoSidedP(t, 1), (2 / Math.PI) * Math.atan(1 / t));
    for (const t of [0.7, 40, 1e6]) rel(tTwoSidedP(t, 2), 2 / (Math.sqrt(t * t + 2) * (Math.sqrt(t * t + 2) + t)));
    rel(fUpperP(4.2, 2, 50), (1 + (2 * 4.2) / 50) ** -25);
    for (const x of [1, 50, 1000]) rel(chiSquareUpperP(x, 2), Math.exp(-x / 2));
    rel(chiSquareUpperP(1200, 4), Math.exp(-600) * (1 + 600));
  });

  test('SciPy figures, far in the tail and in the body', () => {
    rel(tTwoSidedP(30, 25000), 2.723143629096894e-194, 7);
    rel(tTwoSidedP(40, 100), 2.462107602140071e-63, 7);
    rel(tTwoSidedP(2.1, 7), 0.07387119621292265);
    rel(fUpperP(60, 3, 20000), 1.3133405906536233e-38, 7);
    rel(fUpperP(1.3, 4, 9), 0.34016783291970787);
    rel(chiSquareUpperP(900, 3), 8.851690237125443e-195, 7);
    rel(chiSquareUpperP(3.2, 2.5), 0.2797151516381101);
    rel(chiSquareUpperP(0.4, 6), 0.9988515187551379);
    rel(normalUpperP(25), 3.056696706382561e-138, 7);
    rel(normalUpperP(20), 2.75362411860633e-89, 7);
  });

  test('the tests built on them report a tiny positive p where 1 − cdf gave exactly 0', () => {
    const w = welchFromSummary(25000, 0.6, 0.2, 25000, 0.5, 0.2);
    expect(w.p).toBeGreaterThan(0);
    rel(w.p, tTwoSidedP(w.statistic, w.df));
    const a = anovaFromSummary([
      { n: 20000, mean: 0.5, ss: 0.04 * 19999 },
      { n: 20000, mean: 0.6, ss: 0.04 * 19999 },
    ]);
    expect(a.p).toBeGreaterThan(0);
    expect(a.p).toBeLessThan(1e-300);
    const c = chiSquare([
      [9000, 1000],
      [5000, 5000],
    ]);
    expect(c.p).toBeGreaterThan(0);
    const k = kruskalFromRanks([{ n: 1000, rankSum: 1000 * 500.5 }, { n: 1000, rankSum: 1000 * 1500.5 }], 0);
    expect(k.p).toBeGreaterThan(0);
    expect(oneSampleT([1, 1.0001, 0.9999, 1.0002, 0.9998], 5).p).toBeGreaterThan(0);
    // A perfect rank correlation: the exact permutation p 2/n!.
    const s = spearman([1, 2, 3, 4, 5, 6], [10, 20, 30, 40, 50, 60]);
    expect(s.p).toBeCloseTo(2 / 720, 12);
  });
});

describe('independence with small expected counts', () => {
  test("Fisher's exact test against SciPy", () => {
    expect(fisherExact(3, 1, 1, 3)).toBeCloseTo(0.48571428571428565, 12);
    expect(fisherExact(8, 2, 1, 5)).toBeCloseTo(0.034965034965034975, 12);
    expect(fisherExact(0, 12, 7, 30)).toBeCloseTo(0.17117548351010048, 12);
  });

  test('χ² when every expected count is ≥ 5, Fisher for a sparse 2×2, said in the method', () => {
    const big = independenceTest([
      [30, 20],
      [20, 30],
    ]);
    expect(big.method).toBe('χ²');
    expect(big.p).toBeCloseTo(chiSquare([[30, 20], [20, 30]]).p, 12);
    const small = independenceTest([
      [8, 2],
      [1, 5],
    ]);
    expect(small.method).toBe('точный критерий Фишера');
    expect(small.p).toBeCloseTo(0.034965034965034975, 12);
  });

  test('r×c Monte-Carlo p is close to the exact permutation p enumerated by brute force, and reproducible', () => {
    const table = [
      [2, 8],
      [5, 5],
      [1, 9],
    ];
    // Exact: every table with these margins, weighted by its multivariate hypergeometric probability.
    const rowT = [10, 10, 10];
    const colT = [8, 22];
    const N = 30;
    const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));
    const choose = (n: number, k: number) => fact(n) / (fact(k) * fact(n - k));
    const x2 = (t: number[][]) => t.reduce((s, r, i) => s + r.reduce((a, o, j) => a + (o - (rowT[i] * colT[j]) / N) ** 2 / ((rowT[i] * colT[j]) / N), 0), 0);
    const observed = x2(table);
    let exact = 0;
    for (let a = 0; a <= 8; a++)
      for (let b = 0; a + b <= 8; b++) {
        const c = 8 - a - b;
        if (a > 10 || b > 10 || c > 10) continue;
        const t = [[a, 10 - a], [b, 10 - b], [c, 10 - c]];
        const prob = (choose(10, a) * choose(10, b) * choose(10, c)) / choose(30, 8);
        if (x2(t) >= observed - 1e-9) exact += prob;
      }
    const mc = independenceTest(table, { seed: 7, reps: 4000 });
    expect(mc.method).toBe('Монте-Карло');
    expect(mc.statistic).toBeCloseTo(4.431818181818182, 10);
    expect(Math.abs(mc.p - exact)).toBeLessThan(0.02);
    expect(independenceTest(table, { seed: 7, reps: 4000 }).p).toBe(mc.p);
  });
});
