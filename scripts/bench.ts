/**
 * npm run bench — speed and memory of the workbench, in the browser and on native DuckDB.
 *
 *   npm run bench                 full configuration (100k and 1M-row CSV, 50k XLSX, demo and
 *                                 regional ≈1M participants / ≈15M task rows); takes a while
 *   npm run bench -- --quick      small configuration (100k CSV, 10k XLSX, demo, ≈100k participants)
 *   options: --runs N (small steps, default 3), --big-runs N (1M / regional steps, default 1),
 *            --only csv100k,csv1m,sc100k,sc1m,xlsx,demo,regional,page   --skip-build   --write-docs
 *            (a CSV step runs the limit pipeline and the contract-form floor on its file first;
 *            sc* = codes restart per school;
 *            xlsx runs the pandas peer after the app)
 *            --merge (keep the other steps of the previous bench-results/results.json)
 *            --docs-only (refresh docs/benchmarks.* from bench-results/results.json)
 *            --timeout-min N (stop a step that runs longer, per engine; default 30)
 *
 * Each step runs natively (a child process: scripts/bench/native.ts, so its peak RSS is its
 * own) and in headless Chromium (a fresh browser per step, scripts/bench/browser.ts). Results:
 * bench-results/results.json and bench-results/report.md; with --write-docs also
 * docs/benchmarks.json and the generated table in docs/benchmarks.md.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { join, resolve } from 'node:path';
import { generateCanonical, generateVprCsv, generateVprXlsx } from '../datasets/regional/generate';
import { SIZES } from '../datasets/regional/sql';
import { buildBench, openBenchPage, serve, type Served, type Tab } from './bench/browser';
import { measureStartup } from './bench/startup';
import { CHROMIUM } from '../tests/browser/chromium';
import { renderMarkdown, type BenchReport, type StepResult } from './bench/report';

const args = process.argv.slice(2);
const opt = (n: string) => {
  const i = args.indexOf(`--${n}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = args.includes('--quick');
const runs = Number(opt('runs') ?? 3);
const bigRuns = Number(opt('big-runs') ?? 1);
const only = opt('only')?.split(',');
/** A step that runs longer than this (per engine) is stopped and reported as unfinished. */
const stepTimeoutMs = Number(opt('timeout-min') ?? 30) * 60_000;
/** Step 4 opens this template (the lightest direction: pre-school, monitoring only). */
const chartNotebook = opt('chart-notebook') ?? 'pre';
const root = resolve(import.meta.dirname, '..');
const dataDir = resolve(root, '.cache/regional');
// BENCH_DIST / BENCH_OUT let two benchmark runs (e.g. of two branches) use separate folders.
const distDir = resolve(root, process.env.BENCH_DIST ?? '.cache/dist-bench');
const outDir = resolve(root, process.env.BENCH_OUT ?? 'bench-results');
const demoDir = resolve(root, 'datasets/demo/canonical');
const regionalSize = quick ? 'quick' : 'regional';

const log = (...a: unknown[]) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);
const wanted = (id: string) => !only || only.includes(id);

/** Runs scripts/bench/native.ts in a child process and returns its BENCH_RESULT. */
function native(task: string, extra: string[], n: number): Promise<Record<string, unknown>> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/native.ts', '--task', task, '--runs', String(n), ...extra], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, stepTimeoutMs);
    child.stdout.on('data', (d) => (out += d));
    child.on('close', () => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (timedOut) ok({ error: `not finished within ${stepTimeoutMs / 60_000} min (stopped)` });
      else ok(line ? JSON.parse(line.slice('BENCH_RESULT '.length)) : { error: `native run printed no result: ${out.slice(-500)}` });
    });
  });
}

async function browserStep<T>(served: Served, fn: (page: import('playwright-core').Page, tab: Tab) => Promise<T>): Promise<{ result?: T; error?: string; peakMb: number; duckdb?: string; offOrigin: string[] }> {
  const tab = await openBenchPage(served);
  try {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`not finished within ${stepTimeoutMs / 60_000} min (stopped)`)), stepTimeoutMs);
    });
    const result = await Promise.race([fn(tab.page, tab), timeout]).finally(() => clearTimeout(timer));
    return { result, peakMb: tab.peakMb(), duckdb: tab.duckdb, offOrigin: tab.offOrigin };
  } catch (e) {
    const last = await tab.page.evaluate(() => document.getElementById('status')?.dataset.last).catch(() => undefined);
    const error = String(e instanceof Error ? e.message : e).split('\n')[0] + (last ? ` (after ${last})` : '');
    return { error, peakMb: tab.peakMb(), duckdb: tab.duckdb, offOrigin: tab.offOrigin };
  } finally {
    await tab.close();
  }
}

