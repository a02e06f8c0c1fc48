import { afterAll, describe, expect, test } from 'vitest';
import { managerRating, type RatingGroup } from '../../../../src/indicators/analysis/manager-rating';
import { indicators } from '../../../../src/indicators/directions/mgr';
import { makeRow } from '../../../../src/indicators/sql';
import type { IndicatorRow } from '../../../../src/indicators/types';
import { runIndicators } from '../../../../src/indicators/run';
import { openDemo, type PlainRow } from '../demo';
import { FIXTURE_DIR, checkIndicator, runOn, sources, valueOf, type ExpectFn, type Raw } from './expect';

const TEACHERS = ['учитель'];
const MANAGERS = ['руководитель'];
const ADMINS = ['руководитель', 'заместитель руководителя'];
const known = (col: string) => (s: PlainRow) => s[col] !== null && s[col] !== undefined;

const expectations = (raw: Raw, young = 3): Record<string, ExpectFn> => ({
  'MGR-01': (y, s) => raw.staffShare(y, s, MANAGERS, (p) => p.required_training === true, known('required_training')),
  'MGR-02': (y, s) => raw.staffShare(y, s, MANAGERS, (p) => raw.hasActivity(y, String(p.staff_id), 'deficit_diagnostics')),
  'MGR-03': (y, s) => raw.staffShare(y, s, TEACHERS, (p) => Number(p.experience_years) <= young, known('experience_years')),
  'MGR-04': (y, s) => raw.staffShare(y, s, TEACHERS, (p) => Number(p.weekly_load_hours) < 18, known('weekly_load_hours')),
  'MGR-05': (y, s) => raw.staffShare(y, s, TEACHERS, (p) => Number(p.weekly_load_hours) > 30, known('weekly_load_hours')),
  'MGR-06': (y, s) => raw.staffShare(y, s, TEACHERS, (p) => Number(p.subjects_count) > 2, known('subjects_count')),
  'MGR-07': (y, s) => raw.staffShare(y, s, ADMINS, (p) => p.has_teaching_load === true, known('has_teaching_load')),
});

const SIMPLE = indicators.filter((d) => d.id !== 'MGR-08');

describe.each(sources())('MGR-01..07 on $name', ({ dir }) => {
  const run = runOn(dir, SIMPLE);
  afterAll(async () => (await run).demo.conn.close());

  for (const id of SIMPLE.map((d) => d.id))
    test(`${id} equals the plain-TS expectation for the municipality and every school`, async () => {
      const { rows, raw } = await run;
      checkIndicator(rows, id, expectations(raw)[id]);
    });

  test('MGR-03 follows the young-teacher parameter', async () => {
    const { demo } = await run;
    const rows = await runIndicators(demo.conn, { indicators: SIMPLE, ids: ['MGR-03'], params: { youngTeacherYears: 10 } });
    checkIndicator(rows, 'MGR-03', expectations((await run).raw, 10)['MGR-03']);
  });
});

describe('MGR on the hand-made fixture: hand-checked figures', () => {
  const run = runOn(FIXTURE_DIR, SIMPLE);
  afterAll(async () => (await run).demo.conn.close());

  test('managers, young teachers, load', async () => {
    const { rows } = await run;
    expect(valueOf(rows, 'MGR-01', 2024, null)).toMatchObject({ numerator: 1, denominator: 2, value: 0.5 });
    expect(valueOf(rows, 'MGR-01', 2023, null)?.value).toBeNull(); // nobody's training is known: no share, not 0
    expect(valueOf(rows, 'MGR-02', 2024, 'S2')?.value).toBe(1);
    // t1 (2 y), t3 (1 y), t5 (3 y) of five teachers with a known experience (t4 unknown).
    expect(valueOf(rows, 'MGR-03', 2024, null)).toMatchObject({ numerator: 3, denominator: 5 });
    expect(valueOf(rows, 'MGR-05', 2024, null)?.value).toBeCloseTo(2 / 5);
    expect(valueOf(rows, 'MGR-07', 2024, null)).toMatchObject({ numerator: 2, denominator: 3 });
  });
});

