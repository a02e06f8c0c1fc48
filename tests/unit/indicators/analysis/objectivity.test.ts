import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runIndicators } from '../../../../src/indicators/run';
import { fisherExact } from '../../../../src/indicators/stats';
import type { IndicatorRow } from '../../../../src/indicators/types';
import { demoAvailable, openDemo, type Demo } from '../demo';
import { RawResults, VPR, Y, expectRow } from '../raw';

let demo: Demo;
let raw: RawResults;
let rows: IndicatorRow[];

beforeAll(async () => {
  demo = await openDemo();
  raw = new RawResults(demo);
  rows = await runIndicators(demo.conn, { ids: ['OBJ-01', 'OBJ-05', 'OBJ-06'] });
}, 300_000);
afterAll(() => demo?.conn.close());

const of = (id: string) => rows.filter((r) => r.indicator_id === id);

describe.skipIf(!demoAvailable())('objectivity rows that say what they are', () => {
  test('OBJ-06: a school without ОГЭ has nothing to compare: flag NULL, not 0 («clean»)', () => {
    const oge = new Set(raw.main.filter((r) => r.year === Y && r.procedure === 'ОГЭ' && r.subject === 'Математика').map((r) => r.school_id));
    const vprOnly = [...new Set(raw.main.filter((r) => r.year === Y && r.procedure === 'ВПР' && r.subject === 'Математика').map((r) => r.school_id!))].filter((s) => !oge.has(s));
    expect(vprOnly.length).toBeGreaterThan(0);
    for (const school of vprOnly) {
      const flag = of('OBJ-06').find((r) => r.year === Y && r.subject === 'Математика' && r.school_id === school && r.dimension === 'flag');
      expect(flag?.value, school).toBeNull();
    }
    // Schools with both procedures keep a 0/1 flag, and the municipal share counts only those.
    const both = of('OBJ-06').filter((r) => r.year === Y && r.subject === 'Математика' && r.dimension === 'flag' && r.school_id && oge.has(r.school_id) && r.dimension_value !== 'ненадёжно (n < порога)');
    for (const r of both) expect([0, 1]).toContain(r.value);
    const share = of('OBJ-06').find((r) => r.year === Y && r.subject === 'Математика' && r.dimension === 'flagged_share')!;
    expect(share.denominator).toBe(both.length);
  });

  test('OBJ-01: school ICC and design effect of «повысили» (pupils clustered in schools)', () => {
    const list = raw.work(VPR).filter((r) => r.mark !== null && r.journal_mark !== null && r.school_id);
    const schools = [...new Set(list.map((r) => r.school_id!))];
    const N = list.length;
    const J = schools.length;
    const y = (r: (typeof list)[number]): number => (r.mark! > r.journal_mark! ? 1 : 0);
    const grand = list.reduce((a, r) => a + y(r), 0) / N;
    let ssb = 0;
    let ssw = 0;
    let n2 = 0;
    for (const s of schools) {
      const ys = list.filter((r) => r.school_id === s).map(y);
      const m = ys.reduce((a, b) => a + b, 0) / ys.length;
      ssb += ys.length * (m - grand) ** 2;
      ssw += ys.reduce((a, v) => a + (v - m) ** 2, 0);
      n2 += ys.length ** 2;
    }
    const msb = ssb / (J - 1);
    const msw = ssw / (N - J);
    const icc = (msb - msw) / (msb + ((N - n2 / N) / (J - 1) - 1) * msw);
    const m = { ...VPR, school_id: null, dimension_value: 'higher' };
    expectRow(of('OBJ-01'), { ...m, dimension: 'icc' }, { denominator: J, value: icc });
    expectRow(of('OBJ-01'), { ...m, dimension: 'design_effect' }, { denominator: J, value: 1 + (N / J - 1) * Math.max(0, icc) });
    expect(of('OBJ-05').some((r) => r.dimension === 'design_effect' && r.dimension_value === 'at_share' && r.value! >= 1)).toBe(true);
  });

  test('OBJ-05: the rest of the municipality is named so, and the p-value says its test (Fisher when counts are small)', () => {
    expect(of('OBJ-05').some((r) => r.dimension === 'municipal_at_share')).toBe(false);
    const list = raw.work(VPR).filter((r) => r.primary_score !== null);
    const zone = (r: (typeof list)[number]) => {
      for (const b of [r.mark3_from!, r.mark4_from!, r.mark5_from!]) {
        if (r.primary_score === b || r.primary_score === b + 1) return 'at';
        if (r.primary_score === b - 1 || r.primary_score === b - 2) return 'below';
      }
      return null;
    };
    const schools = [...new Set(list.map((r) => r.school_id!))];
    let fisher = 0;
    for (const school of schools) {
      const mine = list.filter((r) => r.school_id === school);
      const rest = list.filter((r) => r.school_id !== school);
      const at = mine.filter((r) => zone(r) === 'at').length;
      const below = mine.filter((r) => zone(r) === 'below').length;
      const rAt = rest.filter((r) => zone(r) === 'at').length;
      const rBelow = rest.filter((r) => zone(r) === 'below').length;
      const key = { ...VPR, school_id: school };
      expectRow(of('OBJ-05'), { ...key, dimension: 'rest_at_share' }, { value: rAt / (rAt + rBelow) });
      if (at + below === 0) continue;
      const p = of('OBJ-05').find((r) => r.year === Y && r.procedure === 'ВПР' && r.subject === VPR.subject && r.grade === VPR.grade && r.school_id === school && r.dimension === 'p_value')!;
      const total = at + below + rAt + rBelow;
      const minExpected = Math.min(((at + below) * (at + rAt)) / total, ((at + below) * (below + rBelow)) / total);
      if (minExpected < 5) {
        fisher++;
        expect(p.dimension_value, school).toBe('точный критерий Фишера');
        expect(p.value).toBeCloseTo(fisherExact(at, below, rAt, rBelow), 12);
      } else expect(p.dimension_value, school).toBe('χ²');
      expect(p.value).toBeGreaterThan(0);
    }
    expect(fisher).toBeGreaterThan(0);
  });
});
