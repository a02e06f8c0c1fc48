import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runIndicators } from '../../../../src/indicators/run';
import type { IndicatorRow } from '../../../../src/indicators/types';
import { demoAvailable, openDemo, plantedSchools, readPlanted, type Demo } from '../demo';
import { RawResults, expectRow, meanOf, ratio, type Result } from '../raw';

let demo: Demo;
let raw: RawResults;
let rows: IndicatorRow[];
let Y: number;

beforeAll(async () => {
  demo = await openDemo();
  raw = new RawResults(demo);
  rows = await runIndicators(demo.conn, { ids: Array.from({ length: 12 }, (_, i) => `LOW-${String(i + 1).padStart(2, '0')}`) });
  Y = Math.max(...raw.main.map((r) => r.year));
}, 300_000);
afterAll(() => demo?.conn.close());

const of = (id: string) => rows.filter((r) => r.indicator_id === id);
/** Quantile by linear interpolation at (n − 1)·p (numpy's default, type 7), written out. */
const quantile = (xs: number[], p: number) => {
  const v = [...xs].sort((a, b) => a - b);
  const idx = (v.length - 1) * p;
  const lo = Math.floor(idx);
  return v[lo] + (idx - lo) * ((v[Math.ceil(idx)] ?? v[lo]) - v[lo]);
};
const sdOf = (xs: number[]) => {
  const m = meanOf(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};
const wilsonLow = (k: number, n: number) => {
  const z = 1.959963984540054;
  const p = k / n;
  return (p + (z * z) / (2 * n) - z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
};

/** LOW-01 recomputed over the raw rows. */
function lowCriteria(year: number) {
  const list = raw.main.filter((r) => r.year === year && r.school_id);
  const schools = [...new Set(list.map((r) => r.school_id!))];
  const z = new Map<string, number[]>();
  const works = new Map<string, Result[]>();
  for (const r of list) if (r.primary_score !== null) works.set(`${r.procedure}|${r.subject}|${r.grade}`, [...(works.get(`${r.procedure}|${r.subject}|${r.grade}`) ?? []), r]);
  for (const w of works.values()) {
    const means = [...new Set(w.map((r) => r.school_id!))].map((s) => ({ s, m: meanOf(w.filter((r) => r.school_id === s).map((r) => raw.pct(r)!)) }));
    const m = meanOf(means.map((x) => x.m));
    const sd = sdOf(means.map((x) => x.m));
    if (!(sd > 0)) continue;
    for (const x of means) z.set(x.s, [...(z.get(x.s) ?? []), (x.m - m) / sd]);
  }
  const items = schools.map((s) => {
    const decided = list.filter((r) => r.school_id === s && r.passed !== null);
    const below = decided.filter((r) => !r.passed).length;
    return { s, n: decided.length, below, share: below / decided.length, z: meanOf(z.get(s) ?? [NaN]) };
  });
  const cutoff = quantile(items.filter((i) => i.n >= 10).map((i) => i.share), 0.75);
  return new Map(items.map((i) => [i.s, { ...i, cutoff, meets: i.n >= 10 && ((i.below > 0 && wilsonLow(i.below, i.n) >= cutoff) || i.z < -1), reliable: i.n >= 10 }]));
}

describe.skipIf(!demoAvailable())('LOW on the demo municipality', () => {
  test('LOW-01: flags and criterion values recomputed; the planted ШНОР are listed and no ordinary school is', () => {
    const cur = lowCriteria(Y);
    const prev = lowCriteria(Y - 1);
    const expected = [...cur.values()].filter((c) => c.reliable && c.meets && prev.get(c.s)?.reliable && prev.get(c.s)?.meets).map((c) => c.s).sort();
    const flagged = of('LOW-01').filter((r) => r.year === Y && r.school_id && r.dimension === null && r.value === 1).map((r) => r.school_id!).sort();
    expect(flagged).toEqual(expected);
    const s = [...cur.values()].find((c) => c.reliable)!;
    expectRow(of('LOW-01'), { year: Y, school_id: s.s, dimension: 'below_min_share' }, ratio(s.below, s.n));
    expectRow(of('LOW-01'), { year: Y, school_id: s.s, dimension: 'mean_z' }, { value: s.z });
    expectRow(of('LOW-01'), { year: Y, school_id: s.s, dimension: 'below_min_cutoff' }, { value: s.cutoff });
    const evaluated = of('LOW-01').filter((r) => r.year === Y && r.school_id && r.dimension === null && r.value !== null).length;
    expectRow(of('LOW-01'), { year: Y, school_id: null, dimension: null }, ratio(flagged.length, evaluated));
    // Reasons carry the triggering values.
    for (const r of of('LOW-01').filter((r) => r.year === Y && r.dimension === null && r.value === 1)) expect(r.dimension_value).toMatch(/\d/);
    const planted = readPlanted() as unknown as { low_results_schools: { schools: string[] }; [k: string]: unknown } | null;
    if (planted) {
      for (const p of planted.low_results_schools.schools) expect(flagged).toContain(p);
      const plantedAny = plantedSchools()!;
      for (const f of flagged) expect(plantedAny.has(f), `ordinary school ${f} flagged`).toBe(true);
    }
  });

  test('LOW-02: bottom-quartile social index or the source flag; the planted ШФНСУ are listed', () => {
    const schools = demo.rows.schools.filter((s) => s.year === Y && !['ДОО', 'УДО'].includes(String(s.school_type)));
    const cutoff = quantile(schools.filter((s) => s.social_index !== null).map((s) => Number(s.social_index)), 0.25);
    const expected = schools.filter((s) => (s.social_index !== null && Number(s.social_index) <= cutoff) || s.shnsu === true).map((s) => String(s.school_id)).sort();
    const flagged = of('LOW-02').filter((r) => r.year === Y && r.school_id && r.dimension === null && r.value === 1).map((r) => r.school_id!).sort();
    expect(flagged).toEqual(expected);
    expectRow(of('LOW-02'), { year: Y, school_id: null, dimension: null }, ratio(expected.length, schools.length));
    expectRow(of('LOW-02'), { year: Y, school_id: null, dimension: 'cutoff' }, { value: cutoff });
    const planted = readPlanted() as unknown as { shnsu_schools: string[] } | null;
    if (planted) for (const p of planted.shnsu_schools) expect(flagged).toContain(p);
  });

  const groups = () => {
    const shnor = new Set(of('LOW-01').filter((r) => r.year === Y && r.school_id && r.dimension === null && r.value === 1).map((r) => r.school_id!));
    for (const s of demo.rows.schools) if (s.shnor === true) shnor.add(String(s.school_id));
    const shnsu = new Set(of('LOW-02').filter((r) => r.year === Y && r.school_id && r.dimension === null && r.value === 1).map((r) => r.school_id!));
    const inGroup = (s: string | null, g: string) => (g === 'ШНОР' ? shnor.has(s!) : g === 'ШФНСУ' ? shnsu.has(s!) : !shnor.has(s!) && !shnsu.has(s!));
    return { shnor, shnsu, inGroup };
  };

  test('LOW-03 / LOW-04 / LOW-05: shares by group', () => {
    const { inGroup } = groups();
    const w = { year: Y, procedure: 'ВПР', subject: 'Математика', grade: 5 };
    const list = raw.work(w);
    for (const g of ['ШНОР', 'ШФНСУ', 'остальные']) {
      const l = list.filter((r) => inGroup(r.school_id, g));
      const d = l.filter((r) => r.passed !== null);
      expectRow(of('LOW-03'), { ...w, school_id: null, dimension: 'flag', dimension_value: g }, ratio(d.filter((r) => !r.passed).length, d.length));
      expectRow(of('LOW-04'), { ...w, school_id: null, dimension: 'flag', dimension_value: g }, ratio(d.filter((r) => r.passed).length, d.length));
      const j = l.filter((r) => r.mark !== null && r.journal_mark !== null);
      expectRow(of('LOW-05'), { ...w, school_id: null, dimension_value: `${g}|подтвердили` }, ratio(j.filter((r) => r.mark === r.journal_mark).length, j.length));
      expectRow(of('LOW-05'), { ...w, school_id: null, dimension_value: `${g}|понизили` }, ratio(j.filter((r) => r.mark! < r.journal_mark!).length, j.length));
      const pooled = raw.main.filter((r) => r.year === Y && r.procedure === 'ВПР' && inGroup(r.school_id, g) && r.passed !== null);
      expectRow(of('LOW-03'), { year: Y, procedure: 'ВПР', subject: null, grade: null, school_id: null, dimension_value: g }, ratio(pooled.filter((r) => !r.passed).length, pooled.length));
    }
  });

  test('LOW-06..09: development of the staff of flagged schools', () => {
    const { shnor, inGroup } = groups();
    const staff = demo.rows.staff.filter((s) => s.year === Y);
    const act = demo.rows.staff_activities.filter((a) => a.year === Y);
    const did = (id: unknown, activity: string) => act.some((a) => a.staff_id === id && a.activity === activity);
    const school = [...shnor].sort()[0];
    for (const [id, activity] of [['LOW-06', 'deficit_diagnostics'], ['LOW-08', 'methodical_event'], ['LOW-09', 'pk_course']] as const) {
      for (const g of ['ШНОР', 'остальные']) {
        const st = staff.filter((s) => inGroup(String(s.school_id), g));
        expectRow(of(id), { year: Y, school_id: null, dimension_value: g }, ratio(st.filter((s) => did(s.staff_id, activity)).length, st.length));
      }
      const st = staff.filter((s) => s.school_id === school);
      expectRow(of(id), { year: Y, school_id: school, dimension_value: 'ШНОР' }, ratio(st.filter((s) => did(s.staff_id, activity)).length, st.length));
    }
    const events = (pred: (school: string) => boolean) => {
      const ids = new Set(staff.filter((s) => pred(String(s.school_id))).map((s) => s.staff_id));
      return new Set(act.filter((a) => a.activity === 'methodical_event' && ids.has(a.staff_id) && a.event_id !== null).map((a) => a.event_id)).size;
    };
    expectRow(of('LOW-07'), { year: Y, school_id: null, dimension_value: 'ШНОР' }, { value: events((s) => inGroup(s, 'ШНОР')) });
    expectRow(of('LOW-07'), { year: Y, school_id: school, dimension_value: 'ШНОР' }, { value: events((s) => s === school) });
  });

  test('LOW-10: dynamics of the flagged group', () => {
    const { inGroup } = groups();
    const m = (year: number) => meanOf(raw.main.filter((r) => r.year === year && r.procedure === 'ВПР' && inGroup(r.school_id, 'ШНОР') && raw.pct(r) !== null).map((r) => raw.pct(r)!));
    expectRow(of('LOW-10'), { year: Y, procedure: 'ВПР', dimension: 'flag|mean_pct', dimension_value: 'ШНОР' }, { value: m(Y) });
    expectRow(of('LOW-10'), { year: Y, procedure: 'ВПР', dimension: 'flag|mean_pct_change', dimension_value: 'ШНОР' }, { numerator: m(Y - 1), denominator: m(Y), value: m(Y) - m(Y - 1) });
  });

  test('LOW-11: every ШНОР gets a strong partner of the strongest quartile, preferably of its settlement type', () => {
    const { shnor } = groups();
    const strong = new Set(of('LOW-11').filter((r) => r.dimension === 'strong').map((r) => r.school_id));
    const cur = lowCriteria(Y);
    const zs = [...cur.values()].filter((c) => c.reliable).map((c) => c.z);
    const zCut = quantile(zs, 0.75);
    for (const s of strong) expect(cur.get(s!)!.z).toBeGreaterThanOrEqual(zCut);
    const settlement = new Map(demo.rows.schools.filter((s) => s.year === Y).map((s) => [String(s.school_id), s.settlement_type]));
    for (const s of shnor) {
      const pair = of('LOW-11').find((r) => r.dimension === 'partner' && r.school_id === s);
      expect(pair?.dimension_value, s).toBeTruthy();
      expect(strong.has(pair!.dimension_value)).toBe(true);
      const sameType = [...strong].some((x) => settlement.get(x!) === settlement.get(s));
      if (sameType) expect(settlement.get(pair!.dimension_value!)).toBe(settlement.get(s));
    }
  });

  test('LOW-12: risk factor values and the count of risks', () => {
    const teachers = demo.rows.staff.filter((s) => s.year === Y && s.position === 'учитель');
    const school = String(teachers[0].school_id);
    const mine = teachers.filter((t) => t.school_id === school);
    expectRow(of('LOW-12'), { year: Y, school_id: school, dimension: 'no_category' }, ratio(mine.filter((t) => t.category === 'без категории').length, mine.filter((t) => t.category !== null).length));
    expectRow(of('LOW-12'), { year: Y, school_id: school, dimension: 'load_over_30' }, ratio(mine.filter((t) => Number(t.weekly_load_hours) > 30).length, mine.filter((t) => t.weekly_load_hours !== null).length));
    const res = raw.main.filter((r) => r.year === Y && r.school_id === school && r.passed !== null);
    expectRow(of('LOW-12'), { year: Y, school_id: school, dimension: 'below_min' }, ratio(res.filter((r) => !r.passed).length, res.length));
    const perSchool = of('LOW-12').filter((r) => r.year === Y && r.school_id === school);
    const risks = perSchool.filter((r) => r.dimension !== 'risk_count' && r.dimension_value === 'риск').length;
    expect(perSchool.find((r) => r.dimension === 'risk_count')?.value).toBe(risks);
    const si = demo.rows.schools.filter((s) => s.year === Y && s.social_index !== null && !['ДОО', 'УДО'].includes(String(s.school_type)));
    const cut = quantile(si.map((s) => Number(s.social_index)), 0.25);
    for (const s of si) {
      const row = of('LOW-12').find((r) => r.year === Y && r.school_id === s.school_id && r.dimension === 'social_index');
      expect(row?.dimension_value === 'риск').toBe(Number(s.social_index) <= cut);
    }
  });
});
