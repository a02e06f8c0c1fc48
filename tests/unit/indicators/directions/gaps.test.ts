/**
 * Issue #12, defects 4 and 5: unknown is not «no» (LOW-02 with an empty social index / ШФНСУ flag)
 * and zeros are values (GIA-05, PED-13, PREP-09 omitted the rows whose true value is 0). The
 * expectations are plain TypeScript over the raw rows of the demo's canonical CSVs.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runIndicators } from '../../../../src/indicators/run';
import type { IndicatorRow } from '../../../../src/indicators/types';
import { demoAvailable, openDemo, type Demo, type PlainRow } from '../demo';
import { FIXTURE_DIR } from './expect';

interface Want {
  key: string;
  numerator: number;
  denominator: number | null;
}

/** Every expected row is present with its figures; returns how many of them are zeros. */
function expectAll(rows: IndicatorRow[], id: string, keyOf: (r: IndicatorRow) => string, want: Want[]): number {
  const got = new Map(rows.filter((r) => r.indicator_id === id).map((r) => [keyOf(r), r]));
  for (const w of want) {
    const r = got.get(w.key);
    expect(r, `${id} ${w.key}`).toBeDefined();
    expect(r!.numerator, `${id} ${w.key}`).toBe(w.numerator);
    expect(r!.denominator, `${id} ${w.key}`).toBe(w.denominator);
    if (w.denominator) expect(r!.value!, `${id} ${w.key}`).toBeCloseTo(w.numerator / w.denominator, 12);
  }
  return want.filter((w) => w.numerator === 0).length;
}

const distinct = (xs: PlainRow[], col: string) => new Set(xs.map((x) => String(x[col]))).size;

describe.skipIf(!demoAvailable())('zeros are values (demo municipality)', () => {
  let demo: Demo;
  let rows: IndicatorRow[];
  beforeAll(async () => {
    demo = await openDemo();
    rows = await runIndicators(demo.conn, { ids: ['GIA-05', 'PREP-09', 'PED-13'] });
  }, 300_000);
  afterAll(() => demo?.conn.close());
  const main = () => demo.rows.assessment_results.filter((r) => r.retake !== true);

  test('GIA-05: every school that sat the exam has a row for every elective of its year, 0 when nobody chose it', () => {
    const exam = main().filter((r) => (r.procedure === 'ОГЭ' && r.grade === 9) || (r.procedure === 'ЕГЭ' && r.grade === 11));
    const elective = exam.filter((r) => r.subject !== 'Русский язык' && !String(r.subject).startsWith('Математика'));
    const want: Want[] = [];
    for (const work of new Set(elective.map((r) => `${r.year}|${r.procedure}|${r.subject}|${r.grade}`))) {
      const [year, procedure, subject, grade] = work.split('|');
      const schools = new Set(exam.filter((r) => String(r.year) === year && r.procedure === procedure && String(r.grade) === grade && r.school_id !== null).map((r) => String(r.school_id)));
      for (const s of schools) {
        const n = distinct(elective.filter((r) => `${r.year}|${r.procedure}|${r.subject}|${r.grade}` === work && String(r.school_id) === s), 'student_id');
        const d = demo.rows.graduates.filter((g) => String(g.year) === year && String(g.grade) === grade && String(g.school_id) === s).length;
        want.push({ key: `${work}|${s}`, numerator: n, denominator: d || null });
      }
    }
    const zeros = expectAll(rows, 'GIA-05', (r) => `${r.year}|${r.procedure}|${r.subject}|${r.grade}|${r.school_id}`, want);
    expect(zeros).toBeGreaterThan(0);
  });

  test('PREP-09: a school reporting pupils of an assessed grade has a row, 0 when none of them was assessed', () => {
    const fg = main().filter((r) => r.procedure === 'ФГ');
    const want: Want[] = [];
    for (const yg of new Set(fg.map((r) => `${r.year}|${r.grade}`))) {
      const [year, grade] = yg.split('|');
      for (const m of demo.rows.monitoring.filter((x) => String(x.year) === year && x.code === `students_grade_${grade}` && x.school_id !== null && Number(x.value) > 0)) {
        const n = distinct(fg.filter((r) => `${r.year}|${r.grade}` === yg && String(r.school_id) === String(m.school_id)), 'student_id');
        want.push({ key: `${yg}|${m.school_id}`, numerator: n, denominator: Number(m.value) });
      }
    }
    expect(want.length).toBeGreaterThan(0);
    expectAll(rows, 'PREP-09', (r) => `${r.year}|${r.grade}|${r.school_id}`, want);
  });

  test('PED-13: every school with teachers of a known category has a row per category of the year, 0 when it has none', () => {
    const teachers = demo.rows.staff.filter((s) => s.position === 'учитель' && s.category !== null);
    const want: Want[] = [];
    for (const year of new Set(teachers.map((t) => t.year))) {
      const inYear = teachers.filter((t) => t.year === year);
      const categories = new Set(inYear.map((t) => String(t.category)));
      for (const school of new Set(inYear.filter((t) => t.school_id !== null).map((t) => String(t.school_id)))) {
        const mine = inYear.filter((t) => String(t.school_id) === school);
        for (const c of categories)
          want.push({ key: `${year}|${school}|${c}`, numerator: distinct(mine.filter((t) => t.category === c), 'staff_id'), denominator: distinct(mine, 'staff_id') });
      }
    }
    const zeros = expectAll(rows, 'PED-13', (r) => `${r.year}|${r.school_id}|${r.dimension_value}`, want);
    expect(zeros).toBeGreaterThan(0);
    expect(rows.filter((r) => r.indicator_id === 'PED-13' && r.school_id !== null)).toHaveLength(want.length);
  });
});

