import { expect, test } from 'vitest';
import { clusteredComparison, type SchoolGroupCell } from '../../../../src/indicators/analysis/factor-clustered';
import { clusteredOls } from '../../../../src/indicators/stats/clustered';

// Six schools teach with textbook A or B; one school also has a class with textbook X.
const cells: SchoolGroupCell[] = [
  { school: 's1', group: 'A', n: 20, total: 12, ss: 4 },
  { school: 's2', group: 'A', n: 25, total: 14, ss: 5 },
  { school: 's3', group: 'A', n: 18, total: 11, ss: 3 },
  { school: 's4', group: 'B', n: 22, total: 10, ss: 4 },
  { school: 's5', group: 'B', n: 19, total: 9, ss: 4 },
  { school: 's6', group: 'B', n: 24, total: 13, ss: 5 },
  { school: 's6', group: 'X', n: 15, total: 14, ss: 1 },
];

test('a group seen in one school has a zero clustered standard error, so it is left out of the clustered comparison', () => {
  // The defect: the residuals of X sum to 0 inside its only school, so its clustered interval has width 0.
  const fit = clusteredOls(cells.map((c) => ({ cluster: c.school!, n: c.n, sum: c.total, x: ['A', 'B', 'X'].map((g) => (c.group === g ? 1 : 0)) })))!;
  expect(fit.se[2]).toBeLessThan(1e-9);
  expect(fit.se[0]).toBeGreaterThan(0.01);
  const r = clusteredComparison('textbook', cells, () => ({ settlement_type: 'город', students_total: 300, social_index: 0 }));
  expect(r.groups.map((g) => g.group)).toEqual(['B', 'A']);
  expect(r.adjusted.map((g) => g.group)).toEqual(['B', 'A']);
  // A vs B on school means (0.59, 0.56, 0.61 vs 0.45, 0.47, 0.54) is not a 10⁻¹⁰ difference.
  expect(r.clustered_p!).toBeGreaterThan(0.01);
  // The ICC still uses every pupil.
  expect(r.schools).toBe(6);
});

test('no clustered test of a factor when a difference between two groups has no clustered variance (every pupil of both passed)', () => {
  // The share below the minimum is 0 in every school of groups «20+» and «10–19», 1 in 13 in «3–9»
  // (the demo's ОГЭ physics 2022 by teacher's experience). The difference «10–19» − «20+» is 0 with a
  // clustered variance of exactly 0: the F test on two restrictions has only one to stand on. The
  // intercept-and-dummies fit reported p = 0.565 from a variance of rounding noise (≈1e-20).
  const cell = (school: string, group: string, n: number, total = 0, ss = 0): SchoolGroupCell => ({ school, group, n, total, ss });
  const mixed: SchoolGroupCell[] = [
    ...[['19', 2], ['05', 5], ['18', 3], ['30', 1], ['06', 4], ['16', 3], ['27', 1], ['24', 1], ['09', 1], ['03', 8]].map(([s, n]) => cell(`2200${s}`, '20+', Number(n))),
    ...[['26', 1], ['02', 5], ['04', 2], ['17', 1], ['25', 2], ['22', 1], ['12', 1], ['11', 2], ['14', 2]].map(([s, n]) => cell(`2200${s}`, '10–19', Number(n))),
    cell('220001', '3–9', 4), cell('220023', '3–9', 4), cell('220020', '3–9', 3, 1, 2 / 3), cell('220008', '3–9', 1), cell('220021', '3–9', 1),
  ];
  const r = clusteredComparison('experience', mixed, () => undefined);
  expect(r.groups.map((g) => [g.group, g.mean])).toEqual([['20+', 0], ['10–19', 0], ['3–9', 1 / 13]]);
  expect(r.clustered_p).toBeNull();
});
