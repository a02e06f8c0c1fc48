import { afterAll, describe, expect, test } from 'vitest';
import { indicators } from '../../../../src/indicators/directions/tal';
import { runIndicators } from '../../../../src/indicators/run';
import { openDemo } from '../demo';
import { FIXTURE_DIR, checkIndicator, count, idsOf, runOn, share, sources, valueOf, type Raw } from './expect';

const WIN = ['победитель', 'призёр'];
const winners = (a: { status?: unknown }) => WIN.includes(String(a.status));

const expectations = (raw: Raw) => ({
  'TAL-01': (y: number, s: string | null) => count(raw.monitoringSum(y, s, 'extracurricular_students')!),
  'TAL-02': (y: number, s: string | null) => raw.monitoringRatio(y, s, 'children_5_18_in_additional_ed', 'children_5_18'),
  'TAL-03': (y: number, s: string | null, d: string | null) => count(raw.achievementStudents(y, s, 'олимпиада', d).size),
  'TAL-04': (y: number, s: string | null, d: string | null) =>
    share(raw.achievementStudents(y, s, 'олимпиада', d, winners).size, raw.achievementStudents(y, s, 'олимпиада', d).size),
  'TAL-05': (y: number, s: string | null, d: string | null) => count(raw.achievementStudents(y, s, 'конкурс', d).size),
  'TAL-06': (y: number, s: string | null, d: string | null) =>
    share(raw.achievementStudents(y, s, 'конкурс', d, winners).size, raw.achievementStudents(y, s, 'конкурс', d).size),
  'TAL-07': (y: number, s: string | null) => raw.monitoringRatio(y, s, 'gifted_individual_routes', 'gifted_students'),
  'TAL-08': (y: number, s: string | null) =>
    count(raw.staff(y, s, null).filter((p) => raw.hasActivity(y, String(p.staff_id), 'talent_training')).length),
  'TAL-09': (y: number, s: string | null, d: string | null) =>
    raw.graduateShare(y, s, 11, (g) => g.destination === 'ВУЗ', { col: 'profile', value: d }),
});

describe.each(sources())('TAL on $name', ({ dir }) => {
  const run = runOn(dir, indicators);
  afterAll(async () => (await run).demo.conn.close());

  test('every TAL id is emitted', async () => {
    expect(idsOf((await run).rows)).toEqual(['TAL-01', 'TAL-02', 'TAL-03', 'TAL-04', 'TAL-05', 'TAL-06', 'TAL-07', 'TAL-08', 'TAL-09']);
  });

  for (const id of indicators.map((d) => d.id))
    test(`${id} equals the plain-TS expectation for the municipality and every school`, async () => {
      const { rows, raw } = await run;
      // children_5_18 may be a municipality-only figure (it is in the demo): then there are no school rows.
      const schools = id !== 'TAL-02' || raw.hasSchoolRows('children_5_18');
      checkIndicator(rows, id, (expectations(raw) as Record<string, Parameters<typeof checkIndicator>[2]>)[id], { schools });
    });
});

describe('TAL on the hand-made fixture: hand-checked figures', () => {
  const run = runOn(FIXTURE_DIR, indicators);
  afterAll(async () => (await run).demo.conn.close());

  test('olympiad stages, contests, trained teachers, university entrants', async () => {
    const { rows } = await run;
    // a1 (winner) and a3 (prize-winner) of a1, a2, a3 at the school stage; a1 counted once despite two subjects.
    expect(valueOf(rows, 'TAL-03', 2024, null, 'школьный')?.value).toBe(3);
    expect(valueOf(rows, 'TAL-04', 2024, null, 'школьный')?.value).toBeCloseTo(2 / 3);
    expect(valueOf(rows, 'TAL-04', 2024, 'S1', 'муниципальный')?.value).toBe(0);
    expect(valueOf(rows, 'TAL-06', 2024, 'S2', 'региональный')?.value).toBe(1);
    // t1 and m1 are staff; x9 has the course but is not in staff.
    expect(valueOf(rows, 'TAL-08', 2024, null)?.value).toBe(2);
    expect(valueOf(rows, 'TAL-02', 2024, 'S1')?.value).toBeCloseTo(0.6);
    expect(valueOf(rows, 'TAL-07', 2024, null)?.value).toBeCloseTo(6 / 24);
    expect(valueOf(rows, 'TAL-09', 2024, null)?.value).toBeCloseTo(2 / 4);
    expect(valueOf(rows, 'TAL-09', 2024, 'S1', 'технологический')?.value).toBeCloseTo(1 / 2);
  });
});

describe('TAL with inputs missing', () => {
  test('a dropped table, column or monitoring code is reported, not failed on or zeroed', async () => {
    const demo = await openDemo(FIXTURE_DIR);
    try {
      await demo.conn.query({ type: 'exec', sql: 'DROP TABLE achievements' });
      await demo.conn.query({ type: 'exec', sql: 'ALTER TABLE graduates DROP COLUMN destination' });
      await demo.conn.query({ type: 'exec', sql: "DELETE FROM monitoring WHERE code = 'gifted_students'" });
      const rows = await runIndicators(demo.conn, { indicators });
      const only = (id: string) => rows.filter((r) => r.indicator_id === id);
      for (const id of ['TAL-03', 'TAL-04', 'TAL-05', 'TAL-06']) {
        expect(only(id)).toHaveLength(1);
        expect(only(id)[0]).toMatchObject({ dimension: 'missing', value: null });
        expect(only(id)[0].dimension_value).toContain('achievements.student_id');
      }
      expect(only('TAL-09')[0]).toMatchObject({ dimension: 'missing', dimension_value: 'graduates.destination', value: null });
      expect(only('TAL-07')[0]).toMatchObject({ dimension: 'missing', dimension_value: 'monitoring.code=gifted_students', value: null });
      // The rest still computes.
      expect(valueOf(rows, 'TAL-02', 2024, 'S1')?.value).toBeCloseTo(0.6);
    } finally {
      await demo.conn.close();
    }
  });
});