function step(id: string, title: string, b: { result?: { ms: number | null } & Record<string, unknown>; error?: string; peakMb: number }, n: Record<string, unknown>, runsUsed: number): StepResult {
  const browserMs = b.result?.ms ?? null;
  const nativeMs = typeof n.ms === 'number' ? n.ms : null;
  return {
    id,
    title,
    measuredAt: new Date().toISOString(),
    runs: runsUsed,
    browserMs,
    nativeMs,
    ratio: browserMs != null && nativeMs != null && nativeMs > 0 ? browserMs / nativeMs : null,
    browserPeakMb: b.peakMb || null,
    nativePeakMb: typeof n.peakRssMb === 'number' ? n.peakRssMb : null,
    browser: b.error ? { error: b.error } : b.result,
    native: n,
  };
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  const steps: StepResult[] = [];
  // --merge keeps the steps of the previous results.json that this run does not measure again.
  const previous = args.includes('--merge') && existsSync(join(outDir, 'results.json')) ? (JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as BenchReport) : null;
  const order = ['limit-csv100k', 'floor-csv100k', 'csv100k', 'limit-csv1m', 'floor-csv1m', 'csv1m', 'limit-sc100k', 'floor-sc100k', 'sc100k', 'limit-sc1m', 'floor-sc1m', 'sc1m', 'xlsx10k', 'pandas-xlsx10k', 'xlsx50k', 'pandas-xlsx50k', 'demo', 'regional-quick', 'regional', 'page-app', 'page-bare'];
  const push = (s: StepResult) => {
    const i = steps.findIndex((x) => x.id === s.id);
    if (i >= 0) steps.splice(i, 1);
    steps.push(s);
    steps.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  };
  for (const s of previous?.steps ?? []) push(s);
  const report: BenchReport = {
    date: new Date().toISOString(),
    configuration: previous && previous.configuration !== (quick ? 'quick' : 'full') ? 'mixed' : quick ? 'quick' : 'full',
    machine: machine(),
    steps,
    notes: [],
    runs: [...(previous ? (previous.runs ?? [previous.date]) : []), new Date().toISOString()],
  };
  const save = () => {
    writeFileSync(join(outDir, 'results.json'), JSON.stringify(report, null, 2));
    writeFileSync(join(outDir, 'report.md'), renderMarkdown(report));
  };

  log('generating data (reused when present)…');
  const csvSteps = [
    { id: 'csv100k', rows: 100_000, schoolCodes: false },
    { id: 'csv1m', rows: 1_000_000, schoolCodes: false },
    { id: 'sc100k', rows: 100_000, schoolCodes: true },
    { id: 'sc1m', rows: 1_000_000, schoolCodes: true },
  ].filter((c) => wanted(c.id) && (!quick || c.rows < 1_000_000));
  const csvFiles = new Map<string, string>();
  for (const c of csvSteps) csvFiles.set(c.id, await generateVprCsv(c.rows, dataDir, false, { schoolCodes: c.schoolCodes }));
  const xlsxRows = quick ? 10_000 : 50_000;
  const xlsxFile = wanted('xlsx') ? await generateVprXlsx(xlsxRows, dataDir) : null;
  const regionalDir = wanted('regional') ? await generateCanonical(regionalSize, dataDir) : null;

  log('building the app with the bench page…');
  buildBench(distDir, dataDir, args.includes('--skip-build'), demoDir);
  const served = await serve(distDir, dataDir);
  try {
    // The page first: its timings suffer most from a busy machine.
    if (wanted('page')) {
      log('4. the page: app and bare engine page, cold and warm…');
      for (const s of await measureStartup(served, runs, chartNotebook)) push(s);
      save();
    }
    for (const c of csvSteps) {
      const file = csvFiles.get(c.id)!;
      const n = c.rows >= 1_000_000 ? bigRuns : runs;
      const rows = c.rows.toLocaleString('ru-RU');
      const layout = c.schoolCodes ? 'коды участников в каждой школе с начала' : 'сквозные коды участников';
      // The limit first: the hand-written pipeline on the same file (scripts/bench/limit.ts).
      const limitTitle = `1. Предел: ручной конвейер на DuckDB (${layout}), ${rows} строк`;
      log(limitTitle, '…');
      const lim = await native('limit', ['--file', file, ...(c.schoolCodes ? ['--school-codes'] : [])], Math.max(n, 3));
      log('  limit', fmt(lim.ms));
      push(step(`limit-${c.id}`, limitTitle, { peakMb: 0 }, lim, Math.max(n, 3)));
      // The contract's stored form at the app's memory discipline (scripts/bench/floor.ts), on both engines.
      const floorTitle = `1. Предел в форме контракта: task_scores из 8 столбцов частями со сжатием (${layout}), ${rows} строк`;
      log(floorTitle, 'native…');
      const floorNat = await native('floor', ['--file', file], n);
      log('  native', fmt(floorNat.ms), 'browser…');
      const floorBr = await browserStep(served, (page) =>
        page.evaluate(([url, n]) => window.__bench.floorUrl(url, n), [served.dataUrl(file), n] as [string, number]),
      );
      log('  browser', fmt(floorBr.result?.ms), floorBr.error ?? '');
      push(step(`floor-${c.id}`, floorTitle, floorBr, floorNat, n));
      const title = `1. Импорт CSV ВПР (cp1251, 20 заданий, ${layout}), ${rows} строк → ${(c.rows * 20) / 1e6} млн строк task_scores`;
      log(title, 'native…');
      const nat = await native('import', ['--file', file], n);
      log('  native', fmt(nat.ms), 'browser…');
      const name = file.split('/').pop()!;
      const br = await browserStep(served, (page) =>
        page.evaluate(([url, name, n]) => window.__bench.importUrl(url, name, n), [served.dataUrl(file), name, n] as [string, string, number]),
      );
      log('  browser', fmt(br.result?.ms), br.error ?? '');
      push(step(c.id, title, br, nat, n));
      save();
    }
    if (xlsxFile) {
      const title = `2. Импорт XLSX ВПР, ${xlsxRows.toLocaleString('ru-RU')} строк`;
      log(title, 'native…');
      const nat = await native('import', ['--file', xlsxFile], runs);
      log('  native', fmt(nat.ms), 'browser…');
      const br = await browserStep(served, (page) =>
        page.evaluate(([url, name, n]) => window.__bench.importUrl(url, name, n), [served.dataUrl(xlsxFile), xlsxFile.split('/').pop()!, runs] as [string, string, number]),
      );
      log('  browser', fmt(br.result?.ms), br.error ?? '');
      push(step(`xlsx${xlsxRows / 1000}k`, title, br, nat, runs));
      save();
      log('  pandas read_excel…');
      const pd = await pandasXlsx(xlsxFile, quick ? runs : 1);
      log('  pandas', fmt(pd.ms), pd.error ?? '');
      push(step(`pandas-xlsx${xlsxRows / 1000}k`, `2. Сравнение: pandas read_excel (openpyxl) + melt того же XLSX, ${xlsxRows.toLocaleString('ru-RU')} строк`, { peakMb: 0 }, pd, quick ? runs : 1));
      save();
    }
    const indicatorSets: Array<[string, string, string | null, number]> = [];
    if (wanted('demo')) indicatorSets.push(['demo', '3a. Все показатели каталога: демо-муниципалитет', existsSync(demoDir) ? demoDir : null, runs]);
    if (regionalDir) {
      const s = SIZES[regionalSize]!;
      indicatorSets.push([quick ? 'regional-quick' : 'regional', `3b. Все показатели каталога: региональный набор «${s.name}»`, regionalDir, quick ? runs : bigRuns]);
    }
    for (const [id, title, dir, n] of indicatorSets) {
      if (!dir) {
        report.notes.push(`${title}: no data (datasets/demo/canonical is missing).`);
        continue;
      }
      log(title, 'native…');
      const nat = await native('indicators', ['--data', dir], n);
      log('  native', fmt(nat.ms), 'browser…');
      const files = readdirSync(dir).filter((f) => /\.(csv|parquet|json)$/.test(f)).sort();
      // The demo set lives outside the data folder and is served through its own link.
      const base = id === 'demo' ? served.url + '__demo/' : served.dataUrl(dir).replace(/\/?$/, '/');
      const br = await browserStep(served, async (page, tab) => {
        const run = page.evaluate(([base, files, n]) => window.__bench.indicators(base, files, n, false, undefined, true), [base, files, n] as [string, string[], number]);
        await Promise.race([page.waitForFunction(() => document.getElementById('status')?.dataset.loaded === '1', null, { timeout: 0 }), run]);
        const loadPeakMb = tab.peakMb();
        tab.resetPeak();
        await page.evaluate(() => window.__bench.resume());
        return { ...(await run), loadPeakMb };
      });
      log('  browser', fmt(br.result?.ms), br.error ?? '');
      // The step's peak covers loading and catalogue; the catalogue's own peak is kept beside it.
      const result = br.result && { ...br.result, cataloguePeakMb: br.peakMb };
      push(step(id, `${title} (${rowsLabel(nat)})`, { ...br, result, peakMb: Math.max(br.peakMb, result?.loadPeakMb ?? 0) }, nat, n));
      save();
    }
  } finally {
    await served.close();
  }
  report.notes.push(...defaultNotes());
  save();
  if (args.includes('--write-docs')) writeDocs(report);
  log(`done: ${join(outDir, 'report.md')}`);
  console.log(renderMarkdown(report));
}

