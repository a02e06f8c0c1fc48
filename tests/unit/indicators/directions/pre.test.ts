import { afterAll, describe, expect, test } from 'vitest';
import { indicators } from '../../../../src/indicators/directions/pre';
import { runIndicators } from '../../../../src/indicators/run';
import { openDemo } from '../demo';
import { FIXTURE_DIR, checkIndicator, count, idsOf, runOn, sources, valueOf, type ExpectFn, type Expected, type Raw } from './expect';

/** Share of ДОО where `test` holds over the ДОО's own values (a ДОО without them is left out). */
const dooFlag = (raw: Raw, codes: string[], holds: (v: number[]) => boolean, asCount = false): ExpectFn => (y, s) => {
  const doo = raw.doo(y);
  const flagOf = (id: string): boolean | null => {
    const vals = codes.map((c) => raw.schoolValue(y, id, c));
    return vals.some((v) => v === null) ? null : holds(vals as number[]);
  };
  if (s !== null) {
    const f = doo.has(s) ? flagOf(s) : null;
    return f === null ? null : { numerator: f ? 1 : 0, denominator: 1, value: f ? 1 : 0 };
  }
  const flags = [...doo].map(flagOf).filter((f): f is boolean => f !== null);
  const n = flags.filter(Boolean).length;
  return { numerator: n, denominator: flags.length, value: asCount ? n : flags.length ? n / flags.length : null };
};
const flag1 = (raw: Raw, code: string) => dooFlag(raw, [code], ([v]) => v === 1);
const ratio = (raw: Raw, num: string, den: string): ExpectFn => (y, s) => raw.monitoringRatio(y, s, num, den, raw.doo(y));

const expectations = (raw: Raw): Record<string, ExpectFn> => ({
  'PRE-01': flag1(raw, 'dou_program_fgos'),
  'PRE-02': flag1(raw, 'dou_modern_environment'),
  'PRE-03': flag1(raw, 'dou_family_work'),
  'PRE-04': ratio(raw, 'dou_children', 'dou_pedagogues'),
  'PRE-05': ratio(raw, 'dou_pedagogues_higher_ed', 'dou_pedagogues'),
  'PRE-06': ratio(raw, 'dou_pedagogues_highest_cat', 'dou_pedagogues_staff'),
  'PRE-07': flag1(raw, 'dou_safe_conditions'),
  'PRE-08': (y, s, d): Expected | null => {
    if (d === null) return count(raw.monitoringSum(y, s, 'dou_complaints', raw.doo(y))!);
    const reporting = raw.reportingSchools(y, ['dou_complaints'], raw.doo(y));
    const withAny = reporting.filter((x) => raw.schoolValue(y, x, 'dou_complaints')! > 0).length;
    return { numerator: withAny, denominator: reporting.length, value: withAny };
  },
  'PRE-09': flag1(raw, 'dou_sanpin_ok'),
  'PRE-10': dooFlag(raw, ['dou_parents_satisfied', 'dou_parents_surveyed'], ([sat, surv]) => surv > 0 && sat / surv >= 0.95),
  'PRE-11': flag1(raw, 'dou_individual_family_support'),
  'PRE-12': flag1(raw, 'dou_development_program'),
  'PRE-13': dooFlag(raw, ['dou_projects'], ([v]) => v > 0, true),
});

describe.each(sources())('PRE on $name', ({ dir }) => {
  const run = runOn(dir, indicators);
  afterAll(async () => (await run).demo.conn.close());

  test('every PRE id is emitted', async () => {
    expect(idsOf((await run).rows)).toEqual(Array.from({ length: 13 }, (_, i) => `PRE-${String(i + 1).padStart(2, '0')}`));
  });

  for (const id of indicators.map((d) => d.id))
    test(`${id} equals the plain-TS expectation over ДОО for the municipality and every ДОО`, async () => {
      const { rows, raw } = await run;
      checkIndicator(rows, id, expectations(raw)[id]);
    });

  test('only ДОО appear as schools', async () => {
    const { rows, raw } = await run;
    for (const r of rows.filter((x) => x.school_id !== null)) expect(raw.doo(r.year!).has(r.school_id!), `${r.indicator_id} ${r.school_id}`).toBe(true);
  });
});

describe('PRE on the hand-made fixture: hand-checked figures', () => {
  const run = runOn(FIXTURE_DIR, indicators);
  afterAll(async () => (await run).demo.conn.close());

  test('shares of ДОО, pooled ratios, complaints', async () => {
    const { rows } = await run;
    // D1, D3 of D1..D3; school S1 reports the code too but is not a ДОО.
    expect(valueOf(rows, 'PRE-01', 2024, null)).toMatchObject({ numerator: 2, denominator: 3 });
    expect(valueOf(rows, 'PRE-01', 2024, 'S1')).toBeUndefined();
    expect(valueOf(rows, 'PRE-02', 2024, null)).toMatchObject({ numerator: 2, denominator: 2 }); // D3 did not report
    expect(valueOf(rows, 'PRE-04', 2024, null)).toMatchObject({ numerator: 190, denominator: 20, value: 9.5 });
    expect(valueOf(rows, 'PRE-08', 2024, null)?.value).toBe(3);
    expect(valueOf(rows, 'PRE-08', 2024, null, 'ДОО с обращениями')).toMatchObject({ numerator: 2, denominator: 3, value: 2 });
    expect(valueOf(rows, 'PRE-10', 2024, null)).toMatchObject({ numerator: 2, denominator: 3 }); // 96%, 86%, 100%
    expect(valueOf(rows, 'PRE-13', 2024, null)).toMatchObject({ numerator: 2, value: 2 });
  });
});

describe('PRE with inputs missing', () => {
  test('without schools (no way to tell ДОО) or a code, the indicator says so', async () => {
    const demo = await openDemo(FIXTURE_DIR);
    try {
      await demo.conn.query({ type: 'exec', sql: "DELETE FROM monitoring WHERE code = 'dou_sanpin_ok'" });
      let rows = await runIndicators(demo.conn, { indicators });
      expect(rows.filter((r) => r.indicator_id === 'PRE-09')).toEqual([
        expect.objectContaining({ dimension: 'missing', dimension_value: 'monitoring.code=dou_sanpin_ok', value: null }),
      ]);
      await demo.conn.query({ type: 'exec', sql: 'DROP TABLE schools' });
      rows = await runIndicators(demo.conn, { indicators });
      for (const id of indicators.map((d) => d.id)) {
        const mine = rows.filter((r) => r.indicator_id === id);
        expect(mine).toHaveLength(1);
        expect(mine[0]).toMatchObject({ dimension: 'missing', value: null });
        expect(mine[0].dimension_value).toContain('schools.school_type');
      }
    } finally {
      await demo.conn.close();
    }
  });
});
