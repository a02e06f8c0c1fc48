/**
 * GIA-01 builds four rows per school × work mean in JavaScript (≈400k rows on a regional set): the
 * page gets a turn between means, not only between works, so the tab's main thread is never held
 * for the whole list (the regional catalogue's longest block, 160 ms, was there).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { indicators } from '../../../../src/indicators/directions/gia';
import { DEFAULT_PARAMS as params } from '../../../../src/indicators/types';
import { breaths } from '../../../../src/indicators/yield';
import { demoAvailable, openDemo, type Demo } from '../demo';

const gia01 = indicators.find((d) => d.id === 'GIA-01')!;
let demo: Demo;
beforeAll(async () => {
  demo = await openDemo();
}, 120_000);
afterAll(() => demo?.conn.close());

describe.runIf(demoAvailable())('GIA-01', () => {
  test('gives the page a turn for every school × work mean it turns into rows', async () => {
    const before = breaths.calls;
    const computed = await gia01.compute({ conn: demo.conn, params, tables: await demo.conn.listTables() });
    const rows = Array.isArray(computed) ? computed : computed.rows ?? [];
    const means = rows.filter((r) => r.dimension === 'rank').length;
    // The demo's school × work means, counted independently from the raw results.
    const works = new Set(
      demo.rows.assessment_results
        .filter((r) => r.school_id !== null && (r.primary_score !== null || r.test_score !== null))
        .map((r) => [r.year, r.procedure, r.subject, r.grade, r.school_id].join('|')),
    );
    expect(means).toBeGreaterThan(1000);
    expect(means).toBeLessThanOrEqual(works.size);
    expect(breaths.calls - before).toBeGreaterThanOrEqual(means);
  }, 120_000);
});
