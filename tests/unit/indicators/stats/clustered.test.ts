import { describe, expect, test } from 'vitest';
import { clusteredOls, coefficient, intraclassCorrelation, waldContrasts, waldTest, type DesignCell } from '../../../../src/indicators/stats/clustered';

// A tiny municipality: pupils with school, group (a factor with 3 levels) and a school covariate.
const pupils: { school: string; group: 'a' | 'b' | 'c'; cov: number; y: number }[] = [];
const data: [string, number, [string, number[]][]][] = [
  ['s1', 0.2, [['a', [52, 61, 58, 70]], ['b', [48, 55]]]],
  ['s2', -0.5, [['a', [40, 45, 51]]]],
  ['s3', 1.1, [['b', [66, 72, 69, 75, 80]]]],
  ['s4', 0.0, [['c', [35, 42, 38]], ['a', [50, 47]]]],
  ['s5', -1.2, [['c', [30, 33, 41, 29]]]],
  ['s6', 0.7, [['b', [60, 58]], ['c', [45, 49, 52]]]],
  ['s7', 0.4, [['a', [57, 63, 59]]]],
];
for (const [school, cov, groups] of data) for (const [group, ys] of groups) for (const y of ys) pupils.push({ school, group: group as 'a' | 'b' | 'c', cov, y });

const design = (p: (typeof pupils)[number]) => [1, p.group === 'b' ? 1 : 0, p.group === 'c' ? 1 : 0, p.cov];

