/**
 * The benchmark's correctness (no timings): on the generated tiny regional set, the indicator
 * table computed in the browser (DuckDB-WASM through the app's worker, via the bench page)
 * equals the one from native DuckDB; and a generated ВПР CSV imports in the browser to the
 * expected row counts. Uses the app built with the bench page (scripts/bench/vite.config.ts),
 * which tests/browser/global-setup.ts builds beside the app's own build.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { NodeConnector } from '../../src/db/node-connector';
import type { IndicatorRow } from '../../src/indicators/types';
import { generateCanonical, generateVprCsv } from '../../datasets/regional/generate';
import { VPR_TASKS } from '../../datasets/regional/vpr';
import { buildBench, openBenchPage, serve, type Served, type Tab } from '../../scripts/bench/browser';
import { loadCanonical, runAllIndicators, sortIndicatorRows } from '../../scripts/bench/steps';

const CSV_ROWS = 400;
let data: string;
let served: Served;
let tab: Tab;
let canonicalDir: string;
let csvPath: string;

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), 'msoko-bench-data-'));
  canonicalDir = await generateCanonical('tiny', data);
  csvPath = await generateVprCsv(CSV_ROWS, data);
  const dist = inject('benchDist');
  // Builds here only if the global setup did not (SKIP_BUILD=1 with no bench build yet).
  buildBench(dist, data, true);
  served = await serve(dist, data);
  tab = await openBenchPage(served);
});

afterAll(async () => {
  await tab?.close();
  await served?.close();
  rmSync(data, { recursive: true, force: true });
});

/** Rows equal up to floating-point noise in the last digits (the two engines sum in different orders). */
function expectSameTable(browser: IndicatorRow[], native: IndicatorRow[]) {
  expect(browser.length).toBe(native.length);
  const mismatches: Array<{ browser: IndicatorRow; native: IndicatorRow }> = [];
  const close = (a: unknown, b: unknown) =>
    a === b || (typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)));
  for (let i = 0; i < native.length; i++) {
    const b = browser[i]!;
    const n = native[i]!;
    const keys = Object.keys(n) as (keyof IndicatorRow)[];
    if (!keys.every((k) => close(b[k], n[k]))) mismatches.push({ browser: b, native: n });
  }
  expect(mismatches.slice(0, 5)).toEqual([]);
}

test('the indicator table from the browser equals the one from native DuckDB on the generated data', async () => {
  const files = readdirSync(canonicalDir).filter((f) => f.endsWith('.parquet')).sort();
  const base = served.dataUrl(canonicalDir) + '/';
  const browser = await tab.page.evaluate(([base, files]) => window.__bench.indicators(base, files, 1, true), [base, files] as [string, string[]]);

  const conn = await NodeConnector.open();
  let native: IndicatorRow[];
  try {
    const load = await loadCanonical(conn, files.map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(canonicalDir, f))) })));
    expect(browser.counts).toEqual(load.counts);
    native = sortIndicatorRows((await runAllIndicators(conn, { withTable: true })).table ?? []);
  } finally {
    await conn.close();
  }
  expect(native.length).toBeGreaterThan(1000);
  expect(browser.errors).toEqual([]);
  expectSameTable(browser.table!, native);
  expect(tab.offOrigin).toEqual([]);
});

test('a generated ВПР CSV imports in the browser to the expected row counts', async () => {
  const name = csvPath.split('/').pop()!;
  const r = await tab.page.evaluate(([url, name]) => window.__bench.importUrl(url, name, 1), [served.dataUrl(csvPath), name] as [string, string]);
  expect(r.layout).toBe('vpr-regional');
  expect(r.counts).toMatchObject({ assessment_results: CSV_ROWS, task_scores: CSV_ROWS * VPR_TASKS });
  expect(tab.offOrigin).toEqual([]);
});