describe('MGR with inputs missing', () => {
  test('a dropped column or table is reported', async () => {
    const demo = await openDemo(FIXTURE_DIR);
    try {
      await demo.conn.query({ type: 'exec', sql: 'ALTER TABLE staff DROP COLUMN weekly_load_hours' });
      await demo.conn.query({ type: 'exec', sql: 'DROP TABLE staff_activities' });
      const rows = await runIndicators(demo.conn, { indicators: SIMPLE });
      const only = (id: string) => rows.filter((r) => r.indicator_id === id);
      for (const id of ['MGR-04', 'MGR-05']) expect(only(id)).toEqual([expect.objectContaining({ dimension: 'missing', dimension_value: 'staff.weekly_load_hours', value: null })]);
      expect(only('MGR-02')).toEqual([expect.objectContaining({ dimension: 'missing', value: null })]);
      expect(only('MGR-02')[0].dimension_value).toContain('staff_activities.');
      expect(valueOf(rows, 'MGR-06', 2024, null)?.value).toBeCloseTo(2 / 5);
    } finally {
      await demo.conn.close();
    }
  });
});

/** Plain re-computation of MGR-08 from the component rows of a run (the catalogue's recipe, written out). */
function expectedRating(rows: IndicatorRow[], groups: RatingGroup[], weights: Record<string, number>) {
  const perSchool = new Map<string, Map<string, number[]>>(); // "year|school" → group → normalised values
  for (const g of groups)
    for (const c of g.components) {
      const vals = new Map<string, number>();
      const byKey = new Map<string, IndicatorRow[]>();
      for (const r of rows) {
        if (r.indicator_id !== c.id || r.school_id === null) continue;
        if (c.dimension ? r.dimension !== c.dimension.name || r.dimension_value !== c.dimension.value : r.dimension !== null) continue;
        const k = `${r.year}|${r.school_id}`;
        byKey.set(k, [...(byKey.get(k) ?? []), r]);
      }
      for (const [k, list] of byKey) {
        if (list.every((r) => r.numerator !== null && r.denominator !== null)) {
          const den = list.reduce((a, r) => a + r.denominator!, 0);
          if (den > 0) vals.set(k, list.reduce((a, r) => a + r.numerator!, 0) / den);
        } else {
          const v = list.map((r) => r.value).filter((x): x is number => x !== null);
          if (v.length) vals.set(k, v.reduce((a, b) => a + b, 0) / v.length);
        }
      }
      const years = new Set([...vals.keys()].map((k) => k.split('|')[0]));
      for (const y of years) {
        const inYear = [...vals].filter(([k]) => k.split('|')[0] === y);
        const lo = Math.min(...inYear.map(([, v]) => v));
        const hi = Math.max(...inYear.map(([, v]) => v));
        if (hi === lo) continue;
        for (const [k, v] of inYear) {
          const n = (v - lo) / (hi - lo);
          const m = perSchool.get(k) ?? new Map<string, number[]>();
          m.set(g.key, [...(m.get(g.key) ?? []), c.higherIsBetter ? n : 1 - n]);
          perSchool.set(k, m);
        }
      }
    }
  const integral = new Map<string, number>();
  for (const [k, m] of perSchool) {
    let num = 0;
    let den = 0;
    for (const [g, arr] of m) {
      const w = weights[g] ?? 1;
      num += (w * arr.reduce((a, b) => a + b, 0)) / arr.length;
      den += w;
    }
    if (den > 0) integral.set(k, num / den);
  }
  return integral;
}

