/**
 * The TAL, CAR, MGR, PED, UPB and PRE template notebooks run headless without an error cell,
 * on the demo municipality (or the hand fixture while the demo is not generated), with the
 * indicator table given beside the canonical tables (as `npm run indicators` writes it), and once
 * on the canonical folder alone (the runner then computes the table itself).
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { quoteLiteral } from '../../../../src/db/connector';
import { runIndicators } from '../../../../src/indicators/run';
import { runHeadless } from '../../../../scripts/notebook';
import { DEMO_DIR, demoAvailable, openDemo } from '../demo';
import { FIXTURE_DIR } from './expect';

const NOTEBOOKS = resolve(__dirname, '../../../../notebooks');
const TEMPLATES = ['tal', 'car', 'mgr', 'ped', 'upb', 'pre'];
const source = demoAvailable() ? DEMO_DIR : FIXTURE_DIR;

let dataDir: string;
/** Per direction, a school that has rows (for the run with the school parameter set). */
const schoolOf = new Map<string, string>();
/** MGR-08 integral per school of the latest year, from the runner. */
let integral = new Map<string, number>();
let latestYear = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'h6-notebooks-'));
  for (const f of readdirSync(source)) if (f.endsWith('.csv')) copyFileSync(join(source, f), join(dataDir, f));
  const demo = await openDemo(source);
  try {
    await runIndicators(demo.conn);
    const rows = await demo.conn.query({
      type: 'rows',
      sql: `SELECT lower(split_part(indicator_id, '-', 1)) AS d, min(school_id) AS s FROM indicators WHERE school_id IS NOT NULL GROUP BY 1`,
    });
    for (const r of rows) schoolOf.set(String(r.d), String(r.s));
    const mgr = await demo.conn.query({
      type: 'rows',
      sql: `SELECT year, school_id, value FROM indicators WHERE indicator_id = 'MGR-08' AND school_id IS NOT NULL AND dimension IS NULL
            AND year = (SELECT max(year) FROM indicators WHERE indicator_id = 'MGR-08')`,
    });
    latestYear = Number(mgr[0]?.year ?? 0);
    integral = new Map(mgr.map((r) => [String(r.school_id), Number(r.value)]));
    await demo.conn.query({ type: 'exec', sql: `COPY indicators TO ${quoteLiteral(join(dataDir, 'indicators.parquet'))} (FORMAT parquet)` });
  } finally {
    await demo.conn.close();
  }
}, 600_000);

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe.each(TEMPLATES)('notebooks/%s.md', (name) => {
  test('runs headless without an error cell, with its tables and charts filled', { timeout: 300_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), `h6-${name}-`));
    try {
      const { summary } = await runHeadless({ file: join(NOTEBOOKS, `${name}.md`), data: dataDir, out });
      const failed = summary.filter((c) => c.status !== 'done').map((c) => `${c.name ?? c.id}: ${c.status} ${c.error ?? ''}`);
      expect(failed).toEqual([]);
      expect(summary.some((c) => c.kind === 'vega-lite')).toBe(true);
      const summaryTable = summary.find((c) => c.name === 'summary');
      expect(summaryTable?.rowCount ?? 0).toBeGreaterThan(0);
      // Again with one school chosen: its profile table is filled.
      const school = schoolOf.get(name);
      expect(school).toBeDefined();
      const again = await runHeadless({ file: join(NOTEBOOKS, `${name}.md`), data: dataDir, out, params: { school: school! } });
      expect(again.summary.filter((c) => c.status !== 'done').map((c) => `${c.name ?? c.id}: ${c.error ?? ''}`)).toEqual([]);
      expect(again.summary.find((c) => c.name === 'school_profile')?.rowCount ?? 0).toBeGreaterThan(0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

test('notebooks/mgr.md: the rating with equal weights reproduces MGR-08, and other weights change it', { timeout: 300_000 }, async () => {
  expect(integral.size).toBeGreaterThan(1);
  const out = mkdtempSync(join(tmpdir(), 'h6-mgr-weights-'));
  try {
    const rating = async (params: Record<string, string>) => {
      const { runtime } = await runHeadless({ file: join(NOTEBOOKS, 'mgr.md'), data: dataDir, out, params: { year: String(latestYear), ...params } });
      const state = runtime.states.get('rating');
      expect(state?.status).toBe('done');
      const result = state!.result as { kind: 'table'; rows(): Record<string, unknown>[] };
      return new Map(result.rows().map((r) => [String(r.school_id), Number(r.integral)]));
    };
    const equal = await rating({});
    expect(equal.size).toBe(integral.size);
    for (const [school, v] of integral) expect(equal.get(school)!, school).toBeCloseTo(v, 4);
    const careerOnly = await rating({ w_basic: '0', w_high: '0', w_objectivity: '0', w_conditions: '0', w_staff: '0' });
    expect(careerOnly.size).toBeGreaterThan(0);
    expect([...careerOnly].some(([school, v]) => Math.abs(v - equal.get(school)!) > 1e-3)).toBe(true);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('a template run on the canonical folder alone computes the indicator table itself (front matter indicators: true)', { timeout: 600_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'h6-direct-'));
  try {
    const { summary, runtime } = await runHeadless({ file: join(NOTEBOOKS, 'upb.md'), data: source, out });
    expect(summary.filter((c) => c.status !== 'done').map((c) => `${c.name ?? c.id}: ${c.error ?? ''}`)).toEqual([]);
    const rows = (runtime.states.get('summary')!.result as { kind: 'table'; rows(): Record<string, unknown>[] }).rows();
    expect(rows.map((r) => r['Показатель'])).toContain('UPB-03');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
