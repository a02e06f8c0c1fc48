/**
 * The goals of issue #15, each checked against figures of one bench run: the product, the limit
 * or peer it is held to, their ratio, the goal and whether it is met. A goal whose figures are
 * missing from the run is listed as not measured.
 */
import type { BenchReport, StepResult } from './report';

export interface GoalRow {
  goal: string;
  product: string;
  limit: string;
  ratio: string;
  target: string;
  met: boolean | null;
}

type Get = (s: StepResult) => number | null | undefined;
const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const nat: Get = (s) => s.nativeMs;
const tab: Get = (s) => s.browserMs;
const natPeak: Get = (s) => s.nativePeakMb;
const tabPeak: Get = (s) => s.browserPeakMb;
const page = (when: 'cold' | 'warm', key: string): Get => (s) => num(((s.browser as Record<string, Record<string, unknown>>)?.[when] ?? {})[key]);

const sec = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`);
const mb = (x: number) => `${Math.round(x)} MB`;
const bytes = (x: number) => `${(x / 1e6).toFixed(2)} MB`;

export function goalRows(report: BenchReport): GoalRow[] {
  const by = (id: string) => report.steps.find((s) => s.id === id);
  const rows: GoalRow[] = [];
  const v = (id: string, f: Get) => {
    const s = by(id);
    return s ? (num(f(s)) ?? null) : null;
  };
  /** product / limit ≤ max (ratio goal). */
  const ratio = (goal: string, p: [string, Get, (x: number) => string, string?], l: [string, Get, string?], max: number) => {
    const a = v(p[0], p[1]);
    const b = v(l[0], l[1]);
    const r = a != null && b != null && b > 0 ? a / b : null;
    rows.push({
      goal,
      product: a == null ? 'not measured' : `${p[2](a)}${p[3] ? ` (${p[3]})` : ''}`,
      limit: b == null ? 'not measured' : `${p[2](b)}${l[2] ? ` (${l[2]})` : ''}`,
      ratio: r == null ? '—' : `${r.toFixed(2)}×`,
      target: `≤ ${max}×`,
      met: r == null ? null : r <= max,
    });
  };
  /** A ratio shown for reference: no goal of its own. */
  const reference = (goal: string, p: [string, Get, (x: number) => string, string?], l: [string, Get, string?]) => {
    ratio(goal, p, l, Infinity);
    rows[rows.length - 1]!.target = '—';
    rows[rows.length - 1]!.met = null;
  };
  /** product ≤ max (absolute goal). */
  const abs = (goal: string, p: [string, Get], fmt: (x: number) => string, max: number, strict = false) => {
    const a = v(p[0], p[1]);
    rows.push({ goal, product: a == null ? 'not measured' : fmt(a), limit: '—', ratio: '—', target: `${strict ? '<' : '≤'} ${fmt(max)}`, met: a == null ? null : strict ? a < max : a <= max });
  };
  for (const [csv, lim, label] of [
    ['csv1m', 'limit-csv1m', '1M-row ВПР CSV'],
    ['sc1m', 'limit-sc1m', '1M-row ВПР CSV, codes per school'],
  ] as const) {
    ratio(`${label}: import, native app path`, [csv, nat, sec, 'native'], [lim, nat, 'limit pipeline'], 3);
    ratio(`${label}: import in the tab`, [csv, tab, sec, 'tab'], [lim, nat, 'native limit'], 5);
    ratio(`${label}: peak memory, native app path`, [csv, natPeak, mb], [lim, natPeak], 1.2);
    ratio(`${label}: peak memory, tab`, [csv, tabPeak, mb], [lim, natPeak, 'native limit'], 1.2);
    // How much of the gap is the contract's stored form (scripts/bench/floor.ts) and how much the app's own work.
    const floor = `floor-${csv}`;
    reference(`${label}: the contract's stored form alone, native (floor vs limit, for reference)`, [floor, nat, sec, 'floor'], [lim, nat, 'limit pipeline']);
    reference(`${label}: import, native app path vs the contract-form floor (for reference)`, [csv, nat, sec, 'native'], [floor, nat, 'floor, native']);
    reference(`${label}: import in the tab vs the contract-form floor in the tab (for reference)`, [csv, tab, sec, 'tab'], [floor, tab, 'floor, tab']);
  }
  for (const [small, big, label, f] of [
    ['csv100k', 'csv1m', 'native app path', nat],
    ['csv100k', 'csv1m', 'tab', tab],
    ['limit-csv100k', 'limit-csv1m', 'limit pipeline', nat],
    ['sc100k', 'sc1m', 'codes per school, native', nat],
    ['sc100k', 'sc1m', 'codes per school, tab', tab],
  ] as const) {
    const a = v(big, f);
    const b = v(small, f);
    const r = a != null && b != null && b > 0 ? a / b : null;
    rows.push({ goal: `Growth 100k → 1M rows: ${label}`, product: a == null ? 'not measured' : `${sec(a)} (1M)`, limit: b == null ? 'not measured' : `${sec(b)} (100k)`, ratio: r == null ? '—' : `${r.toFixed(1)}×`, target: '≤ 10×', met: r == null ? null : r <= 10 });
  }
  for (const [x, p] of [['xlsx50k', 'pandas-xlsx50k'], ['xlsx10k', 'pandas-xlsx10k']] as const) {
    if (!by(x)) continue;
    ratio('XLSX import, native app path, vs pandas read_excel', [x, nat, sec, 'native'], [p, nat, 'pandas'], 1);
    ratio('XLSX import in the tab vs pandas read_excel', [x, tab, sec, 'tab'], [p, nat, 'pandas'], 1);
  }
  ratio('Cold open: engine + demo ready', ['page-app', page('cold', 'readyMs'), sec, 'app'], ['page-bare', page('cold', 'readyMs'), 'bare engine page'], 1.3);
  reference('Warm reload: engine + demo ready (vs bare, for reference)', ['page-app', page('warm', 'readyMs'), sec, 'app'], ['page-bare', page('warm', 'readyMs'), 'bare engine page']);
  // The engine alone (instantiated, no table restored yet): the floor under the goal below, which
  // stays engine + data ready because the app's views wait for the data.
  reference('Warm reload: engine alone up (vs bare, for reference)', ['page-app', page('warm', 'engineMs'), sec, 'app'], ['page-bare', page('warm', 'engineMs'), 'bare engine page']);
  abs('Warm reload: engine ready', ['page-app', page('warm', 'readyMs')], sec, 1000);
  abs('Warm reload: first chart (kept from the last visit, marked, or fresh)', ['page-app', page('warm', 'chartMs')], sec, 2000);
  abs('Warm reload: first fresh chart (for reference)', ['page-app', page('warm', 'freshChartMs')], sec, Infinity);
  rows[rows.length - 1]!.target = '—';
  rows[rows.length - 1]!.met = null;
  abs('Cold open: bytes transferred until ready', ['page-app', page('cold', 'transferredBytes')], bytes, 12e6);
  abs('JavaScript at start (page, decoded, before ready)', ['page-app', page('cold', 'jsBytes')], bytes, 1.5e6);
  abs('Indicators: demo catalogue, native', ['demo', nat], sec, 3000);
  abs('Indicators: regional set in the tab, peak memory (loading included)', ['regional', tabPeak], mb, 2048, true);
  // Reference: the peak while the catalogue runs, reset after the canonical files were loaded.
  const catPeak: Get = (s) => num((s.browser as Record<string, unknown> | undefined)?.cataloguePeakMb);
  abs('Indicators: regional set in the tab, peak memory of the catalogue alone', ['regional', catPeak], mb, 2048, true);
  ratio('Indicators: regional set, tab vs native', ['regional', tab, sec, 'tab'], ['regional', nat, 'native'], 1.5);
  return rows;
}

export function renderGoals(report: BenchReport): string {
  const rows = goalRows(report);
  return [
    '| goal (#15) | product | limit / peer | ratio | goal | met? |',
    '|---|---:|---:|---:|---:|:---:|',
    ...rows.map((r) => `| ${r.goal} | ${r.product} | ${r.limit} | ${r.ratio} | ${r.target} | ${r.met == null ? '—' : r.met ? 'yes' : '**no**'} |`),
  ].join('\n');
}