const fmt = (ms: unknown) => (typeof ms === 'number' ? `${(ms / 1000).toFixed(2)} s` : '—');
const rowsLabel = (nat: Record<string, unknown>) => {
  const c = nat.counts as Record<string, number> | undefined;
  return c ? `${(c.assessment_results ?? 0).toLocaleString('ru-RU')} результатов, ${(c.task_scores ?? 0).toLocaleString('ru-RU')} строк task_scores` : 'нет данных';
};

/** The pandas peer of the XLSX step (scripts/bench/pandas_xlsx.py), when python3 has pandas. */
function pandasXlsx(file: string, n: number): Promise<Record<string, unknown>> {
  return new Promise((ok) => {
    const child = spawn('python3', ['scripts/bench/pandas_xlsx.py', file, String(n)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => ok({ error: `python3: ${e.message}` }));
    child.on('close', () => {
      const line = out.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      ok(line ? JSON.parse(line.slice('BENCH_RESULT '.length)) : { error: `pandas printed no result: ${err.slice(-300)}` });
    });
  });
}

function machine(): BenchReport['machine'] {
  const chromium = (() => {
    try {
      return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return 'unknown';
    }
  })();
  const pkg = (p: string) => {
    try {
      return JSON.parse(readFileSync(join(root, 'node_modules', p, 'package.json'), 'utf8')).version as string;
    } catch {
      return 'unknown';
    }
  };
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    ramGb: Math.round(totalmem() / 2 ** 30),
    os: `Linux ${release()}`,
    node: process.version,
    chromium,
    duckdbWasm: pkg('@duckdb/duckdb-wasm'),
    duckdbNode: pkg('@duckdb/node-api'),
    loadAverageAtStart: load,
  };
}

