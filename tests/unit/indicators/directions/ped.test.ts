import { afterAll, describe, expect, test } from 'vitest';
import { indicators } from '../../../../src/indicators/directions/ped';
import { runIndicators } from '../../../../src/indicators/run';
import { openDemo, type PlainRow } from '../demo';
import { FIXTURE_DIR, checkIndicator, count, idsOf, runOn, share, sources, valueOf, type ExpectFn, type Raw } from './expect';

const TEACHERS = ['учитель'];
const known = (col: string) => (s: PlainRow) => s[col] !== null && s[col] !== undefined;

const expectations = (raw: Raw, young = 3): Record<string, ExpectFn> => {
  const act = (activity: string, level?: string): ExpectFn => (y, s) =>
    raw.staffShare(y, s, TEACHERS, (p) => raw.hasActivity(y, String(p.staff_id), activity, level));
  return {
    'PED-01': (y, s, d) =>
      raw.staffShare(y, s, TEACHERS, (p) => raw.hasActivity(y, String(p.staff_id), 'deficit_diagnostics'), (p) => d === null || p.main_subject === d),
    'PED-02': act('methodical_event', 'муниципальный'),
    'PED-03': (y, s) => {
      if (s !== null) return null;
      const v = raw.monitoringSum(y, null, 'young_teacher_acts')!;
      return { numerator: v, denominator: null, value: v > 0 ? 1 : 0 };
    },
    'PED-04': (y, s) => {
      if (s !== null) return count(raw.schoolValue(y, s, 'mentoring_programs')!);
      const schools = raw.reportingSchools(y, ['mentoring_programs']);
      const withOne = schools.filter((x) => raw.schoolValue(y, x, 'mentoring_programs')! > 0).length;
      return { numerator: withOne, denominator: schools.length, value: withOne };
    },
    'PED-05': act('prof_contest'),
    'PED-06': (y, s) =>
      raw.staffShare(y, s, TEACHERS, (p) => raw.hasActivity(y, String(p.staff_id), 'young_teacher_support'), (p) => known('experience_years')(p) && Number(p.experience_years) <= young),
    'PED-07': (y, s, d) => (s === null ? count(raw.monitoringSum(y, null, d!)!) : null),
    'PED-08': (y, s) => count(raw.monitoringSum(y, s, 'teacher_vacancies')!),
    'PED-09': (y, s) => raw.staffShare(y, s, TEACHERS, (p) => p.education_matches_subject === true, known('education_matches_subject')),
    'PED-10': (y, s) => count(raw.staff(y, s, null).filter((p) => p.is_gia_expert === true).length),
    'PED-11': (y, s) =>
      raw.staffShare(y, s, TEACHERS, (p) => {
        const diag = raw.activities(y, String(p.staff_id), 'deficit_diagnostics');
        const pk = raw.activities(y, String(p.staff_id), 'pk_course');
        return diag.some((d) => pk.some((c) => d.date === null || c.date === null || String(c.date) >= String(d.date)));
      }),
    'PED-12': act('retraining'),
    'PED-13': (y, s, d) => {
      const withCategory = raw.staff(y, s, TEACHERS).filter(known('category'));
      return share(withCategory.filter((p) => p.category === d).length, withCategory.length);
    },
  };
};

