/** The benchmark's result shape and its Markdown rendering (bench-results/report.md, docs/benchmarks.md). */
import { renderGoals } from './goals';
export interface StepResult {
  id: string;
  title: string;
  measuredAt?: string;
  runs: number;
  browserMs: number | null;
  nativeMs: number | null;
  /** browserMs / nativeMs. */
  ratio: number | null;
  browserPeakMb: number | null;
  nativePeakMb: number | null;
  browser: unknown;
  native: unknown;
}

export interface BenchReport {
  date: string;
  configuration: 'quick' | 'full' | 'mixed';
  machine: {
    cpu: string;
    cores: number;
    ramGb: number;
    os: string;
    node: string;
    chromium: string;
    duckdbWasm: string;
    duckdbNode: string;
    loadAverageAtStart: string;
  };
  steps: StepResult[];
  notes: string[];
  /** Dates of the runs merged into this report (--merge). */
  runs?: string[];
}

const sec = (ms: number | null) => (ms == null ? '—' : ms < 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${(ms / 1000).toFixed(1)} s`);
const mb = (x: number | null) => (x == null ? '—' : `${Math.round(x)} MB`);

function detail(s: StepResult): string {
  const b = s.browser as Record<string, unknown> | undefined;
  const n = s.native as Record<string, unknown> | undefined;
  const parts: string[] = [];
  if (b?.error) parts.push(`browser: ${String(b.error).slice(0, 160)}`);
  if (n?.error) parts.push(`native: ${String(n.error).slice(0, 160)}`);
  if (typeof b?.readMs === 'number' && typeof b?.mapMs === 'number')
    parts.push(`browser read ${sec(b.readMs as number)} + map ${sec(b.mapMs as number)}; native read ${sec((n?.readMs as number) ?? null)} + map ${sec((n?.mapMs as number) ?? null)}`);
  if (typeof n?.loadMs === 'number') parts.push(`loading the canonical files (not in the time): browser ${sec((b?.loadMs as number) ?? null)}, native ${sec(n.loadMs as number)}`);
  const counts = (b?.counts ?? n?.counts) as Record<string, number> | undefined;
  if (counts && (b?.readMs != null || n?.readMs != null)) parts.push(Object.entries(counts).map(([t, c]) => `${t} ${c.toLocaleString('en-US')}`).join(', '));
  if (typeof b?.readyMs === 'number') parts.push(`app and demo ready after ${sec(b.readyMs as number)}; the template was picked then`);
  if (typeof n?.transcodeMs === 'number') parts.push(`transcode ${sec(n.transcodeMs as number)} + SQL ${sec((n.sqlMs as number) ?? null)}; ${JSON.stringify(n.counts ?? {}).replace(/[{}"]/g, '').replaceAll(',', ', ')}`);
  if (typeof n?.pandas === 'string') parts.push(`pandas ${n.pandas}; ${JSON.stringify(n.counts ?? {}).replace(/[{}"]/g, '').replaceAll(',', ', ')}`);
  for (const when of ['cold', 'warm'] as const) {
    const p = b?.[when] as Record<string, number | null> | undefined;
    if (!p || p.readyMs == null) continue;
    parts.push(
      `${when}: ${p.engineMs != null ? `engine ${sec(p.engineMs)}, ` : ''}ready ${sec(p.readyMs)}${p.chartMs != null ? `, first chart ${sec(p.chartMs)}` : ''}${p.freshChartMs != null && p.chartMs != null && p.freshChartMs - p.chartMs > 50 ? ` (kept; fresh ${sec(p.freshChartMs)})` : ''}, transferred ${((p.transferredBytes ?? 0) / 1e6).toFixed(2)} MB, JS at start ${((p.jsBytes ?? 0) / 1e6).toFixed(2)} MB (+ worker scripts ${((p.workerJsBytes ?? 0) / 1e6).toFixed(2)} MB)`,
    );
  }
  if (typeof b?.longestTaskMs === 'number') parts.push(`longest main-thread block ${Math.round(b.longestTaskMs as number)} ms${b.longestTaskDuring ? ` (in ${b.longestTaskDuring})` : ''}`);
  if (Array.isArray(b?.errors) && b.errors.length) parts.push(`${b.errors.length} indicators failed in the browser`);
  return parts.join('; ');
}

/** The slowest indicators of the largest indicator step, for the write-up. */
function slowest(report: BenchReport): string {
  const s = [...report.steps].reverse().find((x) => (x.native as Record<string, unknown>)?.perIndicator);
  if (!s) return '';
  const nat = (s.native as { perIndicator: Record<string, number> }).perIndicator;
  const br = ((s.browser as { perIndicator?: Record<string, number> })?.perIndicator ?? {}) as Record<string, number>;
  const ids = Object.keys(nat).sort((a, b) => (br[b] ?? nat[b]!) - (br[a] ?? nat[a]!)).slice(0, 10);
  return [
    '',
    `Slowest indicators of «${s.title}»:`,
    '',
    '| indicator | browser | native |',
    '|---|---:|---:|',
    ...ids.map((id) => `| ${id} | ${sec(br[id] ?? null)} | ${sec(nat[id] ?? null)} |`),
  ].join('\n');
}

export function renderMarkdown(report: BenchReport): string {
  const m = report.machine;
  return [
    `Run ${report.date.slice(0, 16).replace('T', ' ')} UTC, configuration «${report.configuration}»${report.runs && report.runs.length > 1 ? ` (merged from runs at ${report.runs.map((d) => d.slice(11, 16)).join(', ')} UTC)` : ''}.`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGb} GB RAM, ${m.os}; ${m.chromium}; Node ${m.node}; DuckDB-WASM ${m.duckdbWasm}, @duckdb/node-api ${m.duckdbNode}; load average at start ${m.loadAverageAtStart}.`,
    '',
    '### Goals of #15',
    '',
    renderGoals(report),
    '',
    '### Steps',
    '',
    '| step | runs | browser | native | browser / native | peak memory, browser tab | peak memory, native | details |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...report.steps.map(
      (s) =>
        `| ${s.title} | ${s.runs} | ${sec(s.browserMs)} | ${sec(s.nativeMs)} | ${s.ratio == null ? '—' : `${s.ratio.toFixed(1)}×`} | ${mb(s.browserPeakMb)} | ${mb(s.nativePeakMb)} | ${detail(s).replaceAll('|', '/')} |`,
    ),
    slowest(report),
    '',
    ...report.notes.map((n) => `- ${n}`),
  ].join('\n');
}
