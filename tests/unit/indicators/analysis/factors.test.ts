import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { factorAnalysis, hoursBucket, rangeBucket, type FactorAnalysis, type FactorBuckets } from '../../../../src/indicators/analysis/factors';
import { anova, kruskalWallis, tInterval } from '../../../../src/indicators/stats';
import { DEFAULT_PARAMS } from '../../../../src/indicators/types';
import { openDemo, type Demo } from '../demo';
import { RawResults, meanOf, type Result, type Work } from '../raw';

// Custom bucket edges (a fractional first hours edge included) against the JS bucket functions,
// with the groups' scores collected in plain TS from the demo CSV rows.
const W: Work = { year: 2024, procedure: 'ОГЭ', subject: 'Математика', grade: 9 };
const BUCKETS: FactorBuckets = { hours: [4.5, 5, 6], months: [12, 30], experience: [5, 15, 25] };

let demo: Demo;
let raw: RawResults;
let fa: FactorAnalysis;

beforeAll(async () => {
  demo = await openDemo();
  raw = new RawResults(demo);
  const ctx = { conn: demo.conn, params: DEFAULT_PARAMS, tables: await demo.conn.listTables() };
  fa = await factorAnalysis(ctx, W, { buckets: BUCKETS });
}, 300_000);
afterAll(() => demo?.conn.close());

/** The participant's rows joined to their class's teaching (the base subject as fallback) and teacher. */
function contexts(r: Result) {
  const ct = demo.rows.class_teaching.filter((c) => c.year === r.year && c.school_id === r.school_id && c.class === r.class);
  const own = ct.filter((c) => c.subject === r.subject);
  const teaching = own.length ? own : ct.filter((c) => c.subject === r.subject.replace(/\s*\(.*\)$/, ''));
  return teaching.flatMap((c) => {
    const staff = demo.rows.staff.filter((s) => s.year === r.year && s.staff_id === c.teacher_id);
    return (staff.length ? staff : [null]).map((s) => ({ c, s }));
  });
}

describe('factorAnalysis with custom buckets', () => {
  const cases = [
    ['hours_per_week', (x: ReturnType<typeof contexts>[number]) => hoursBucket(x.c.hours_per_week as number | null, BUCKETS.hours)],
    ['months_with_class', (x: ReturnType<typeof contexts>[number]) => rangeBucket(x.c.months_with_class as number | null, BUCKETS.months)],
    ['experience', (x: ReturnType<typeof contexts>[number]) => rangeBucket((x.s?.experience_years ?? null) as number | null, BUCKETS.experience)],
  ] as const;

  test.each(cases)('%s: groups, mean score, t interval, ANOVA, Kruskal–Wallis, share below the minimum', (factor, bucketOf) => {
    const scores = new Map<string, number[]>();
    const passed = new Map<string, boolean[]>();
    for (const r of raw.work(W))
      for (const x of contexts(r)) {
        const g = bucketOf(x);
        if (g === null) continue;
        if (r.score !== null) scores.set(g, [...(scores.get(g) ?? []), r.score]);
        if (r.passed !== null) passed.set(g, [...(passed.get(g) ?? []), r.passed]);
      }
    expect(scores.size).toBeGreaterThan(2);
    const names = [...scores.keys()].sort();
    if (factor === 'hours_per_week') expect(names).toEqual(['4.5', '5', '6+']);
    const got = fa.groups.filter((g) => g.factor === factor && g.measure === 'score');
    expect(got.map((g) => g.group)).toEqual(names);
    for (const g of got) {
      const t = tInterval(scores.get(g.group)!);
      expect(g.n).toBe(t.n);
      expect(g.value).toBeCloseTo(meanOf(scores.get(g.group)!), 9);
      if (t.n > 1) expect(g.ci_low).toBeCloseTo(t.low, 9);
    }
    const samples = names.map((g) => scores.get(g)!);
    const test_ = fa.tests.find((t) => t.factor === factor && t.measure === 'score')!;
    expect(test_.groups).toBe(names.length);
    expect(test_.p).toBeCloseTo(anova(samples).p, 9);
    expect(test_.kruskal_p).toBeCloseTo(kruskalWallis(samples).p, 9);
    for (const g of fa.groups.filter((g) => g.factor === factor && g.measure === 'below_min')) {
      const xs = passed.get(g.group)!;
      expect([g.numerator, g.n]).toEqual([xs.filter((p) => !p).length, xs.length]);
    }
  });
});
