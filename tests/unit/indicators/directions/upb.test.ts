import { afterAll, describe, expect, test } from 'vitest';
import { indicators } from '../../../../src/indicators/directions/upb';
import { runIndicators } from '../../../../src/indicators/run';
import { openDemo } from '../demo';
import { FIXTURE_DIR, checkIndicator, count, idsOf, runOn, share, sources, valueOf, type ExpectFn, type Raw } from './expect';

const LEVELS: Record<string, string> = { НОО: 'noo', ООО: 'ooo', СОО: 'soo' };

/** Per level the ratio of the two codes; without a level the levels pooled (those with both codes). */
const byLevel = (raw: Raw, prefix: string): ExpectFn => (y, s, d) => {
  if (d !== null) return raw.monitoringRatio(y, s, `${prefix}_${LEVELS[d]}`, `students_${LEVELS[d]}`);
  let n = 0;
  let den = 0;
  for (const suffix of Object.values(LEVELS)) {
    const r = raw.monitoringRatio(y, s, `${prefix}_${suffix}`, `students_${suffix}`);
    if (r && r.numerator !== null && r.denominator !== null) (n += r.numerator), (den += r.denominator);
  }
  return share(n, den);
};

const expectations = (raw: Raw): Record<string, ExpectFn> => ({
  'UPB-01': (y, s) => raw.staffShare(y, s, ['учитель'], (p) => raw.hasActivity(y, String(p.staff_id), 'upbringing_training')),
  'UPB-02': (y, s) => count(raw.monitoringSum(y, s, 'upbringing_programs')!),
  'UPB-03': byLevel(raw, 'volunteers'),
  'UPB-04': byLevel(raw, 'prevention'),
  'UPB-05': (y, s) => count(raw.monitoringSum(y, s, 'youth_org_branches')!),
  'UPB-06': (y, s) => count(raw.monitoringSum(y, s, 'volunteer_associations')!),
});

describe.each(sources())('UPB on $name', ({ dir }) => {
  const run = runOn(dir, indicators);
  afterAll(async () => (await run).demo.conn.close());

  test('every UPB id is emitted', async () => {
    expect(idsOf((await run).rows)).toEqual(['UPB-01', 'UPB-02', 'UPB-03', 'UPB-04', 'UPB-05', 'UPB-06']);
  });

  for (const id of indicators.map((d) => d.id))
    test(`${id} equals the plain-TS expectation for the municipality and every school`, async () => {
      const { rows, raw } = await run;
      checkIndicator(rows, id, expectations(raw)[id]);
    });

  test('UPB-03 and UPB-04 have the three education levels for the municipality', async () => {
    const { rows } = await run;
    for (const id of ['UPB-03', 'UPB-04']) {
      const levels = rows.filter((r) => r.indicator_id === id && r.school_id === null && r.dimension === 'level').map((r) => r.dimension_value);
      expect(new Set(levels)).toEqual(new Set(['НОО', 'ООО', 'СОО']));
    }
  });
});

describe('UPB on the hand-made fixture: hand-checked figures', () => {
  const run = runOn(FIXTURE_DIR, indicators);
  afterAll(async () => (await run).demo.conn.close());

  test('levels, pooled share, sums', async () => {
    const { rows } = await run;
    expect(valueOf(rows, 'UPB-03', 2024, null, 'НОО')).toMatchObject({ numerator: 15, denominator: 240 });
    expect(valueOf(rows, 'UPB-03', 2024, null, 'СОО')).toMatchObject({ numerator: 20, denominator: 60 }); // S2 has no СОО
    expect(valueOf(rows, 'UPB-03', 2024, 'S2')).toMatchObject({ numerator: 15, denominator: 90 });
    expect(valueOf(rows, 'UPB-04', 2024, 'S1', 'ООО')?.value).toBeCloseTo(8 / 250);
    expect(valueOf(rows, 'UPB-01', 2024, null)?.value).toBeCloseTo(1 / 6);
    expect(valueOf(rows, 'UPB-06', 2024, null)?.value).toBe(3);
  });
});

describe('UPB with inputs missing', () => {
  test('a missing level code is reported', async () => {
    const demo = await openDemo(FIXTURE_DIR);
    try {
      await demo.conn.query({ type: 'exec', sql: "DELETE FROM monitoring WHERE code IN ('students_soo', 'youth_org_branches')" });
      const rows = await runIndicators(demo.conn, { indicators });
      const only = (id: string) => rows.filter((r) => r.indicator_id === id);
      expect(only('UPB-03')).toEqual([expect.objectContaining({ dimension: 'missing', dimension_value: 'monitoring.code=students_soo', value: null })]);
      expect(only('UPB-05')).toEqual([expect.objectContaining({ dimension: 'missing', dimension_value: 'monitoring.code=youth_org_branches', value: null })]);
      expect(valueOf(rows, 'UPB-02', 2024, null)?.value).toBe(3);
    } finally {
      await demo.conn.close();
    }
  });
});
