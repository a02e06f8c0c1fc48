import { afterAll, beforeAll, expect, test } from 'vitest';
import { lowYearCriteria } from '../../../../src/indicators/analysis/low';
import { runIndicators } from '../../../../src/indicators/run';
import { DEFAULT_PARAMS, type IndicatorRow } from '../../../../src/indicators/types';
import { demoAvailable, openDemo, readPlanted, type Demo } from '../demo';

let demo: Demo;
let rows: IndicatorRow[];
beforeAll(async () => {
  demo = await openDemo();
  rows = await runIndicators(demo.conn, { ids: ['LOW-11', 'OBJ-07'] });
}, 300_000);
afterAll(() => demo?.conn.close());

test.skipIf(!demoAvailable())('LOW-11 proposes no strong school or partner that OBJ flags as non-objective', async () => {
  const strong = rows.filter((r) => r.indicator_id === 'LOW-11' && r.dimension === 'strong');
  const partners = rows.filter((r) => r.indicator_id === 'LOW-11' && r.dimension === 'partner' && r.dimension_value);
  expect(strong.length).toBeGreaterThan(0);
  expect(partners.length).toBeGreaterThan(0);
  const year = strong[0].year!;
  const flagged = new Set(
    rows.filter((r) => r.indicator_id === 'OBJ-07' && r.dimension === 'all_criteria' && r.school_id && r.value === 1 && r.year! <= year && r.year! > year - DEFAULT_PARAMS.lowYears).map((r) => r.school_id!),
  );
  for (const r of strong) expect(flagged.has(r.school_id!), `strong ${r.school_id}`).toBe(false);
  for (const r of partners) expect(flagged.has(r.dimension_value!), `partner ${r.dimension_value}`).toBe(false);
  // The planted inflated-ВПР schools look strong by their results: without the rule they would be in the list.
  const planted = readPlanted() as unknown as { inflated_vpr_schools: { schools: string[] } } | null;
  if (planted) {
    const ctx = { conn: demo.conn, params: DEFAULT_PARAMS, tables: await demo.conn.listTables() };
    const cur = (await lowYearCriteria(ctx)).filter((c) => c.year === year && c.reliable && c.mean_z !== null);
    const zs = cur.map((c) => c.mean_z!).sort((a, b) => a - b);
    const idx = (zs.length - 1) * (1 - DEFAULT_PARAMS.lowQuantile);
    const cut = zs[Math.floor(idx)] + (idx - Math.floor(idx)) * ((zs[Math.ceil(idx)] ?? zs[Math.floor(idx)]) - zs[Math.floor(idx)]);
    const wouldBeStrong = planted.inflated_vpr_schools.schools.filter((s) => (cur.find((c) => c.school_id === s)?.mean_z ?? -Infinity) >= cut);
    expect(wouldBeStrong.length).toBeGreaterThan(0);
    for (const s of planted.inflated_vpr_schools.schools) expect(flagged.has(s)).toBe(true);
  }
});