describe('LOW-02: unknown is not «no»', () => {
  const low02 = async (sql: string[]) => {
    const demo = await openDemo(FIXTURE_DIR);
    try {
      for (const s of sql) await demo.conn.query({ type: 'exec', sql: s });
      return (await runIndicators(demo.conn, { ids: ['LOW-02'] })).filter((r) => r.indicator_id === 'LOW-02');
    } finally {
      await demo.conn.close();
    }
  };
  const flag = (rows: IndicatorRow[], school: string | null) => rows.find((r) => r.school_id === school && r.dimension === null);

  test('an empty social index and ШФНСУ flag give a missing row, no school reported as not ШФНСУ', async () => {
    const rows = await low02(['UPDATE schools SET social_index = NULL, shnsu = NULL']);
    expect(rows.filter((r) => r.value === 0)).toEqual([]);
    // One missing row per year of `schools` (2023, 2024), nothing else.
    expect(rows.map((r) => r.year)).toEqual([2023, 2024]);
    for (const r of rows) expect(r).toMatchObject({ school_id: null, dimension: 'missing', dimension_value: 'schools.social_index, schools.shnsu', value: null });
  });

  test('a school whose index is unknown and not flagged by the source is NULL, out of the municipal share', async () => {
    // S1 0.8 / false, S2 0.2 / true, S3 unknown / unknown. Cutoff = Q25 of {0.2, 0.8} = 0.35.
    const rows = await low02(["INSERT INTO schools (year, school_id, school_type) VALUES (2024, 'S3', 'СОШ')"]);
    expect(flag(rows, 'S1')?.value).toBe(0);
    expect(flag(rows, 'S2')?.value).toBe(1);
    expect(flag(rows, 'S3')).toMatchObject({ value: null });
    expect(flag(rows, 'S3')?.dimension_value).toContain('нет данных');
    expect(flag(rows, null)).toMatchObject({ numerator: 1, denominator: 2, value: 0.5 });
  });

  test('with the source flag empty everywhere, the index alone decides', async () => {
    const rows = await low02(['UPDATE schools SET shnsu = NULL']);
    expect([flag(rows, 'S1')?.value, flag(rows, 'S2')?.value]).toEqual([0, 1]);
  });
});

describe.skipIf(!demoAvailable())('GIA-06: task scores above the task maximum', () => {
  test('are left out of the solution rate and reported per task', async () => {
    const demo = await openDemo();
    try {
      const spec = demo.rows.tasks.find((t) => t.procedure === 'ВПР' && t.task !== null)!;
      const work = (x: PlainRow) => x.year === spec.year && x.procedure === spec.procedure && x.subject === spec.subject && x.grade === spec.grade;
      const max = Number(spec.max_score);
      const where = `year = ${spec.year} AND procedure = '${spec.procedure}' AND subject = '${spec.subject}' AND grade = ${spec.grade} AND task = '${spec.task}'`;
      // Three scores of the task beyond its maximum (a data error).
      const bad = (await demo.conn.query({ type: 'rows', sql: `SELECT school_id, student_id FROM task_scores WHERE ${where} ORDER BY school_id, student_id LIMIT 3` })).map(
        (r) => `${r.school_id}|${r.student_id}`,
      );
      await demo.conn.query({ type: 'exec', sql: `UPDATE task_scores SET score = ${max + 5} WHERE ${where} AND school_id || '|' || student_id IN (${bad.map((b) => `'${b}'`).join(', ')})` });
      const rows = (await runIndicators(demo.conn, { ids: ['GIA-06'] })).filter((r) => r.indicator_id === 'GIA-06');
      expect(rows.filter((r) => r.dimension === 'task' && r.value! > 1)).toEqual([]);
      const participants = new Set(demo.rows.assessment_results.filter((r) => work(r) && r.retake !== true).map((r) => `${r.school_id}|${r.student_id}`));
      const kept = demo.rows.task_scores.filter(
        (t) => work(t) && String(t.task) === String(spec.task) && t.score !== null && participants.has(`${t.school_id}|${t.student_id}`) && !bad.includes(`${t.school_id}|${t.student_id}`),
      );
      const muni = rows.find((r) => r.school_id === null && r.year === spec.year && r.subject === spec.subject && r.grade === spec.grade && r.procedure === spec.procedure && r.dimension === 'task' && r.dimension_value === String(spec.task))!;
      expect(muni.numerator).toBe(kept.reduce((a, t) => a + Number(t.score), 0));
      expect(muni.denominator).toBe(kept.length * max);
      const flagged = rows.filter((r) => r.dimension === 'above_max|task');
      const muniFlag = flagged.find((r) => r.school_id === null)!;
      expect(muniFlag).toMatchObject({ year: spec.year, procedure: spec.procedure, subject: spec.subject, grade: spec.grade, dimension_value: String(spec.task), value: 3 });
      expect(flagged.filter((r) => r.school_id !== null).reduce((a, r) => a + r.value!, 0)).toBe(3);
    } finally {
      await demo.conn.close();
    }
  }, 300_000);
});
