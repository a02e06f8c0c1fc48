/**
 * The PREP, GIA, LOW and OBJ templates and the annual report run headless without an error cell
 * on the demo municipality, with the indicator table given beside the canonical tables (as
 * `npm run indicators` writes it); with one school chosen their school profile is filled.
 */
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { quoteLiteral } from '../../../src/db/connector';
import { runIndicators } from '../../../src/indicators/run';
import { runHeadless } from '../../../scripts/notebook';
import { DEMO_DIR, demoAvailable, openDemo } from './demo';

const NOTEBOOKS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../notebooks');
const TEMPLATES = ['prep', 'gia', 'low', 'obj', 'annual-report'];

let dataDir: string;
let shnor = '';
let flaggedObj = '';
let latestYear = 0;

describe.skipIf(!demoAvailable())('H5 notebook templates', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'h5-notebooks-'));
    for (const f of readdirSync(DEMO_DIR)) if (f.endsWith('.csv')) copyFileSync(join(DEMO_DIR, f), join(dataDir, f));
    const demo = await openDemo();
    try {
      await runIndicators(demo.conn);
      const [a] = await demo.conn.query({ type: 'rows', sql: "SELECT min(school_id) AS s FROM indicators WHERE indicator_id = 'LOW-01' AND dimension IS NULL AND value = 1" });
      shnor = String(a.s);
      const [b] = await demo.conn.query({ type: 'rows', sql: "SELECT min(school_id) AS s FROM indicators WHERE indicator_id = 'OBJ-07' AND dimension = 'reasons' AND value = 1" });
      flaggedObj = String(b.s);
      latestYear = Math.max(...demo.rows.assessment_results.map((r) => Number(r.year)));
      await demo.conn.query({ type: 'exec', sql: `COPY indicators TO ${quoteLiteral(join(dataDir, 'indicators.parquet'))} (FORMAT parquet)` });
    } finally {
      await demo.conn.close();
    }
  }, 600_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  test.each(TEMPLATES)('notebooks/%s.md runs headless without an error cell, with tables and charts', { timeout: 300_000 }, async (name) => {
    const out = mkdtempSync(join(tmpdir(), `h5-${name}-`));
    try {
      const { summary, runtime } = await runHeadless({ file: join(NOTEBOOKS, `${name}.md`), data: dataDir, out });
      expect(summary.filter((c) => c.status !== 'done').map((c) => `${c.name ?? c.id}: ${c.status} ${c.error ?? ''}`)).toEqual([]);
      expect(summary.filter((c) => c.kind === 'vega-lite').length).toBeGreaterThanOrEqual(2);
      expect(summary.find((c) => c.name === 'summary')?.rowCount ?? 0).toBeGreaterThan(0);
      // Every chart is titled, its `${…}` filled in (no raw placeholder), with a Russian empty state.
      for (const [id, st] of runtime.states) {
        if (st.result?.kind !== 'chart') continue;
        const spec = st.result.spec as { title?: unknown; empty?: unknown };
        expect(JSON.stringify(spec.title ?? ''), `${name} ${id}`).not.toMatch(/\$\{|^""$/);
        expect(String(spec.empty), `${name} ${id}`).toMatch(/^Нет данных/);
      }
      if (name === 'gia') {
        const spec = (runtime.states.get('rating_chart')!.result as unknown as { spec: { title: string } }).spec;
        expect(spec.title).toBe(`Средний балл ОО с 95% доверительным интервалом — ВПР, Математика, 5 класс, ${latestYear}`);
      }
      if (name !== 'annual-report') {
        const school = name === 'obj' ? flaggedObj : shnor;
        const again = await runHeadless({ file: join(NOTEBOOKS, `${name}.md`), data: dataDir, out, params: { school } });
        expect(again.summary.filter((c) => c.status !== 'done').map((c) => `${c.name ?? c.id}: ${c.error ?? ''}`)).toEqual([]);
        if (name !== 'gia') expect(again.summary.find((c) => c.name === 'school_profile')?.rowCount ?? 0, name).toBeGreaterThan(0);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('the LOW template lists the ШНОР and the OBJ template the schools with signs of non-objectivity', { timeout: 300_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'h5-lists-'));
    try {
      const low = await runHeadless({ file: join(NOTEBOOKS, 'low.md'), data: dataDir, out });
      const lowRows = (low.runtime.states.get('summary')!.result as { rows(): Record<string, unknown>[] }).rows();
      expect(lowRows.map((r) => r['ОО'])).toContain(shnor);
      for (const r of lowRows) expect(String(r['Основания'])).toMatch(/\d/);
      const obj = await runHeadless({ file: join(NOTEBOOKS, 'obj.md'), data: dataDir, out });
      const objRows = (obj.runtime.states.get('summary')!.result as { rows(): Record<string, unknown>[] }).rows();
      expect(objRows.length).toBeGreaterThan(0);
      for (const r of objRows) expect(String(r['Основания'])).toMatch(/OBJ-0\d/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
