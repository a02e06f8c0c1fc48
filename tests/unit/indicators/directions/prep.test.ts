import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runIndicators } from '../../../../src/indicators/run';
import type { IndicatorRow } from '../../../../src/indicators/types';
import { demoAvailable, openDemo, type Demo, type PlainRow } from '../demo';
import { Y, VPR, EGE_RU, OGE_MATH, RawResults, bigSchool, expectRow, meanOf, ratio, type Result, type Work } from '../raw';


let demo: Demo;
let raw: RawResults;
let rows: IndicatorRow[];

beforeAll(async () => {
  demo = await openDemo();
  raw = new RawResults(demo);
  rows = await runIndicators(demo.conn, { ids: Array.from({ length: 21 }, (_, i) => `PREP-${String(i + 1).padStart(2, '0')}`) });
}, 300_000);
afterAll(() => demo?.conn.close());

const of = (id: string) => rows.filter((r) => r.indicator_id === id);
const shareOf = (list: Result[], base: (r: Result) => boolean, cond: (r: Result) => boolean) => {
  const b = list.filter(base);
  return ratio(b.filter(cond).length, b.length);
};

/** Monitoring ratio: per school value; municipality = sums over the schools reporting both codes. */
function monitoringRatio(numCode: string, denCode: string, year: number, school: string | null) {
  const m = demo.rows.monitoring.filter((r) => r.year === year);
  const val = (sch: string | null, code: string) => m.find((r) => r.school_id === sch && r.code === code)?.value as number | undefined;
  if (school !== null) return ratio(val(school, numCode)!, val(school, denCode)!);
  const schools = [...new Set(m.filter((r) => r.school_id !== null).map((r) => String(r.school_id)))].filter(
    (s) => val(s, numCode) !== undefined && val(s, denCode) !== undefined,
  );
  if (!schools.length) return ratio(val(null, numCode)!, val(null, denCode)!);
  return ratio(schools.reduce((a, s) => a + val(s, numCode)!, 0), schools.reduce((a, s) => a + val(s, denCode)!, 0));
}

const monitoredSchool = (code: string) => String(demo.rows.monitoring.find((r) => r.year === Y && r.code === code && r.school_id !== null)!.school_id);

