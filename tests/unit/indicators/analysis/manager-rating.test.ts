/**
 * MGR-08 (one windowed SQL query, analysis/manager-rating.ts) against a plain-TypeScript
 * recomputation of the catalogue's recipe from the component rows. Issue #12 defect 3: TAL-04's
 * rows all carry the `stage` breakdown and were never counted; defect 7: equal integrals share
 * their rank («1, 2, 2, 4»).
 */
import { describe, expect, test } from 'vitest';
import { NodeConnector } from '../../../../src/db/node-connector';
import { managerRatingSql, type RatingGroup } from '../../../../src/indicators/analysis/manager-rating';
import { createIndicatorsTable, insertIndicatorRows, runIndicators } from '../../../../src/indicators/run';
import { makeRow, toIndicatorRow } from '../../../../src/indicators/sql';
import type { IndicatorRow } from '../../../../src/indicators/types';
import { openDemo } from '../demo';
import { FIXTURE_DIR, sources } from '../directions/expect';

interface Comp {
  id: string;
  up: boolean;
  dim?: string;
  dimValue?: string;
}
/** The groups of README «MGR-08», written out independently of MANAGER_GROUPS. */
const RECIPE: Record<string, Comp[]> = {
  basic: [{ id: 'PREP-03', up: true }, { id: 'PREP-04', up: true }, { id: 'PREP-14', up: false }, { id: 'PREP-15', up: true }],
  high: [{ id: 'PREP-05', up: true }, { id: 'PREP-06', up: true }, { id: 'PREP-18', up: true }, { id: 'TAL-04', up: true, dim: 'stage' }],
  objectivity: [{ id: 'PREP-16', up: true }],
  conditions: [{ id: 'MGR-01', up: true }, { id: 'PED-09', up: true }, { id: 'MGR-04', up: false }, { id: 'MGR-05', up: false }, { id: 'MGR-06', up: false }],
  career: [{ id: 'CAR-01', up: true }, { id: 'CAR-08', up: true }, { id: 'CAR-10', up: true }, { id: 'CAR-15', up: true }, { id: 'TAL-02', up: true }],
  staff: [{ id: 'PED-01', up: true }, { id: 'PED-05', up: true }, { id: 'PED-12', up: true }, { id: 'PED-13', up: true, dim: 'category', dimValue: 'высшая' }],
};

/** Plain re-computation: "year|school" → integral and number of normalised components. */
function expectedRating(rows: IndicatorRow[], recipe: Record<string, Comp[]>, weights: Record<string, number>) {
  const perSchool = new Map<string, Map<string, number[]>>();
  for (const [g, comps] of Object.entries(recipe))
    for (const c of comps) {
      const byKey = new Map<string, IndicatorRow[]>();
      for (const r of rows) {
        if (r.indicator_id !== c.id || r.school_id === null) continue;
        if (c.dim ? r.dimension !== c.dim || (c.dimValue !== undefined && r.dimension_value !== c.dimValue) : r.dimension !== null) continue;
        const k = `${r.year}|${r.school_id}`;
        byKey.set(k, [...(byKey.get(k) ?? []), r]);
      }
      const vals = new Map<string, number>();
      for (const [k, list] of byKey) {
        if (list.every((r) => r.numerator !== null && r.denominator !== null)) {
          const den = list.reduce((a, r) => a + r.denominator!, 0);
          if (den > 0) vals.set(k, list.reduce((a, r) => a + r.numerator!, 0) / den);
        } else {
          const v = list.map((r) => r.value).filter((x): x is number => x !== null);
          if (v.length) vals.set(k, v.reduce((a, b) => a + b, 0) / v.length);
        }
      }
      for (const y of new Set([...vals.keys()].map((k) => k.split('|')[0]))) {
        const inYear = [...vals].filter(([k]) => k.split('|')[0] === y);
        const lo = Math.min(...inYear.map(([, v]) => v));
        const hi = Math.max(...inYear.map(([, v]) => v));
        if (hi === lo) continue;
        for (const [k, v] of inYear) {
          const m = perSchool.get(k) ?? new Map<string, number[]>();
          m.set(g, [...(m.get(g) ?? []), c.up ? (v - lo) / (hi - lo) : 1 - (v - lo) / (hi - lo)]);
          perSchool.set(k, m);
        }
      }
    }
  const out = new Map<string, { integral: number; n: number }>();
  for (const [k, m] of perSchool) {
    let num = 0;
    let den = 0;
    let n = 0;
    for (const [g, arr] of m) {
      const w = weights[g] ?? 1;
      if (w <= 0) continue;
      num += (w * arr.reduce((a, b) => a + b, 0)) / arr.length;
      den += w;
      n += arr.length;
    }
    if (den > 0) out.set(k, { integral: num / den, n });
  }
  return out;
}

/** Competition ranks «1, 2, 2, 4» of plain numbers (best = highest), written out. */
const competition = (values: number[]) => values.map((v) => 1 + values.filter((x) => x > v + 1e-12).length);

