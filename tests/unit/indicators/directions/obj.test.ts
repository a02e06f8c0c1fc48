import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runIndicators } from '../../../../src/indicators/run';
import type { IndicatorRow } from '../../../../src/indicators/types';
import { demoAvailable, openDemo, plantedSchools, readPlanted, type Demo } from '../demo';
import { Y, VPR, rankCorr, RawResults, bigSchool, expectRow, meanOf, ratio, type Result, type Work } from '../raw';

let demo: Demo;
let raw: RawResults;
let rows: IndicatorRow[];

beforeAll(async () => {
  demo = await openDemo();
  raw = new RawResults(demo);
  rows = await runIndicators(demo.conn, { ids: Array.from({ length: 9 }, (_, i) => `OBJ-0${i + 1}`) });
}, 300_000);
afterAll(() => demo?.conn.close());

const of = (id: string) => rows.filter((r) => r.indicator_id === id);
const sdOf = (xs: number[]) => {
  const m = meanOf(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};
const plantedObj = () => readPlanted() as unknown as { inflated_vpr_schools: { schools: string[] }; cohort_jump: { school: string; to: { year: number; grade: number } } } | null;

describe.skipIf(!demoAvailable())('OBJ on the demo municipality', () => {
  test('OBJ-01: ВПР vs journal shares and deviation from the municipality', () => {
    const list = raw.work(VPR).filter((r) => r.mark !== null && r.journal_mark !== null);
    const school = bigSchool(list);
    const mine = list.filter((r) => r.school_id === school);
    const sh = (l: Result[], f: (r: Result) => boolean) => ratio(l.filter(f).length, l.length);
    for (const s of [null, school]) {
      const l = s ? mine : list;
      const m = { ...VPR, school_id: s, dimension: 'direction' };
      expectRow(of('OBJ-01'), { ...m, dimension_value: 'понизили' }, sh(l, (r) => r.mark! < r.journal_mark!));
      expectRow(of('OBJ-01'), { ...m, dimension_value: 'подтвердили' }, sh(l, (r) => r.mark === r.journal_mark));
      expectRow(of('OBJ-01'), { ...m, dimension_value: 'повысили' }, sh(l, (r) => r.mark! > r.journal_mark!));
      expectRow(of('OBJ-01'), { ...m, dimension_value: 'разрыв ≥ 2' }, sh(l, (r) => Math.abs(r.mark! - r.journal_mark!) >= 2));
    }
    const up = (l: Result[]) => l.filter((r) => r.mark! > r.journal_mark!).length / l.length;
    expectRow(of('OBJ-01'), { ...VPR, school_id: school, dimension: 'higher_dev' }, { value: up(mine) - up(list) });
  });

  test('OBJ-02: school interval; result against the municipal regression on the journal mark', () => {
    const list = raw.work(VPR).filter((r) => raw.pct(r) !== null);
    const school = bigSchool(list);
    const xs = list.filter((r) => r.school_id === school).map((r) => raw.pct(r)!);
    const half = (1.96 * sdOf(xs)) / Math.sqrt(xs.length);
    expectRow(of('OBJ-02'), { ...VPR, school_id: school, dimension: null }, { denominator: xs.length, value: meanOf(xs) });
    expectRow(of('OBJ-02'), { ...VPR, school_id: school, dimension: 'low' }, { value: meanOf(xs) - half });
    // A pupil's prediction: the mean % of max of the work's pupils with the same journal mark (2–4; «5» has no ceiling).
    const pairs = list.filter((r) => r.journal_mark !== null && r.journal_mark >= 2 && r.journal_mark <= 4);
    const byMark = new Map([2, 3, 4].map((m) => [m, meanOf(pairs.filter((r) => r.journal_mark === m).map((r) => raw.pct(r)!))]));
    const mine = pairs.filter((r) => r.school_id === school);
    const predicted = meanOf(mine.map((r) => byMark.get(r.journal_mark!)!));
    expectRow(of('OBJ-02'), { ...VPR, school_id: school, dimension: 'predicted' }, { value: predicted }, 8);
    expectRow(of('OBJ-02'), { ...VPR, school_id: school, dimension: 'residual' }, { value: meanOf(mine.map((r) => raw.pct(r)!)) - predicted }, 8);
  });

  test('OBJ-02 finds the planted inflated ВПР every year and flags at most 5 % of ordinary schools', () => {
    const p = plantedObj();
    if (!p) return;
    const plantedAll = plantedSchools() ?? new Set<string>();
    for (const year of [2022, 2023, 2024]) {
      const flags = of('OBJ-02').filter((r) => r.year === year && r.procedure === 'ВПР' && r.subject === 'все предметы' && r.dimension === 'flag' && r.school_id);
      const flagged = flags.filter((r) => r.value === 1).map((r) => r.school_id!);
      for (const s of p.inflated_vpr_schools.schools) expect(flagged, `${year} ${s}`).toContain(s);
      const ordinary = flags.filter((r) => !plantedAll.has(r.school_id!) && r.value !== null && r.dimension_value !== 'ненадёжно (n < порога)');
      expect(ordinary.length).toBeGreaterThanOrEqual(10);
      expect(ordinary.filter((r) => r.value === 1).length / ordinary.length, String(year)).toBeLessThanOrEqual(0.05);
    }
  });

  test('OBJ-03: Spearman of journal mark and primary score per school', () => {
    const list = raw.work(VPR).filter((r) => r.journal_mark !== null && r.primary_score !== null);
    const school = bigSchool(list);
    const l = list.filter((r) => r.school_id === school);
    expectRow(of('OBJ-03'), { ...VPR, school_id: school, dimension: null }, { denominator: l.length, value: rankCorr(l.map((r) => r.journal_mark!), l.map((r) => r.primary_score!)) });
  });

  test('OBJ-04: cohort ratio K; the planted cohort drop is flagged', () => {
    const p = plantedObj();
    const school = p?.cohort_jump.school ?? '220004';
    const to = p?.cohort_jump.to ?? { year: Y, grade: 5 };
    for (const subject of ['Математика', 'Русский язык']) {
      const m = (year: number, grade: number) => meanOf(raw.work({ year, procedure: 'ВПР', subject, grade }, school).map((r) => raw.pct(r)!).filter((v) => v !== null));
      const K = m(to.year - 1, to.grade - 1) / m(to.year, to.grade);
      const w = { year: to.year, procedure: 'ВПР', subject, grade: to.grade, school_id: school };
      expectRow(of('OBJ-04'), { ...w, dimension: null }, { value: K });
      if (p) expect(of('OBJ-04').find((r) => r.school_id === school && r.year === to.year && r.subject === subject && r.grade === to.grade && r.dimension === 'flag')?.value).toBe(1);
    }
  });

  test('OBJ-05: counts at and just below the mark boundaries; hard vs easy tasks', () => {
    const list = raw.work(VPR).filter((r) => r.primary_score !== null);
    const school = bigSchool(list);
    const l = list.filter((r) => r.school_id === school);
    const b = [l[0].mark3_from!, l[0].mark4_from!, l[0].mark5_from!];
    const zone = (s: number) => {
      for (const x of b) {
        if (s === x || s === x + 1) return 'at';
        if (s === x - 1 || s === x - 2) return 'below';
      }
      return null;
    };
    expectRow(of('OBJ-05'), { ...VPR, school_id: school, dimension: 'at_boundary' }, { value: l.filter((r) => zone(r.primary_score!) === 'at').length });
    expectRow(of('OBJ-05'), { ...VPR, school_id: school, dimension: 'below_boundary' }, { value: l.filter((r) => zone(r.primary_score!) === 'below').length });
    const spec = new Map(demo.rows.tasks.filter((t) => t.year === Y && t.procedure === VPR.procedure && t.subject === VPR.subject && t.grade === VPR.grade).map((t) => [String(t.task), t]));
    const ids = new Set(l.map((r) => r.student_id));
    const ts = demo.rows.task_scores.filter((t) => t.year === Y && t.procedure === VPR.procedure && t.subject === VPR.subject && t.grade === VPR.grade && t.school_id === school && ids.has(String(t.student_id)));
    const rate = (levels: string[]) => {
      const x = ts.filter((t) => levels.includes(String(spec.get(String(t.task))!.level)));
      return x.reduce((a, t) => a + Number(t.score), 0) / x.reduce((a, t) => a + Number(spec.get(String(t.task))!.max_score), 0);
    };
    expectRow(of('OBJ-05'), { ...VPR, school_id: school, dimension: 'easy_rate' }, { value: rate(['базовый']) });
    expectRow(of('OBJ-05'), { ...VPR, school_id: school, dimension: 'hard_rate' }, { value: rate(['повышенный', 'высокий']) });
  });

  test('OBJ-06: ВПР mean mark minus ОГЭ mean mark per school and subject', () => {
    const subject = 'Математика';
    const marks = (proc: string, school?: string) => raw.main.filter((r) => r.year === Y && r.procedure === proc && r.subject === subject && r.mark !== null && (!school || r.school_id === school)).map((r) => r.mark!);
    const school = bigSchool(raw.main.filter((r) => r.year === Y && r.procedure === 'ОГЭ' && r.subject === subject));
    expectRow(of('OBJ-06'), { year: Y, procedure: 'ВПР', subject, grade: null, school_id: school, dimension: null }, { value: meanOf(marks('ВПР', school)) - meanOf(marks('ОГЭ', school)) });
    expectRow(of('OBJ-06'), { year: Y, procedure: 'ВПР', subject, grade: null, school_id: school, dimension: 'vpr_minus_oge_municipal' }, { value: meanOf(marks('ВПР')) - meanOf(marks('ОГЭ')) });
  });

  test('OBJ-07: the list names the planted inflated-ВПР and cohort schools, no ordinary school, and the level follows', () => {
    const p = plantedObj();
    const plantedAll = plantedSchools();
    for (const year of [2022, 2023, 2024]) {
      const list = of('OBJ-07').filter((r) => r.year === year && r.school_id && r.dimension === 'reasons');
      const flagged = list.filter((r) => r.value === 1).map((r) => r.school_id!);
      const any = of('OBJ-07').filter((r) => r.year === year && r.school_id && r.dimension === 'all_criteria' && r.value === 1).map((r) => r.school_id!);
      const schools = new Set(raw.main.filter((r) => r.year === year && ['ВПР', 'ОГЭ'].includes(r.procedure) && r.school_id).map((r) => r.school_id));
      expect(list.length).toBe(schools.size);
      expectRow(of('OBJ-07'), { year, school_id: null, dimension: null }, { numerator: flagged.length, denominator: schools.size, value: 100 - (100 * flagged.length) / schools.size });
      for (const r of list.filter((r) => r.value === 1)) expect(r.dimension_value).toMatch(/OBJ-0[234]/);
      if (p && plantedAll) {
        for (const s of p.inflated_vpr_schools.schools) expect(any, `${year} ${s}`).toContain(s);
        for (const s of any) expect(plantedAll.has(s), `ordinary school ${s} flagged in ${year}`).toBe(true);
        if (year === p.cohort_jump.to.year) expect(flagged).toContain(p.cohort_jump.school);
      }
    }
  });

  test('OBJ-08: school-stage winners and their municipal success', () => {
    const ol = demo.rows.achievements.filter((a) => a.year === Y && a.kind === 'олимпиада' && a.school_id !== null);
    const win = (a: (typeof ol)[number]) => a.status === 'победитель' || a.status === 'призёр';
    const school = String(ol.find((a) => a.stage === 'школьный')!.school_id);
    const entries = new Map<string, boolean>();
    for (const a of ol.filter((a) => a.stage === 'школьный' && a.school_id === school)) {
      const k = `${a.student_id}|${a.subject ?? ''}`;
      entries.set(k, (entries.get(k) ?? false) || win(a));
    }
    const winners = [...entries].filter(([, w]) => w).map(([k]) => k);
    const muni = new Set(ol.filter((a) => a.stage === 'муниципальный' && win(a)).map((a) => `${a.student_id}|${a.subject ?? ''}`));
    expectRow(of('OBJ-08'), { year: Y, school_id: school, dimension: 'school_stage_winners' }, ratio(winners.length, entries.size));
    expectRow(of('OBJ-08'), { year: Y, school_id: school, dimension: 'municipal_success' }, ratio(winners.filter((k) => muni.has(k)).length, winners.length));
  });

  test('OBJ-09: procedures under public observation', () => {
    const m = demo.rows.monitoring.filter((r) => r.year === Y);
    const v = (s: unknown, c: string) => m.find((r) => r.school_id === s && r.code === c)?.value as number | undefined;
    const schools = [...new Set(m.filter((r) => r.school_id !== null && v(r.school_id, 'procedures_observed') !== undefined && v(r.school_id, 'procedures_total') !== undefined).map((r) => r.school_id))];
    const sum = (c: string) => schools.reduce((a: number, s) => a + v(s, c)!, 0);
    expectRow(of('OBJ-09'), { year: Y, school_id: null }, ratio(sum('procedures_observed'), sum('procedures_total')));
    const s = schools[0];
    expectRow(of('OBJ-09'), { year: Y, school_id: String(s) }, ratio(v(s, 'procedures_observed')!, v(s, 'procedures_total')!));
  });
});