describe.each(sources())('PED on $name', ({ dir }) => {
  const run = runOn(dir, indicators);
  afterAll(async () => (await run).demo.conn.close());

  test('every PED id is emitted', async () => {
    expect(idsOf((await run).rows)).toEqual(Array.from({ length: 13 }, (_, i) => `PED-${String(i + 1).padStart(2, '0')}`));
  });

  for (const id of indicators.map((d) => d.id))
    test(`${id} equals the plain-TS expectation for the municipality${['PED-03', 'PED-07'].includes(id) ? '' : ' and every school'}`, async () => {
      const { rows, raw } = await run;
      checkIndicator(rows, id, expectations(raw)[id], { schools: !['PED-03', 'PED-07'].includes(id) });
    });

  test('PED-01 has a row per main subject and PED-13 per category', async () => {
    const { rows, raw } = await run;
    const year = Math.max(...raw.rows.staff.map((s) => Number(s.year)));
    const subjects = new Set(raw.staff(year, null, TEACHERS).map((s) => s.main_subject).filter((v) => v !== null));
    const got = rows.filter((r) => r.indicator_id === 'PED-01' && r.year === year && r.school_id === null && r.dimension === 'main_subject');
    expect(new Set(got.map((r) => r.dimension_value))).toEqual(subjects);
    const cats = rows.filter((r) => r.indicator_id === 'PED-13' && r.year === year && r.school_id === null);
    expect(cats.reduce((a, r) => a + r.value!, 0)).toBeCloseTo(1);
  });

  test('PED-06 follows the young-teacher parameter', async () => {
    const { demo, raw } = await run;
    const rows = await runIndicators(demo.conn, { indicators, ids: ['PED-06'], params: { youngTeacherYears: 12 } });
    checkIndicator(rows, 'PED-06', expectations(raw, 12)['PED-06']);
  });
});

describe('PED on the hand-made fixture: hand-checked figures', () => {
  const run = runOn(FIXTURE_DIR, indicators);
  afterAll(async () => (await run).demo.conn.close());

  test('diagnostics, later courses, categories, municipal presence', async () => {
    const { rows } = await run;
    expect(valueOf(rows, 'PED-01', 2024, null)).toMatchObject({ numerator: 3, denominator: 6 });
    expect(valueOf(rows, 'PED-01', 2024, null, 'Математика')?.value).toBeCloseTo(2 / 3);
    // t1: course after diagnostic; t2: course before it (no); t3: diagnostic undated (counts).
    expect(valueOf(rows, 'PED-11', 2024, null)).toMatchObject({ numerator: 2, denominator: 6 });
    expect(valueOf(rows, 'PED-02', 2024, null)?.value).toBeCloseTo(1 / 6); // t6's event is школьный
    expect(valueOf(rows, 'PED-03', 2024, null)).toMatchObject({ numerator: 2, value: 1 });
    expect(valueOf(rows, 'PED-03', 2023, null)).toMatchObject({ numerator: 0, value: 0 });
    expect(valueOf(rows, 'PED-04', 2024, null)).toMatchObject({ numerator: 1, denominator: 2, value: 1 });
    expect(valueOf(rows, 'PED-06', 2024, null)).toMatchObject({ numerator: 1, denominator: 3 });
    expect(valueOf(rows, 'PED-07', 2024, null, 'methodical_associations')?.value).toBe(12);
    expect(valueOf(rows, 'PED-10', 2024, null)?.value).toBe(3);
    expect(valueOf(rows, 'PED-13', 2024, null, 'высшая')).toMatchObject({ numerator: 2, denominator: 5 });
  });
});

describe('PED with inputs missing', () => {
  test('a dropped table, column or monitoring code is reported', async () => {
    const demo = await openDemo(FIXTURE_DIR);
    try {
      await demo.conn.query({ type: 'exec', sql: "DELETE FROM monitoring WHERE code IN ('young_teacher_acts', 'teacher_vacancies')" });
      await demo.conn.query({ type: 'exec', sql: 'ALTER TABLE staff DROP COLUMN category' });
      await demo.conn.query({ type: 'exec', sql: 'ALTER TABLE staff_activities DROP COLUMN date' });
      const rows = await runIndicators(demo.conn, { indicators });
      const one = (id: string) => {
        const mine = rows.filter((r) => r.indicator_id === id);
        expect(mine).toHaveLength(1);
        expect(mine[0]).toMatchObject({ dimension: 'missing', value: null, numerator: null });
        return mine[0].dimension_value;
      };
      expect(one('PED-03')).toBe('monitoring.code=young_teacher_acts');
      expect(one('PED-08')).toBe('monitoring.code=teacher_vacancies');
      expect(one('PED-13')).toBe('staff.category');
      expect(one('PED-11')).toBe('staff_activities.date');
      expect(valueOf(rows, 'PED-12', 2024, null)?.value).toBeCloseTo(1 / 6);
    } finally {
      await demo.conn.close();
    }
  });
});