/** Gauss–Jordan inverse with partial pivoting (a different algorithm from the product's Cholesky). */
function inverse(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((r, i) => [...r, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
    [m[c], m[piv]] = [m[piv], m[c]];
    const d = m[c][c];
    for (let j = 0; j < 2 * n; j++) m[c][j] /= d;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c];
      for (let j = 0; j < 2 * n; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((r) => r.slice(n));
}
const mul = (a: number[][], b: number[][]) => a.map((r) => b[0].map((_, j) => r.reduce((s, x, k) => s + x * b[k][j], 0)));
const t = (a: number[][]) => a[0].map((_, j) => a.map((r) => r[j]));

describe('clustered OLS from per-cell sums equals the pupil-level sandwich', () => {
  // Brute force over the pupil rows: β = (XᵀX)⁻¹Xᵀy, meat = Σ_g (X_gᵀe_g)(X_gᵀe_g)ᵀ, CR1 factor.
  const X = pupils.map(design);
  const y = pupils.map((p) => [p.y]);
  const B = inverse(mul(t(X), X));
  const beta = mul(B, mul(t(X), y)).map((r) => r[0]);
  const e = pupils.map((p, i) => p.y - design(p).reduce((s, x, j) => s + x * beta[j], 0));
  const schools = [...new Set(pupils.map((p) => p.school))];
  const meat = Array.from({ length: 4 }, () => new Array(4).fill(0));
  for (const s of schools) {
    const u = [0, 0, 0, 0];
    pupils.forEach((p, i) => p.school === s && design(p).forEach((x, j) => (u[j] += x * e[i])));
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) meat[i][j] += u[i] * u[j];
  }
  const G = schools.length;
  const N = pupils.length;
  const V = mul(mul(B, meat), B).map((r) => r.map((v) => (v * G * (N - 1)) / ((G - 1) * (N - 4))));

  const cells: DesignCell[] = [];
  for (const [school, cov, groups] of data)
    for (const [group, ys] of groups) cells.push({ cluster: school, n: ys.length, sum: ys.reduce((a, b) => a + b, 0), x: design({ school, group: group as 'a', cov, y: 0 }) });
  const fit = clusteredOls(cells)!;

  test('coefficients, clustered standard errors and the t interval with G − 1 df', () => {
    expect(fit.aliased).toEqual([]);
    expect(fit.df).toBe(6);
    beta.forEach((b, j) => expect(fit.beta[j]).toBeCloseTo(b, 9));
    V.forEach((r, j) => expect(fit.se[j]).toBeCloseTo(Math.sqrt(r[j]), 9));
    const c = coefficient(fit, 1);
    // t(0.975, 6) = 2.446911851144969 (tables / SciPy).
    expect(c.high - c.estimate).toBeCloseTo(2.446911851144969 * Math.sqrt(V[1][1]), 6);
  });

  test('Wald F for the two group dummies equals βᵀV⁻¹β/2 from the brute-force covariance', () => {
    const Vq = [
      [V[1][1], V[1][2]],
      [V[2][1], V[2][2]],
    ];
    const Vi = inverse(Vq);
    const b = [beta[1], beta[2]];
    const W = b[0] * (Vi[0][0] * b[0] + Vi[0][1] * b[1]) + b[1] * (Vi[1][0] * b[0] + Vi[1][1] * b[1]);
    const w = waldTest(fit, [1, 2]);
    expect(w.statistic).toBeCloseTo(W / 2, 8);
    expect([w.df1, w.df2]).toEqual([2, 6]);
    expect(w.p).toBeGreaterThan(0);
    expect(w.p).toBeLessThan(1);
  });

  test('the same test from the group-means fit (contrasts b − a, c − a) equals βᵀV⁻¹β/2 of the dummies fit', () => {
    // Without the covariate: brute-force dummies fit (intercept, b, c) at pupil level, as above.
    const X2 = pupils.map((p) => design(p).slice(0, 3));
    const B2 = inverse(mul(t(X2), X2));
    const b2 = mul(B2, mul(t(X2), y)).map((r) => r[0]);
    const e2 = pupils.map((p, i) => p.y - X2[i].reduce((s, x, j) => s + x * b2[j], 0));
    const meat2 = Array.from({ length: 3 }, () => new Array(3).fill(0));
    for (const s of schools) {
      const u = [0, 0, 0];
      pupils.forEach((p, i) => p.school === s && X2[i].forEach((x, j) => (u[j] += x * e2[i])));
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) meat2[i][j] += u[i] * u[j];
    }
    const V2 = mul(mul(B2, meat2), B2).map((r) => r.map((v) => (v * G * (N - 1)) / ((G - 1) * (N - 3))));
    const Vi = inverse([[V2[1][1], V2[1][2]], [V2[2][1], V2[2][2]]]);
    const W = b2[1] * (Vi[0][0] * b2[1] + Vi[0][1] * b2[2]) + b2[2] * (Vi[1][0] * b2[1] + Vi[1][1] * b2[2]);
    // The product's means fit: one indicator column per group (a, b, c), no intercept.
    const means = clusteredOls(
      data.flatMap(([school, , groups]) => groups.map(([g, ys]) => ({ cluster: school, n: ys.length, sum: ys.reduce((a, b) => a + b, 0), x: ['a', 'b', 'c'].map((k) => (k === g ? 1 : 0)) }))),
    )!;
    const w = waldContrasts(means, [[-1, 1, 0], [-1, 0, 1]]);
    expect(w.statistic).toBeCloseTo(W / 2, 8);
    expect([w.df1, w.df2]).toEqual([2, 6]);
    // A contrast on a column the fit dropped has no test.
    expect(Number.isNaN(waldContrasts({ ...means, kept: [0, 1] }, [[-1, 0, 1]]).p)).toBe(true);
  });

  test('an aliased column (a copy of the covariate) is dropped and listed, the rest unchanged', () => {
    const dup = clusteredOls(cells.map((c) => ({ ...c, x: [...c.x, 2 * c.x[3]] })))!;
    expect(dup.aliased).toEqual([4]);
    beta.forEach((b, j) => expect(dup.beta[j]).toBeCloseTo(b, 9));
    expect(Number.isNaN(dup.beta[4])).toBe(true);
  });
});

describe('school ICC and design effect', () => {
  test('one-way ANOVA estimator against the pupil-level sums of squares', () => {
    const schools = [...new Set(pupils.map((p) => p.school))];
    const N = pupils.length;
    const J = schools.length;
    const grand = pupils.reduce((s, p) => s + p.y, 0) / N;
    let ssb = 0;
    let ssw = 0;
    let sumN2 = 0;
    for (const s of schools) {
      const ys = pupils.filter((p) => p.school === s).map((p) => p.y);
      const m = ys.reduce((a, b) => a + b, 0) / ys.length;
      ssb += ys.length * (m - grand) ** 2;
      ssw += ys.reduce((a, y) => a + (y - m) ** 2, 0);
      sumN2 += ys.length ** 2;
    }
    const msb = ssb / (J - 1);
    const msw = ssw / (N - J);
    const n0 = (N - sumN2 / N) / (J - 1);
    const icc = (msb - msw) / (msb + (n0 - 1) * msw);
    // Cells are school × group; the estimator merges them per school.
    const cells = [];
    for (const [school, , groups] of data)
      for (const [, ys] of groups) {
        const m = ys.reduce((a, b) => a + b, 0) / ys.length;
        cells.push({ cluster: school, n: ys.length, sum: m * ys.length, ss: ys.reduce((a, y) => a + (y - m) ** 2, 0) });
      }
    const r = intraclassCorrelation(cells);
    expect(r.icc).toBeCloseTo(icc, 10);
    expect(r.icc).toBeGreaterThan(0.3);
    expect(r.designEffect).toBeCloseTo(1 + (N / J - 1) * icc, 10);
    expect([r.clusters, r.n]).toEqual([7, N]);
  });

  test('no clustering: identical school means give ICC ≤ 0 and design effect 1', () => {
    const r = intraclassCorrelation([
      { cluster: 'x', n: 3, sum: 30, ss: 8 },
      { cluster: 'y', n: 3, sum: 30, ss: 8 },
      { cluster: 'z', n: 3, sum: 30, ss: 8 },
    ]);
    expect(r.icc).toBeCloseTo(-0.5, 10);
    expect(r.designEffect).toBe(1);
  });
});

