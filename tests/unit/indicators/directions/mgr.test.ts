import { afterAll, describe, expect, test } from 'vitest';
import { indicators } from '../../../../src/indicators/directions/mgr';
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
