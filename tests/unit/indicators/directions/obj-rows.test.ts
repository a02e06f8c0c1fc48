/**
 * criterionRows (OBJ-01…06 rows from the criteria): the municipal «flagged_share» per work counted
 * by hand, and a turn for the page per criterion and per work (a regional set has ≈25k criteria per
 * id; OBJ-05 held the tab's thread ≈200 ms in one synchronous stretch).
 */
import { describe, expect, test } from 'vitest';
import { breaths } from '../../../../src/indicators/yield';
import { criterionRows } from '../../../../src/indicators/directions/obj';
import type { Criterion } from '../../../../src/indicators/analysis/objectivity-common';

const criterion = (grade: number, school: number, flagged: boolean | null, reliable = true): Criterion => ({
  criterion: 'OBJ-05',
  year: 2024,
  procedure: 'ВПР',
  subject: 'Математика',
  grade,
  school_id: `S${school}`,
  n: 20,
  reliable,
  flagged,
  reason: flagged ? 'причина' : null,
  values: { at_share: 0.5, p_value: 0.01 },
});

describe('criterionRows', () => {
  test('per work: flagged among the reliable schools that could be evaluated', async () => {
    // Grade 5: 300 schools, every 3rd flagged, every 10th unreliable, school 1 not evaluable.
    const five = Array.from({ length: 300 }, (_, i) => criterion(5, i, i === 1 ? null : i % 3 === 0, i % 10 !== 7));
    // Grade 6: 2 schools, one flagged; an OBJ-02 criterion is not OBJ-05's.
    const six = [criterion(6, 0, true), criterion(6, 1, false), { ...criterion(6, 2, true), criterion: 'OBJ-02' as const }];
    const before = breaths.calls;
    const rows = await criterionRows('OBJ-05', [...five, ...six]);
    const share = (grade: number) => rows.find((r) => r.dimension === 'flagged_share' && r.grade === grade);
    // Reliable and evaluable in grade 5: 300 − 30 unreliable − school 1 = 269; flagged: multiples of 3
    // (100) minus the unreliable ones among them (i % 10 = 7 and i % 3 = 0: 27, 57, …, 297 — 10).
    expect(share(5)).toMatchObject({ numerator: 90, denominator: 269, value: 90 / 269 });
    expect(share(6)).toMatchObject({ numerator: 1, denominator: 2, value: 1 / 2 });
    // Per criterion: its two values and its flag.
    expect(rows.filter((r) => r.dimension !== 'flagged_share')).toHaveLength(302 * 3);
    expect(rows.find((r) => r.school_id === 'S1' && r.grade === 5 && r.dimension === 'flag')?.value).toBeNull();
    expect(breaths.calls - before).toBeGreaterThanOrEqual(302 + 2);
  });
});