async function ratingOf(rows: IndicatorRow[], groups: RatingGroup[], weights: Record<string, number> = {}) {
  const conn = await NodeConnector.open();
  try {
    await createIndicatorsTable(conn, 'comp');
    await insertIndicatorRows(conn, rows, 'comp');
    const sql = managerRatingSql({ id: 'MGR-08', from: 'comp', groups, weights, missing: 'нет' });
    return (await conn.query({ type: 'rows', sql })).map(toIndicatorRow);
  } finally {
    await conn.close();
  }
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
  const get = (out: IndicatorRow[], school: string | null, dim: string | null = null, dv: string | null = null) =>
    out.find((x) => x.school_id === school && x.dimension === dim && (dv === null || x.dimension_value === dv));

  test('min–max per indicator, reversed where lower is better, group means, weighted integral, rank', async () => {
    const out = await ratingOf(rows, groups);
    // A: X-1 0, X-2 1 → group a 0.5; X-3 0 → b 0; integral 0.25
    expect(get(out, 'A', 'group', 'А')?.value).toBeCloseTo(0.5);
    expect(get(out, 'A', 'group', 'Б')?.value).toBe(0);
    expect(get(out, 'A')).toMatchObject({ denominator: 3 });
    expect(get(out, 'A')?.value).toBeCloseTo(0.25);
    // B: X-1 0.5, X-2 0 → a 0.25; X-3 1 → b 1; integral 0.625. C: X-1 1 → a 1; X-3 0.5 → b 0.5; 0.75
    expect(get(out, 'B')?.value).toBeCloseTo(0.625);
    expect(get(out, 'C')?.value).toBeCloseTo(0.75);
    expect(['C', 'B', 'A'].map((s) => get(out, s, 'rank')?.value)).toEqual([1, 2, 3]);
    expect(get(out, 'A', 'rank')?.denominator).toBe(3);
    expect(get(out, null)?.value).toBeCloseTo((0.25 + 0.625 + 0.75) / 3);
    // Weights: only group b counts.
    const onlyB = await ratingOf(rows, groups, { a: 0 });
    expect(get(onlyB, 'A')?.value).toBe(0);
    expect(get(onlyB, 'B')?.value).toBe(1);
    expect(get(onlyB, 'B', 'rank')?.value).toBe(1);
    // Double weight on a: C = (2·1 + 0.5) / 3
    expect(get(await ratingOf(rows, groups, { a: 2 }), 'C')?.value).toBeCloseTo(2.5 / 3);
  });

  test('equal integrals share a rank and the next one is skipped, whatever the school codes', async () => {
    const tie = [r('X-1', 'Z', 1), r('X-1', 'A', 1), r('X-1', 'M', 0.5), r('X-1', 'B', 0)];
    const out = await ratingOf(tie, [groups[0]]);
    expect(['Z', 'A', 'M', 'B'].map((s) => get(out, s, 'rank')?.value)).toEqual([1, 1, 3, 4]);
  });

  test('a breakdown named without a value pools all its values (TAL-04 over stages)', async () => {
    const stage = (school: string, st: string, num: number, den: number) =>
      makeRow('T', { year: 2024, school_id: school, dimension: 'stage', dimension_value: st, numerator: num, denominator: den, value: num / den });
    // A: (1+3)/(10+10) = 0.2; B: (4+0)/(10+10) = 0.2 + C 0.5 → A and B tie at 0, C 1.
    const out = await ratingOf(
      [stage('A', 'школьный', 1, 10), stage('A', 'муниципальный', 3, 10), stage('B', 'школьный', 4, 10), stage('B', 'муниципальный', 0, 10), stage('C', 'школьный', 5, 10)],
      [{ key: 'h', title: 'H', components: [{ id: 'T', higherIsBetter: true, dimension: { name: 'stage' } }] }],
    );
    expect(['A', 'B', 'C'].map((s) => get(out, s)?.value)).toEqual([0, 0, 1]);
  });
});

describe.each(sources())('MGR-08 on $name', ({ dir }) => {
  test('integral, components behind it and rank per school equal the plain recomputation (TAL-04 counted); municipal mean; weights apply', async () => {
    const demo = await openDemo(dir);
    try {
      for (const weights of [{}, { basic: 0, career: 3 }] as Record<string, number>[]) {
        const rows = await runIndicators(demo.conn, { ids: ['MGR-08'], params: { managerWeights: weights } });
        expect(rows.some((r) => r.indicator_id === 'TAL-04' && r.school_id !== null && r.value !== null)).toBe(true);
        const mine = rows.filter((r) => r.indicator_id === 'MGR-08');
        const notRated = new Set(demo.rows.schools.filter((x) => x.school_type === 'ДОО' || x.school_type === 'УДО').map((x) => `${x.year}|${x.school_id}`));
        const expected = expectedRating(rows.filter((r) => r.school_id === null || !notRated.has(`${r.year}|${r.school_id}`)), RECIPE, weights);
        const schoolRows = mine.filter((r) => r.school_id !== null && r.dimension === null);
        expect(schoolRows.length).toBeGreaterThan(1);
        expect(schoolRows.length).toBe(expected.size);
        expect(schoolRows.filter((r) => notRated.has(`${r.year}|${r.school_id}`))).toEqual([]);
        for (const r of schoolRows) {
          const e = expected.get(`${r.year}|${r.school_id}`)!;
          expect(r.value!, `${r.year} ${r.school_id}`).toBeCloseTo(e.integral, 9);
          expect(r.denominator, `${r.year} ${r.school_id}`).toBe(e.n);
        }
        for (const year of new Set(schoolRows.map((r) => r.year))) {
          const inYear = schoolRows.filter((r) => r.year === year);
          const muni = mine.find((r) => r.school_id === null && r.year === year && r.dimension === null)!;
          expect(muni.value!).toBeCloseTo(inYear.reduce((a, r) => a + r.value!, 0) / inYear.length, 9);
          const want = competition(inYear.map((r) => expected.get(`${year}|${r.school_id}`)!.integral));
          const ranks = mine.filter((r) => r.year === year && r.dimension === 'rank');
          expect(inYear.map((r) => ranks.find((x) => x.school_id === r.school_id)?.value)).toEqual(want);
        }
      }
    } finally {
      await demo.conn.close();
    }
  }, 300_000);
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