describe.skipIf(!demoAvailable())('PREP on the demo municipality', () => {
  test.each([
    ['PREP-01', 'noo_base_level', 'noo_students'],
    ['PREP-02', 'noo_excellent', 'noo_students'],
    ['PREP-20', 'survey_satisfied', 'survey_respondents'],
  ])('%s: monitoring ratio', (id, num, den) => {
    expectRow(of(id), { year: Y, school_id: null }, monitoringRatio(num, den, Y, null));
    const s = monitoredSchool(num);
    expectRow(of(id), { year: Y, school_id: s }, monitoringRatio(num, den, Y, s));
  });

  const graduates = (grade: number, school: string | null) =>
    demo.rows.graduates.filter((g) => g.year === Y && g.grade === grade && (school === null || g.school_id === school));
  const gradSchool = (grade: number) => String(graduates(grade, null)[0].school_id);

  test.each([
    ['PREP-03', 9, ['ОГЭ', 'ГВЭ-9']],
    ['PREP-04', 11, ['ЕГЭ', 'ГВЭ-11']],
  ] as const)('%s: certificate and every main-attempt ГИА result passed', (id, grade, procs) => {
    const ok = (g: PlainRow) => {
      const res = raw.main.filter((r) => r.year === Y && r.student_id === g.student_id && r.grade === grade && (procs as readonly string[]).includes(r.procedure) && r.passed !== null);
      return g.certificate === true && res.length > 0 && res.every((r) => r.passed);
    };
    for (const school of [null, gradSchool(grade)]) {
      const gs = graduates(grade, school);
      expectRow(of(id), { year: Y, school_id: school }, ratio(gs.filter(ok).length, gs.length));
    }
  });

  test('PREP-05 / PREP-06: honours (and medal) among graduates', () => {
    for (const school of [null, gradSchool(9)]) {
      const g9 = graduates(9, school);
      expectRow(of('PREP-05'), { year: Y, school_id: school }, ratio(g9.filter((g) => g.honors === true).length, g9.length));
    }
    for (const school of [null, gradSchool(11)]) {
      const g11 = graduates(11, school);
      expectRow(of('PREP-06'), { year: Y, school_id: school }, ratio(g11.filter((g) => g.honors === true && g.medal === true).length, g11.length));
    }
  });

  const bestEge = (student: unknown, subject: string) =>
    Math.max(-Infinity, ...raw.main.filter((r) => r.year === Y && r.procedure === 'ЕГЭ' && r.subject === subject && r.student_id === student && r.test_score !== null).map((r) => r.test_score!));

  test('PREP-07: ЕГЭ Russian ≥ 70 among grade-11 graduates', () => {
    for (const school of [null, gradSchool(11)]) {
      const g = graduates(11, school);
      expectRow(of('PREP-07'), { year: Y, school_id: school }, ratio(g.filter((x) => bestEge(x.student_id, 'Русский язык') >= 70).length, g.length));
    }
  });

  test('PREP-08: elective subject bands among grade-11 graduates', () => {
    const subject = 'Обществознание';
    for (const band of [70, 80, 90, 100]) {
      for (const school of [null, gradSchool(11)]) {
        const g = graduates(11, school);
        expectRow(of('PREP-08'), { year: Y, school_id: school, subject, dimension: 'band', dimension_value: String(band) }, ratio(g.filter((x) => bestEge(x.student_id, subject) >= band).length, g.length));
      }
    }
    expect(of('PREP-08').some((r) => r.subject === 'Русский язык' || r.subject?.startsWith('Математика'))).toBe(false);
  });

  test('PREP-09: students assessed in functional literacy / students of the grade', () => {
    const fg = raw.main.filter((r) => r.year === Y && r.procedure === 'ФГ');
    const grade = fg[0].grade;
    const mon = demo.rows.monitoring.filter((m) => m.year === Y && m.code === `students_grade_${grade}`);
    // A participant is (school, code): ФГ codes restart in every school.
    const distinct = (list: Result[]) => new Set(list.map((r) => `${r.school_id}|${r.student_id}`)).size;
    const muniDen = mon.filter((m) => m.school_id !== null).reduce((a, m) => a + Number(m.value), 0);
    expectRow(of('PREP-09'), { year: Y, grade, school_id: null }, ratio(distinct(fg.filter((r) => r.grade === grade)), muniDen));
    const school = bigSchool(fg.filter((r) => r.grade === grade));
    const den = Number(mon.find((m) => m.school_id === school)!.value);
    expectRow(of('PREP-09'), { year: Y, grade, school_id: school }, ratio(distinct(fg.filter((r) => r.grade === grade && r.school_id === school)), den));
  });

  test.each([
    ['PREP-10', 'Читательская грамотность'],
    ['PREP-11', 'Математическая грамотность'],
    ['PREP-12', 'Естественно-научная грамотность'],
    ['PREP-13', 'Финансовая грамотность'],
  ])('%s: ФГ %s, mark ≥ 3 among the assessed', (id, subject) => {
    const list = raw.main.filter((r) => r.year === Y && r.procedure === 'ФГ' && r.subject === subject && r.mark !== null);
    expect(list.length).toBeGreaterThan(0);
    const grade = list[0].grade;
    const g = list.filter((r) => r.grade === grade);
    expectRow(of(id), { year: Y, grade, school_id: null }, shareOf(g, () => true, (r) => r.mark! >= 3));
    const school = bigSchool(g);
    expectRow(of(id), { year: Y, grade, school_id: school }, shareOf(g.filter((r) => r.school_id === school), () => true, (r) => r.mark! >= 3));
  });

  test.each([VPR, EGE_RU, OGE_MATH])('PREP-14 / PREP-15 / PREP-18 on %o', (w) => {
    const list = raw.work(w);
    for (const school of [null, bigSchool(list)]) {
      const l = school ? list.filter((r) => r.school_id === school) : list;
      const m = { ...w, school_id: school, dimension: null };
      expectRow(of('PREP-14'), m, shareOf(l, (r) => r.passed !== null, (r) => r.passed === false));
      expectRow(of('PREP-15'), m, shareOf(l, (r) => r.passed !== null, (r) => r.passed === true));
      expectRow(of('PREP-18'), m, shareOf(l, (r) => r.top !== null, (r) => r.top === true));
    }
  });

  test('PREP-16 / PREP-17: marks against the journal', () => {
    const list = raw.work(VPR).filter((r) => r.mark !== null && r.journal_mark !== null);
    for (const school of [null, bigSchool(list)]) {
      const l = school ? list.filter((r) => r.school_id === school) : list;
      const m = { ...VPR, school_id: school };
      expectRow(of('PREP-16'), m, shareOf(l, () => true, (r) => r.mark === r.journal_mark));
      expectRow(of('PREP-17'), { ...m, dimension_value: 'понизили' }, shareOf(l, () => true, (r) => r.mark! < r.journal_mark!));
      expectRow(of('PREP-17'), { ...m, dimension_value: 'повысили' }, shareOf(l, () => true, (r) => r.mark! > r.journal_mark!));
    }
  });

  test('PREP-19: mean solution rate of metasubject tasks', () => {
    const spec = new Map(demo.rows.tasks.map((t) => [`${t.year}|${t.procedure}|${t.subject}|${t.grade}|${t.task}`, t]));
    // A participant is (work, school, code): ФИС ОКО codes restart in every school.
    const byStudent = new Map(raw.work(VPR).map((r) => [`${r.school_id}|${r.student_id}`, r]));
    const items: { school: string | null; rate: number }[] = [];
    for (const t of demo.rows.task_scores) {
      if (t.year !== VPR.year || t.procedure !== VPR.procedure || t.subject !== VPR.subject || t.grade !== VPR.grade) continue;
      const res = byStudent.get(`${t.school_id}|${t.student_id}`);
      const sp = spec.get(`${t.year}|${t.procedure}|${t.subject}|${t.grade}|${t.task}`);
      if (!res || !sp || sp.metasubject !== true || t.score === null) continue;
      items.push({ school: res.school_id, rate: Number(t.score) / Number(sp.max_score) });
    }
    expect(items.length).toBeGreaterThan(0);
    expectRow(of('PREP-19'), { ...VPR, school_id: null }, { numerator: null, denominator: items.length, value: meanOf(items.map((i) => i.rate)) });
    const school = bigSchool(raw.work(VPR));
    const mine = items.filter((i) => i.school === school);
    expectRow(of('PREP-19'), { ...VPR, school_id: school }, { numerator: null, denominator: mine.length, value: meanOf(mine.map((i) => i.rate)) });
  });

  test('PREP-21: успеваемость, качество, СОУ', () => {
    const list = raw.work(OGE_MATH).filter((r) => r.mark !== null && r.mark >= 2 && r.mark <= 5);
    for (const school of [null, bigSchool(list)]) {
      const l = school ? list.filter((r) => r.school_id === school) : list;
      const c = (k: number) => l.filter((r) => r.mark === k).length;
      const m = { ...OGE_MATH, school_id: school };
      expectRow(of('PREP-21'), { ...m, dimension_value: 'успеваемость' }, ratio(c(3) + c(4) + c(5), l.length));
      expectRow(of('PREP-21'), { ...m, dimension_value: 'качество' }, ratio(c(4) + c(5), l.length));
      expectRow(of('PREP-21'), { ...m, dimension_value: 'СОУ' }, ratio(100 * c(5) + 64 * c(4) + 36 * c(3) + 16 * c(2), l.length));
    }
  });

  test('every PREP id is present with values', () => {
    for (let i = 1; i <= 21; i++) {
      const id = `PREP-${String(i).padStart(2, '0')}`;
      expect(of(id).filter((r) => r.value !== null).length, id).toBeGreaterThan(0);
    }
  });
});