function defaultNotes(): string[] {
  return [
    'Time: median over the runs shown; the browser clock is performance.now() in the page around the same function the native side runs (scripts/bench/steps.ts), after the file bytes are already in the page (as after the user picked the file).',
    'Peak memory, browser: VmHWM of the tab\'s renderer process (includes the DuckDB worker and its wasm heap); native: maxRSS of the Node child process. Both are peaks over the whole step, loading included.',
    'Native DuckDB uses every core by default; DuckDB-WASM runs single-threaded in the worker.',
  ];
}

function writeDocs(report: BenchReport) {
  const docs = resolve(root, 'docs');
  writeFileSync(join(docs, 'benchmarks.json'), JSON.stringify(report, null, 2) + '\n');
  const md = join(docs, 'benchmarks.md');
  const generated = `<!-- bench:begin (generated by npm run bench -- --write-docs) -->\n${renderMarkdown(report)}\n<!-- bench:end -->`;
  const text = existsSync(md) ? readFileSync(md, 'utf8') : '# Benchmarks\n\n<!-- bench:begin -->\n<!-- bench:end -->\n';
  writeFileSync(md, text.replace(/<!-- bench:begin[\s\S]*?<!-- bench:end -->/, generated));
}

if (args.includes('--docs-only')) {
  // Refresh docs/benchmarks.* from the last bench-results/results.json without measuring.
  writeDocs(JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8')) as BenchReport);
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