describe('MGR-08 integral rating: hand-checked', () => {
  const groups: RatingGroup[] = [
    { key: 'a', title: 'А', components: [{ id: 'X-1', higherIsBetter: true }, { id: 'X-2', higherIsBetter: false }] },
    { key: 'b', title: 'Б', components: [{ id: 'X-3', higherIsBetter: true }] },
  ];
  const r = (id: string, school: string, value: number, num: number | null = null, den: number | null = null) =>
    makeRow(id, { year: 2024, school_id: school, value, numerator: num, denominator: den });
  const rows = [
    r('X-1', 'A', 0.2), r('X-1', 'B', 0.6), r('X-1', 'C', 1.0),
    r('X-2', 'A', 10), r('X-2', 'B', 30), // C lacks X-2
    // X-3 pooled over two works: A 1/4+1/4 = 2/8, B 6/8, C 4/8
    r('X-3', 'A', 0.25, 1, 4), r('X-3', 'A', 0.25, 1, 4), r('X-3', 'B', 0.75, 6, 8), r('X-3', 'C', 0.5, 2, 4), r('X-3', 'C', 0.5, 2, 4),
    r('X-4', 'A', 5), r('X-4', 'B', 5),
  ];

  test('min–max per indicator, reversed where lower is better, group means, weighted integral, rank', () => {
    const out = managerRating(rows, {}, groups);
    const by = Object.fromEntries(out.map((x) => [x.school_id, x]));
    // A: X-1 0, X-2 1 → group a 0.5; X-3 0 → b 0; integral 0.25
    expect(by.A.groups).toEqual({ a: 0.5, b: 0 });
    expect(by.A.integral).toBeCloseTo(0.25);
    // B: X-1 0.5, X-2 0 → a 0.25; X-3 1 → b 1; integral 0.625
    expect(by.B.integral).toBeCloseTo(0.625);
    // C: X-1 1 → a 1; X-3 0.5 → b 0.5; integral 0.75
    expect(by.C.integral).toBeCloseTo(0.75);
    expect([by.C.rank, by.B.rank, by.A.rank]).toEqual([1, 2, 3]);
    // Weights: only group b counts.
    const onlyB = Object.fromEntries(managerRating(rows, { a: 0 }, groups).map((x) => [x.school_id, x]));
    expect(onlyB.A.integral).toBe(0);
    expect(onlyB.B.integral).toBe(1);
    expect(onlyB.B.rank).toBe(1);
    // Double weight on a: C = (2·1 + 0.5) / 3
    expect(managerRating(rows, { a: 2 }, groups).find((x) => x.school_id === 'C')!.integral).toBeCloseTo(2.5 / 3);
  });
});

describe.each(sources())('MGR-08 on $name', ({ dir }) => {
  test('integral per school equals the plain recomputation from its component indicators; municipal mean; weights apply', async () => {
    const { MANAGER_GROUPS } = await import('../../../../src/indicators/analysis/manager-rating');
    const demo = await openDemo(dir);
    try {
      for (const weights of [{}, { basic: 0, career: 3 }] as Record<string, number>[]) {
        const rows = await runIndicators(demo.conn, { ids: ['MGR-08'], params: { managerWeights: weights } });
        const mine = rows.filter((r) => r.indicator_id === 'MGR-08');
        // ДОО and УДО are not rated.
        const notRated = new Set(demo.rows.schools.filter((x) => x.school_type === 'ДОО' || x.school_type === 'УДО').map((x) => `${x.year}|${x.school_id}`));
        const expected = expectedRating(
          rows.filter((r) => r.school_id === null || !notRated.has(`${r.year}|${r.school_id}`)),
          MANAGER_GROUPS,
          weights,
        );
        const schoolRows = mine.filter((r) => r.school_id !== null && r.dimension === null);
        expect(schoolRows.length).toBeGreaterThan(1);
        expect(schoolRows.length).toBe(expected.size);
        expect(schoolRows.filter((r) => notRated.has(`${r.year}|${r.school_id}`))).toEqual([]);
        for (const r of schoolRows) expect(r.value!, `${r.year} ${r.school_id}`).toBeCloseTo(expected.get(`${r.year}|${r.school_id}`)!, 9);
        for (const year of new Set(schoolRows.map((r) => r.year))) {
          const inYear = schoolRows.filter((r) => r.year === year);
          const muni = mine.find((r) => r.school_id === null && r.year === year && r.dimension === null)!;
          expect(muni.value!).toBeCloseTo(inYear.reduce((a, r) => a + r.value!, 0) / inYear.length, 9);
          const ranks = mine.filter((r) => r.year === year && r.dimension === 'rank');
          const best = [...inYear].sort((a, b) => b.value! - a.value!)[0];
          expect(ranks.find((r) => r.school_id === best.school_id)?.value).toBe(1);
          expect(ranks.map((r) => r.value).sort((a, b) => a! - b!)).toEqual(inYear.map((_, i) => i + 1));
        }
      }
    } finally {
      await demo.conn.close();
    }
  });
});

describe('MGR-08 with no component data', () => {
  test('reports which indicators it lacks instead of a value', async () => {
    const demo = await openDemo(FIXTURE_DIR);
    try {
      for (const t of ['staff', 'staff_activities', 'graduates', 'monitoring', 'achievements']) await demo.conn.query({ type: 'exec', sql: `DROP TABLE ${t}` });
      const rows = await runIndicators(demo.conn, { ids: ['MGR-08'] });
      const mine = rows.filter((r) => r.indicator_id === 'MGR-08');
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ dimension: 'missing', value: null });
      expect(mine[0].dimension_value).toContain('PED-01');
    } finally {
      await demo.conn.close();
    }
  });
});
