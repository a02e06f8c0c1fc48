/** The goals table of the bench report: ratios and verdicts from hand-made figures. */
import { expect, test } from 'vitest';
import { goalRows, renderGoals } from '../../../scripts/bench/goals';
import type { BenchReport, StepResult } from '../../../scripts/bench/report';

const step = (id: string, f: Partial<StepResult>): StepResult => ({ id, title: id, runs: 1, browserMs: null, nativeMs: null, ratio: null, browserPeakMb: null, nativePeakMb: null, browser: {}, native: {}, ...f });
const report = (steps: StepResult[]): BenchReport => ({
  date: '2026-12-05T11:30:00Z',
  configuration: 'full',
  machine: { cpu: 'x', cores: 2, ramGb: 23, os: 'Linux', node: 'v20', chromium: 'c', duckdbWasm: '1', duckdbNode: '1', loadAverageAtStart: '0' },
  steps,
  notes: [],
});

test('ratios against the limit, growth and absolute page goals, with their verdicts', () => {
  const rows = goalRows(
    report([
      step('limit-csv1m', { nativeMs: 2_000, nativePeakMb: 1_000 }),
      step('limit-csv100k', { nativeMs: 400 }),
      step('floor-csv1m', { nativeMs: 5_000, browserMs: 8_400 }),
      step('csv1m', { nativeMs: 7_000, browserMs: 10_500, nativePeakMb: 1_300, browserPeakMb: 1_100 }),
      step('csv100k', { nativeMs: 600, browserMs: 1_000 }),
      step('page-app', { browser: { cold: { readyMs: 2_600, transferredBytes: 9e6, jsBytes: 1.6e6 }, warm: { readyMs: 900, chartMs: 2_500, freshChartMs: 4_200 } } }),
      step('page-bare', { browser: { cold: { readyMs: 2_000 }, warm: { readyMs: 1_000 } } }),
      step('demo', { nativeMs: 3_100 }),
      step('regional', { nativeMs: 40_000, browserMs: 56_000, browserPeakMb: 2_100, browser: { cataloguePeakMb: 1_900 } }),
    ]),
  );
  const get = (goal: string) => rows.find((r) => r.goal === goal)!;
  expect(get('1M-row ВПР CSV: import, native app path')).toMatchObject({ ratio: '3.50×', met: false });
  expect(get('1M-row ВПР CSV: import in the tab')).toMatchObject({ ratio: '5.25×', met: false });
  expect(get('1M-row ВПР CSV: peak memory, native app path')).toMatchObject({ ratio: '1.30×', met: false });
  expect(get('1M-row ВПР CSV: peak memory, tab')).toMatchObject({ ratio: '1.10×', met: true });
  expect(get('1M-row ВПР CSV, codes per school: import, native app path')).toMatchObject({ product: 'not measured', met: null });
  expect(get("1M-row ВПР CSV: the contract's stored form alone, native (floor vs limit, for reference)")).toMatchObject({ ratio: '2.50×', target: '—', met: null });
  expect(get('1M-row ВПР CSV: import, native app path vs the contract-form floor (for reference)')).toMatchObject({ product: '7.00 s (native)', limit: '5.00 s (floor, native)', ratio: '1.40×', met: null });
  expect(get('1M-row ВПР CSV: import in the tab vs the contract-form floor in the tab (for reference)')).toMatchObject({ ratio: '1.25×', met: null });
  expect(get('Growth 100k → 1M rows: native app path')).toMatchObject({ ratio: '11.7×', met: false });
  expect(get('Growth 100k → 1M rows: tab')).toMatchObject({ ratio: '10.5×', met: false });
  expect(get('Growth 100k → 1M rows: limit pipeline')).toMatchObject({ ratio: '5.0×', met: true });
  expect(get('Cold open: engine + demo ready')).toMatchObject({ ratio: '1.30×', met: true });
  expect(get('Warm reload: engine ready')).toMatchObject({ product: '0.90 s', met: true });
  expect(get('Warm reload: first chart (kept from the last visit, marked, or fresh)')).toMatchObject({ product: '2.50 s', met: false });
  expect(get('Warm reload: first fresh chart (for reference)')).toMatchObject({ product: '4.20 s', target: '—', met: null });
  expect(get('Cold open: bytes transferred until ready')).toMatchObject({ product: '9.00 MB', met: true });
  expect(get('JavaScript at start (page, decoded, before ready)')).toMatchObject({ product: '1.60 MB', met: false });
  expect(get('Indicators: demo catalogue, native')).toMatchObject({ met: false });
  expect(get('Indicators: regional set in the tab, peak memory (loading included)')).toMatchObject({ product: '2100 MB', met: false });
  expect(get('Indicators: regional set in the tab, peak memory of the catalogue alone')).toMatchObject({ product: '1900 MB', met: true });
  expect(get('Indicators: regional set, tab vs native')).toMatchObject({ ratio: '1.40×', met: true });
  expect(renderGoals(report([]))).toContain('| Cold open: engine + demo ready | not measured | not measured | — | ≤ 1.3× | — |');
});
