import { afterAll, describe, expect, test } from 'vitest';
import { indicators } from '../../../../src/indicators/directions/car';
import { runIndicators } from '../../../../src/indicators/run';
import { openDemo, type PlainRow } from '../demo';
import { FIXTURE_DIR, checkIndicator, count, idsOf, runOn, sources, valueOf, type ExpectFn, type Raw } from './expect';

const grad = (raw: Raw, grade: number, pred: (g: PlainRow) => boolean): ExpectFn => (y, s) => raw.graduateShare(y, s, grade, pred);
const ratio = (raw: Raw, num: string, den: string): ExpectFn => (y, s) => raw.monitoringRatio(y, s, num, den);
const sum = (raw: Raw, code: string): ExpectFn => (y, s) => count(raw.monitoringSum(y, s, code)!);

const expectations = (raw: Raw): Record<string, ExpectFn> => ({
  'CAR-01': grad(raw, 11, (g) => (g.destination === 'ВУЗ' || g.destination === 'ПОО') && g.destination_by_profile === true),
  'CAR-02': grad(raw, 9, (g) => g.destination === 'ПОО'),
  'CAR-03': grad(raw, 9, (g) => g.destination === 'ПОО' && g.destination_by_profile === true && g.gia_subjects_match_profile === true),
  'CAR-04': grad(raw, 11, (g) => g.destination === 'ПОО'),
  'CAR-05': grad(raw, 11, (g) => g.destination === 'ВУЗ'),
  'CAR-06': grad(raw, 11, (g) => g.gia_subjects_match_profile === true),
  'CAR-07': (y, s) => count(raw.achievementStudents(y, s, 'чемпионат', null).size),
  'CAR-08': ratio(raw, 'bilet_6_11', 'students_6_11'),
  'CAR-09': ratio(raw, 'career_event_participants', 'students_total'),
  'CAR-10': ratio(raw, 'career_tested_6_11', 'students_6_11'),
  'CAR-11': sum(raw, 'career_longterm_project'),
  'CAR-12': sum(raw, 'ovz_career_participants'),
  'CAR-13': sum(raw, 'trial_workplaces'),
  'CAR-14': ratio(raw, 'parents_helped', 'parents_total'),
  'CAR-15': ratio(raw, 'students_in_additional_ed', 'students_total'),
});

describe.each(sources())('CAR on $name', ({ dir }) => {
  const run = runOn(dir, indicators);
  afterAll(async () => (await run).demo.conn.close());

  test('every CAR id is emitted', async () => {
    expect(idsOf((await run).rows)).toEqual(Array.from({ length: 15 }, (_, i) => `CAR-${String(i + 1).padStart(2, '0')}`));
  });

  for (const id of indicators.map((d) => d.id))
    test(`${id} equals the plain-TS expectation for the municipality and every school`, async () => {
      const { rows, raw } = await run;
      // Monitoring codes reported only at the municipal level (trial_workplaces in the demo) have no school rows.
      const codes = indicators.find((d) => d.id === id)!.monitoringCodes ?? [];
      checkIndicator(rows, id, expectations(raw)[id], { schools: codes.every((c) => raw.hasSchoolRows(c)) });
    });
});

describe('CAR on the hand-made fixture: hand-checked figures', () => {
  const run = runOn(FIXTURE_DIR, indicators);
  afterAll(async () => (await run).demo.conn.close());

  test('graduates, championship, monitoring ratios', async () => {
    const { rows } = await run;
    expect(valueOf(rows, 'CAR-01', 2024, null)?.value).toBeCloseTo(2 / 4); // g1 ВУЗ by profile, g4 ВУЗ by profile
    expect(valueOf(rows, 'CAR-02', 2024, 'S2')?.value).toBe(1);
    expect(valueOf(rows, 'CAR-03', 2024, null)?.value).toBeCloseTo(1 / 4); // only g5
    expect(valueOf(rows, 'CAR-06', 2024, 'S2')?.value).toBe(0); // NULL match counts as not matching
    expect(valueOf(rows, 'CAR-07', 2024, null)?.value).toBe(2); // a7 at two stages counted once
    expect(valueOf(rows, 'CAR-08', 2024, null)).toMatchObject({ numerator: 130, denominator: 300 });
    expect(valueOf(rows, 'CAR-13', 2024, 'S2')?.value).toBe(0);
  });
});

describe('CAR with inputs missing', () => {
  test('a dropped table or monitoring code is reported', async () => {
    const demo = await openDemo(FIXTURE_DIR);
    try {
      await demo.conn.query({ type: 'exec', sql: 'DROP TABLE graduates' });
      await demo.conn.query({ type: 'exec', sql: "DELETE FROM monitoring WHERE code IN ('students_6_11', 'trial_workplaces')" });
      const rows = await runIndicators(demo.conn, { indicators });
      const one = (id: string) => {
        const mine = rows.filter((r) => r.indicator_id === id);
        expect(mine).toHaveLength(1);
        expect(mine[0].value).toBeNull();
        expect(mine[0].dimension).toBe('missing');
        return mine[0].dimension_value;
      };
      for (const id of ['CAR-01', 'CAR-02', 'CAR-03', 'CAR-04', 'CAR-05', 'CAR-06']) expect(one(id)).toContain('graduates.');
      expect(one('CAR-03')).toContain('graduates.gia_subjects_match_profile');
      expect(one('CAR-08')).toBe('monitoring.code=students_6_11');
      expect(one('CAR-10')).toBe('monitoring.code=students_6_11');
      expect(one('CAR-13')).toBe('monitoring.code=trial_workplaces');
      expect(valueOf(rows, 'CAR-07', 2024, null)?.value).toBe(2);
    } finally {
      await demo.conn.close();
    }
  });
});
