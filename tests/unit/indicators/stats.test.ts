import { describe, expect, test } from 'vitest';
import { anova, chiSquare, kmeansClusters, kruskalWallis, quartiles, spearman, tInterval, welch, wilson } from '../../../src/indicators/stats';

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
