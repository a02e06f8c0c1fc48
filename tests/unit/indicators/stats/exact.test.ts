/**
 * The Monte-Carlo independence test keeps each hypergeometric search order it has computed and
 * extends it as draws need (GIA-07 runs hundreds of these tests, 2000 tables each). Its p-values
 * must be exactly those of a fresh search per draw: here a plain reference fills the random tables
 * with the same seeded generator, searching every draw afresh from the mode.
 */
import { describe, expect, test } from 'vitest';
import { independenceTest, seededRandom } from '../../../../src/indicators/stats/exact';

/** One draw by inversion searched outward from the mode: up, then down, in turn. */
function freshDraw(N: number, K: number, n: number, u: number): number {
  const lo = Math.max(0, n + K - N);
  const hi = Math.min(n, K);
  if (lo === hi) return lo;
  let logF = 0;
  const logFact = [0];
  for (let k = 1; k <= N; k++) logFact.push((logF += Math.log(k)));
  const lc = (a: number, b: number) => logFact[a] - logFact[b] - logFact[a - b];
  const mode = Math.min(hi, Math.max(lo, Math.floor(((n + 1) * (K + 1)) / (N + 2))));
  let pUp = Math.exp(lc(K, mode) + lc(N - K, n - mode) - lc(N, n));
  let pDown = pUp;
  let acc = pUp;
  if (u <= acc) return mode;
  let up = mode;
  let down = mode;
  while (up < hi || down > lo) {
    if (up < hi) {
      pUp *= ((K - up) * (n - up)) / ((up + 1) * (N - K - n + up + 1));
      up++;
      acc += pUp;
      if (u <= acc) return up;
    }
    if (down > lo) {
      pDown *= (down * (N - K - n + down)) / ((K - down + 1) * (n - down + 1));
      down--;
      acc += pDown;
      if (u <= acc) return down;
    }
  }
  return mode;
}

/** The Monte-Carlo p of independenceTest, computed with fresh draws. */
function referenceP(table: number[][], seed: number, reps: number): number {
  const rows = table.map((r) => r.reduce((a, b) => a + b, 0));
  const cols = table[0].map((_, j) => table.reduce((s, r) => s + r[j], 0));
  const total = rows.reduce((a, b) => a + b, 0);
  const chi = (t: number[][]) => t.reduce((s, r, i) => s + r.reduce((a, o, j) => a + (o - (rows[i] * cols[j]) / total) ** 2 / ((rows[i] * cols[j]) / total), 0), 0);
  const observed = chi(table);
  const rand = seededRandom(seed);
  let hits = 0;
  for (let b = 0; b < reps; b++) {
    const left = [...cols];
    const t = rows.map((rowTotal) => {
      let need = rowTotal;
      let pop = left.reduce((a, c) => a + c, 0);
      return left.map((c, j) => {
        if (need <= 0) return 0;
        const x = j === left.length - 1 ? need : freshDraw(pop, c, need, rand());
        pop -= c;
        left[j] -= x;
        need -= x;
        return x;
      });
    });
    if (chi(t) >= observed - 1e-9 * Math.max(1, observed)) hits++;
  }
  return (1 + hits) / (1 + reps);
}

describe('Monte-Carlo independence test', () => {
  const tables = [
    [[3, 7], [1, 12], [6, 2], [0, 5]],
    [[30, 470], [2, 40], [5, 90], [12, 130], [1, 9]],
    [[1, 2, 0], [4, 1, 3], [0, 6, 2]],
    [[120, 4000], [3, 60], [40, 900], [2, 11], [0, 7], [9, 300]],
  ];
  test.each(tables.map((t, i) => [i, t] as const))('table %i: the p-value of fresh draws, to the bit', (_, table) => {
    const r = independenceTest(table, { seed: 11, reps: 1500 });
    expect(r.method).toBe('Монте-Карло');
    expect(r.p).toBe(referenceP(table, 11, 1500));
  });
});
