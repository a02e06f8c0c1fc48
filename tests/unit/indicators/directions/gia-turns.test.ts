/**
 * GIA-01 builds four rows per school × work mean in JavaScript (≈400k rows on a regional set): the
 * page gets a turn between means, not only between works, so the tab's main thread is never held
 * for the whole list (the regional catalogue's longest block, 160 ms, was there).
 */
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { IndicatorDef } from '../../../../src/indicators/types';
import { demoAvailable, openDemo, type Demo } from '../demo';

const turns = vi.hoisted(() => ({ n: 0 }));
vi.mock('../../../../src/indicators/yield', () => ({ breathe: async () => void turns.n++, SLICE_MS: 25 }));

// Imported afresh: the unit files share one module cache, in which gia.ts may already be bound to
// the real yield; after vi.resetModules() it is bound to the mock above.
let gia01: IndicatorDef;
let params: typeof import('../../../../src/indicators/types').DEFAULT_PARAMS;
let demo: Demo;
beforeAll(async () => {
  vi.resetModules();
  gia01 = (await import('../../../../src/indicators/directions/gia')).indicators.find((d) => d.id === 'GIA-01')!;
  params = (await import('../../../../src/indicators/types')).DEFAULT_PARAMS;
  demo = await openDemo();
}, 120_000);
afterAll(() => demo?.conn.close());

describe.runIf(demoAvailable())('GIA-01', () => {
  test('gives the page a turn for every school × work mean it turns into rows', async () => {
    turns.n = 0;
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
    expect(turns.n).toBeGreaterThanOrEqual(means);
  }, 120_000);
});