describe('clustered inference that the data cannot support is not reported', () => {
  // Found by the browser/native parity run: the share below the minimum was 0 in every school but
  // one, alone in its settlement type, so the model fits exactly; the residuals were 1e-16 noise
  // and the reported p-value (0.84 in one engine, 0.95 in the other) was noise over noise.
  const exact: DesignCell[] = [
    { cluster: 'sch220000', n: 4, sum: 0, x: [1, 0, 0, 0, 7.09, 0.584] },
    { cluster: 'sch220001', n: 7, sum: 0, x: [1, 0, 0, 1, 2.7, 0.776] },
    { cluster: 'sch220002', n: 8, sum: 0, x: [1, 0, 0, 1, 11.73, 0.641] },
    { cluster: 'sch220011', n: 6, sum: 2, x: [1, 1, 1, 0, 3.24, 0.325] },
    { cluster: 'sch220008', n: 3, sum: 0, x: [1, 1, 0, 1, 4.86, 0.442] },
    { cluster: 'sch220005', n: 4, sum: 0, x: [1, 1, 0, 1, 8.34, 0.645] },
    { cluster: 'sch220010', n: 3, sum: 0, x: [1, 1, 0, 0, 12.79, 0.313] },
    { cluster: 'sch220004', n: 8, sum: 0, x: [1, 0, 0, 0, 9.32, 0.535] },
    { cluster: 'sch220007', n: 8, sum: 0, x: [1, 0, 0, 1, 3.81, 0.582] },
  ];

  test('an exact fit has no standard error, interval or p-value, in any row order', () => {
    for (const cells of [exact, [...exact].reverse()]) {
      const fit = clusteredOls(cells)!;
      // 2 of the 6 pupils of the one school of that settlement type: the coefficient is 1/3.
      expect(fit.beta[2]).toBeCloseTo(1 / 3, 12);
      expect(fit.se.every((s) => s === 0)).toBe(true);
      expect(Number.isNaN(coefficient(fit, 1).p)).toBe(true);
      expect(Number.isNaN(waldTest(fit, [1]).p)).toBe(true);
    }
  });

  test('the result does not depend on the order the rows arrive in', () => {
    const noisy = exact.map((c, i) => ({ ...c, sum: c.sum + (i % 3) }));
    const a = clusteredOls(noisy)!;
    const b = clusteredOls([...noisy].reverse())!;
    expect(b.beta).toEqual(a.beta);
    expect(b.se).toEqual(a.se);
    expect(waldTest(b, [1]).p).toBe(waldTest(a, [1]).p);
  });

  test('no more schools than coefficients: no interval and no test', () => {
    // 4 schools, 4 coefficients: the four cluster scores sum to 0, the sandwich has rank ≤ 3.
    const cells: DesignCell[] = [
      { cluster: 'a', n: 5, sum: 12, x: [1, 0, 0.1, 3] },
      { cluster: 'b', n: 4, sum: 7, x: [1, 1, 0.5, 2] },
      { cluster: 'b', n: 3, sum: 1, x: [1, 0, 0.5, 2] },
      { cluster: 'c', n: 6, sum: 20, x: [1, 1, 0.9, 5] },
      { cluster: 'd', n: 2, sum: 3, x: [1, 0, 0.2, 1] },
    ];
    const fit = clusteredOls(cells)!;
    expect([fit.clusters, fit.kept.length]).toEqual([4, 4]);
    expect(Number.isNaN(coefficient(fit, 1).low)).toBe(true);
    expect(Number.isNaN(waldTest(fit, [1]).p)).toBe(true);
  });
});
