import { describe, expect, test } from 'vitest';
import {
  anova,
  anovaFromSummary,
  chiSquare,
  kmeansClusters,
  kruskalFromRanks,
  kruskalWallis,
  quartiles,
  spearman,
  tInterval,
  tIntervalFromSummary,
  welch,
  welchFromSummary,
  wilson,
} from '../../../src/indicators/stats';

// Reference values computed with SciPy 1.17 (scipy.stats), i.e. independently of this code.
const a = [12.1, 14.3, 11.8, 13.9, 15.2, 12.7, 13.3];
const b = [10.2, 11.9, 12.4, 10.8, 11.1, 13.0, 9.7, 10.5];
const c = [9.1, 8.4, 10.2, 9.9];

describe('stats against SciPy', () => {
  test('Wilson interval', () => {
    const w = wilson(81, 263);
    expect(w.low).toBeCloseTo(0.2552885198782742, 9);
    expect(w.high).toBeCloseTo(0.36620957698280004, 9);
    expect(wilson(0, 0).n).toBe(0);
    expect(wilson(0, 5).low).toBe(0);
  });
  test('t interval', () => {
    const t = tInterval(a);
    expect(t.low).toBeCloseTo(12.194972729618126, 7);
    expect(t.high).toBeCloseTo(14.462170127524729, 7);
    expect(t.n).toBe(7);
  });
  test('Welch t', () => {
    const r = welch(a, b);
    expect(r.statistic).toBeCloseTo(3.4677742366740905, 9);
    expect(r.df).toBeCloseTo(12.416075896436311, 9);
    expect(r.p).toBeCloseTo(0.004434688994573943, 8);
  });
  test('one-way ANOVA', () => {
    const r = anova([a, b, c]);
    expect(r.statistic).toBeCloseTo(16.560564519753694, 9);
    expect(r.p).toBeCloseTo(0.0001267106555761689, 9);
  });
  test('Kruskal–Wallis with ties', () => {
    const r = kruskalWallis([[1, 2, 2, 3, 4], [2, 3, 5, 5, 6], [7, 8, 8, 9]]);
    expect(r.statistic).toBeCloseTo(9.610714285714282, 9);
    expect(r.p).toBeCloseTo(0.00818577700047395, 9);
  });
  test('χ² of independence', () => {
    const r = chiSquare([[10, 20, 30], [25, 15, 5]]);
    expect(r.statistic).toBeCloseTo(23.333333333333336, 9);
    expect(r.df).toBe(2);
    expect(r.p).toBeCloseTo(8.57493910267228e-6, 12);
  });
  test('Spearman, with and without ties', () => {
    const r = spearman([1, 2, 3, 4, 5, 6, 7, 8], [2, 1, 4, 3, 7, 8, 6, 5]);
    expect(r.rho).toBeCloseTo(0.7380952380952381, 12);
    expect(r.p).toBeCloseTo(0.03655276105286081, 9);
    expect(spearman([1, 2, 2, 3, 4], [5, 6, 7, 7, 9]).rho).toBeCloseTo(0.9210526315789475, 12);
    expect(spearman([1, null, 3, 4], [4, 3, null, 1]).n).toBe(2);
  });
  test('quartiles', () => {
    const q = quartiles([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(q.median).toBe(4.5);
    expect(q.iqr).toBeGreaterThan(0);
  });
  test('k-means separates two obvious groups, ordered by the first feature', () => {
    const data = [[1, 1], [1.2, 0.9], [0.9, 1.1], [10, 10], [10.2, 9.8], [9.9, 10.1]];
    const r = kmeansClusters(data, 2);
    expect(r.clusters).toEqual([1, 1, 1, 0, 0, 0]);
    expect(r.centroids[0][0]).toBeCloseTo((10 + 10.2 + 9.9) / 3, 9);
  });
});

// The summary-based versions (fed by SQL aggregates in GIA-07) must agree with the sample-based
// ones. Summaries are computed here in plain TS; ranks by sorting, with ties averaged.
describe('summary-based stats agree with the sample-based ones', () => {
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  // Integer points over a small range so that ties are common; groups differ in size and level.
  const sample = (n: number, shift: number) => Array.from({ length: n }, () => Math.floor(random() * 8 + shift) / 4);
  const summaries = (groups: number[][]) => {
    const pooled = groups.flat().sort((a, b) => a - b);
    const rankOf = new Map<number, number>();
    let ties = 0;
    for (let i = 0; i < pooled.length; ) {
      let j = i;
      while (j + 1 < pooled.length && pooled[j + 1] === pooled[i]) j++;
      rankOf.set(pooled[i], (i + j + 2) / 2);
      ties += (j - i + 1) ** 3 - (j - i + 1);
      i = j + 1;
    }
    const gs = groups.map((g) => {
      const mean = g.reduce((a, b) => a + b, 0) / g.length;
      return { n: g.length, mean, ss: g.reduce((a, x) => a + (x - mean) ** 2, 0), rankSum: g.reduce((a, x) => a + rankOf.get(x)!, 0) };
    });
    return { gs, ties };
  };

  test('random groups with ties: t interval, ANOVA and Kruskal–Wallis', () => {
    for (let round = 0; round < 20; round++) {
      const groups = Array.from({ length: 2 + (round % 4) }, (_, i) => sample(1 + Math.floor(random() * 40), i * 0.7 + (round % 3)));
      const { gs, ties } = summaries(groups);
      expect(ties).toBeGreaterThan(0);
      groups.forEach((g, i) => {
        const a = tInterval(g);
        const b = tIntervalFromSummary(gs[i].n, gs[i].mean, Math.sqrt(gs[i].ss / (gs[i].n - 1)));
        expect(b.n).toBe(a.n);
        expect(b.estimate).toBeCloseTo(a.estimate, 12);
        if (a.n < 2) expect([b.low, b.high]).toEqual([NaN, NaN]);
        else {
          expect(b.low).toBeCloseTo(a.low, 10);
          expect(b.high).toBeCloseTo(a.high, 10);
        }
      });
      const a = anova(groups);
      const b = anovaFromSummary(gs);
      expect([b.df, b.df2]).toEqual([a.df, a.df2]);
      expect(b.statistic).toBeCloseTo(a.statistic, 9);
      expect(b.p).toBeCloseTo(a.p, 10);
      const k = kruskalWallis(groups);
      const r = kruskalFromRanks(gs, ties);
      expect(r.df).toBe(k.df);
      expect(r.statistic).toBeCloseTo(k.statistic, 9);
      expect(r.p).toBeCloseTo(k.p, 10);
    }
  });

  test('random pairs: Welch from summaries equals Welch from the samples', () => {
    const summary = (g: number[]) => {
      const mean = g.reduce((x, y) => x + y, 0) / g.length;
      return [g.length, mean, Math.sqrt(g.reduce((x, v) => x + (v - mean) ** 2, 0) / (g.length - 1))] as const;
    };
    for (let round = 0; round < 30; round++) {
      const x = sample(2 + Math.floor(random() * 40), round % 3);
      const y = sample(2 + Math.floor(random() * 400), 0.5);
      const w = welch(x, y);
      const s = welchFromSummary(...summary(x), ...summary(y));
      expect(s.statistic).toBeCloseTo(w.statistic, 9);
      expect(s.df).toBeCloseTo(w.df, 9);
      expect(s.p).toBeCloseTo(w.p, 10);
    }
    const [na, ma, sa] = summary(a);
    const r = welchFromSummary(na, ma, sa, ...summary(b));
    expect(r.statistic).toBeCloseTo(3.4677742366740905, 9);
    expect(r.df).toBeCloseTo(12.416075896436311, 9);
    expect(r.p).toBeCloseTo(0.004434688994573943, 8);
    expect(welchFromSummary(1, 3, NaN, 5, 2, 1).p).toBeNaN();
    expect(welchFromSummary(4, 3, 0, 5, 2, 0).p).toBeNaN();
  });

  test('the SciPy figures from summaries', () => {
    const { gs, ties } = summaries([[1, 2, 2, 3, 4], [2, 3, 5, 5, 6], [7, 8, 8, 9]]);
    expect(kruskalFromRanks(gs, ties).statistic).toBeCloseTo(9.610714285714282, 9);
    const s = summaries([a, b, c]).gs;
    expect(anovaFromSummary(s).statistic).toBeCloseTo(16.560564519753694, 9);
    expect(anovaFromSummary(s).p).toBeCloseTo(0.0001267106555761689, 9);
    const t = tIntervalFromSummary(s[0].n, s[0].mean, Math.sqrt(s[0].ss / (s[0].n - 1)));
    expect(t.low).toBeCloseTo(12.194972729618126, 7);
    expect(t.high).toBeCloseTo(14.462170127524729, 7);
  });

  test('degenerate input as the sample-based functions: one group, empty groups, constant groups, all tied', () => {
    expect(anovaFromSummary([{ n: 3, mean: 1, ss: 2 }]).p).toBeNaN();
    expect(anovaFromSummary([{ n: 2, mean: 1, ss: 0 }, { n: 0, mean: NaN, ss: 0 }]).p).toBeNaN();
    const constant = anovaFromSummary([{ n: 2, mean: 1, ss: 0 }, { n: 2, mean: 3, ss: 0 }]);
    expect(constant).toEqual(anova([[1, 1], [3, 3]]));
    expect(kruskalFromRanks([{ n: 2, rankSum: 3 }, { n: 1, rankSum: 3 }], 0).p).toBeCloseTo(kruskalWallis([[1, 2], [3]]).p, 12);
    expect(kruskalFromRanks([{ n: 2, rankSum: 4 }, { n: 1, rankSum: 2 }], 24).p).toBeNaN();
    expect(kruskalWallis([[5, 5], [5]]).p).toBeNaN();
    expect(tIntervalFromSummary(0, NaN, NaN).n).toBe(0);
    expect(tIntervalFromSummary(1, 4, NaN)).toEqual(tInterval([4]));
  });
});
