/**
 * Step 4 of the benchmark: the page. The app and its peer — the bare engine page
 * (scripts/bench/bare/, DuckDB-WASM and the same demo CSVs, no app) — are each opened cold
 * (a fresh browser profile) and then reloaded warm (same profile: HTTP cache, compiled-module
 * cache, the app's tables in IndexedDB), in the same harness.
 *
 * The app: engine + demo ready is when the shell's `data-engine` turns `ready` (src/app/boot.ts);
 * engine ready — reported apart — is when the engine alone is up (the `msoko:engine` mark of
 * boot.ts: instantiated, session open, no table restored or loaded yet; the views still wait for
 * the data), on the bare page its `bare:engine` mark after `open`;
 * it and the first chart are stamped by a MutationObserver. Cold, the «pre» template is opened from the
 * home page as soon as the app is ready; once that visit has settled (see `settled`) the warm reload lands on that notebook and draws its
 * chart by itself. Bytes: every response's encoded length (Chromium's Network domain, the
 * worker's wasm and CSV fetches included); «JS at start» is the decoded size of the scripts the
 * page itself loaded before it was ready (Resource Timing; the workers' scripts, their entries
 * and what they imported, are reported apart).
 */
import type { Page } from 'playwright-core';
import { openTab, type Served } from './browser';
import { median } from './steps';
import type { StepResult } from './report';

interface Sample {
  /** The engine alone is up (instantiated, session open): the app's `msoko:engine`, the bare page's `bare:engine`. */
  engineMs?: number;
  readyMs: number;
  /** The first chart drawn: a kept one (marked, from the last visit) or a fresh one. */
  chartMs?: number;
  /** The first chart the engine has computed in this visit. */
  freshChartMs?: number;
  transferredBytes: number;
  /** Decoded bytes of JavaScript the page loaded before ready (main thread). */
  jsBytes: number;
  /** Decoded bytes of worker scripts (all workers started before ready). */
  workerJsBytes: number;
  /**
   * The engine's start in parts, ms from navigation: the database worker's creation (`worker`)
   * and its marks (src/db/worker-start.ts, workers/db.worker.ts: `db:…`), or the bare page's.
   */
  parts?: Record<string, number>;
}

/** The database worker's creation and its `db:` marks, on the page's clock. */
async function engineParts(page: Page): Promise<Record<string, number>> {
  const origin = await page.evaluate(() => performance.timeOrigin);
  const marks: Record<string, number> = {};
  for (const w of page.workers()) {
    const got = await w
      .evaluate(() => ({ origin: performance.timeOrigin, marks: performance.getEntriesByType('mark').map((m) => [m.name, m.startTime] as const) }))
      .catch(() => null);
    if (!got || !got.marks.some(([n]) => n.startsWith('db:') || n.startsWith('bare:'))) continue;
    marks.worker = got.origin - origin;
    for (const [n, t] of got.marks) marks[n] = got.origin + t - origin;
  }
  const own = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => [m.name, m.startTime] as const));
  for (const [n, t] of own) if (!n.startsWith('bench:')) marks[n] = t;
  return marks;
}

/**
 * Sums what crossed the wire from now on: encoded body + headers of every finished request.
 * Playwright reports the requests of the page's dedicated workers (the engine's wasm) on the page.
 */
function countBytes(page: Page): { total: () => Promise<number>; reset: () => void } {
  let sizes: Promise<number>[] = [];
  page.on('requestfinished', (r) => sizes.push(r.sizes().then((s) => s.responseBodySize + s.responseHeadersSize, () => 0)));
  return { total: async () => (await Promise.all(sizes)).reduce((a, b) => a + b, 0), reset: () => (sizes = []) };
}

async function scriptBytes(page: Page, mark: string, engineMark: string): Promise<{ engineMs?: number; readyMs: number; jsBytes: number; workerJsBytes: number }> {
  // No named functions inside: tsx would wrap them in a helper the page does not have.
  return page.evaluate(([mark, engineMark]) => {
    const ready = performance.getEntriesByName(mark)[0]!.startTime;
    const engineMs = performance.getEntriesByName(engineMark)[0]?.startTime;
    let jsBytes = 0;
    let workerJsBytes = 0;
    for (const e of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
      if (!/\.m?js(\?|$)/.test(e.name) || e.responseEnd > ready) continue;
      if (/worker/i.test(e.name.split('/').pop() ?? '')) workerJsBytes += e.decodedBodySize;
      else jsBytes += e.decodedBodySize;
    }
    return { engineMs, readyMs: ready, jsBytes, workerJsBytes };
  }, [mark, engineMark] as const).then(async (own) => ({ ...own, workerJsBytes: own.workerJsBytes + (await workerImports(page, own.readyMs)) }));
}

/**
 * Decoded bytes of the scripts the page's workers imported themselves before `readyMs` (page
 * clock): the database worker's entry is 2 KB and imports the engine's 1.4 MB, which the page's
 * own Resource Timing does not see.
 */
async function workerImports(page: Page, readyMs: number): Promise<number> {
  const origin = await page.evaluate(() => performance.timeOrigin);
  let bytes = 0;
  for (const w of page.workers()) {
    bytes += await w
      .evaluate(
        ([offset, ready]) =>
          (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
            .filter((e) => /\.m?js(\?|$)/.test(e.name) && performance.timeOrigin + e.responseEnd - offset <= ready)
            .reduce((n, e) => n + e.decodedBodySize, 0),
        [origin, readyMs] as const,
      )
      .catch(() => 0);
  }
  return bytes;
}

const waitMark = (page: Page, mark: string) =>
  page.waitForFunction((m) => performance.getEntriesByName(m).length > 0 || !!document.querySelector('[data-engine=failed]'), mark, { timeout: 120_000 });

const CHART = '.vega-embed .marks, svg.marks, canvas.marks';

/**
 * A warm reload is a person coming back to the workbench: the first visit has finished its work —
 * the notebook has run and what it keeps (tables, last outputs) is written to IndexedDB. Until
 * round 5 the reload came the moment the first chart was drawn, in the middle of the demo's write,
 * which no returning user sees. Builds that keep no outputs are reloaded after the notebook is idle
 * and at most 60 s of waiting.
 */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => !!(window as unknown as { __msoko?: { notebook?: unknown } }).__msoko?.notebook, undefined, { timeout: 120_000 });
  await page.evaluate(() => (window as unknown as { __msoko: { notebook: { idle(): Promise<void> } } }).__msoko.notebook.idle());
  const kept = () =>
    page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const req = indexedDB.open('msoko-workbench');
          req.onerror = () => resolve(0);
          req.onsuccess = () => {
            const db = req.result;
            if (!db.objectStoreNames.contains('kv')) return resolve(0), db.close();
            const keys = db.transaction('kv').objectStore('kv').getAllKeys();
            keys.onsuccess = () => (resolve((keys.result as string[]).filter((k) => String(k).startsWith('kept.')).length), db.close());
            keys.onerror = () => (resolve(0), db.close());
          };
        }),
    );
  // Polled from here (the page's answer comes from an IndexedDB callback) until the outputs are
  // there and their number has stopped growing: they are written one cell after another.
  for (let end = Date.now() + 60_000, last = -1, n = await kept(); Date.now() < end && (n === 0 || n !== last); last = n, n = await kept()) {
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * One app run: cold visit, settled, warm reload. With `again`, a second warm reload after that
 * one has settled (the third visit: Chromium produces a script's code cache on its second load
 * and uses it from the third; for A/B only, the bench's step does not take it).
 */
export async function appRun(served: Served, template: string, again = false): Promise<{ cold: Sample; warm: Sample; third?: Sample; peakMb: number; offOrigin: string[] }> {
  const tab = await openTab(served.url, { cache: true });
  try {
    // Stamps when the shell says the engine is ready and when the first chart is drawn; the
    // engine's state is the shell's data-engine attribute, so older builds are timed alike.
    await tab.page.addInitScript((sel) => {
      const w = window as unknown as { __firstChart?: number; __freshChart?: number };
      // A kept output (marked, from the last visit) can be drawn before the engine is ready, so
      // the observer stays on until the engine, the first chart and the first fresh chart are stamped.
      new MutationObserver((_, obs) => {
        if (!performance.getEntriesByName('bench:engine-ready').length && document.querySelector('[data-testid=app][data-engine=ready]')) performance.mark('bench:engine-ready');
        const charts = [...document.querySelectorAll(sel)];
        if (w.__firstChart == null && charts.length) w.__firstChart = performance.now();
        if (w.__freshChart == null && charts.some((c) => !c.closest('[data-testid=cell-kept]'))) w.__freshChart = performance.now();
        if (w.__freshChart != null && performance.getEntriesByName('bench:engine-ready').length) obs.disconnect();
      }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-engine', 'class'] });
    }, CHART);
    const bytes = countBytes(tab.page);
    const chartAt = async () => {
      await tab.page.waitForFunction(() => (window as unknown as { __freshChart?: number }).__freshChart != null, undefined, { timeout: 180_000 });
      return tab.page.evaluate(() => {
        const w = window as unknown as { __firstChart: number; __freshChart: number };
        return { chartMs: w.__firstChart, freshChartMs: w.__freshChart };
      });
    };
    await tab.page.goto(served.url);
    await waitMark(tab.page, 'bench:engine-ready');
    const coldStart = await scriptBytes(tab.page, 'bench:engine-ready', 'msoko:engine');
    const coldParts = await engineParts(tab.page);
    const coldReadyBytes = await bytes.total();
    await tab.page.getByTestId(`home-card-${template}`).getByTestId('home-open').click();
    const coldChart = await chartAt();
    await settled(tab.page);
    bytes.reset();
    await tab.page.reload();
    await waitMark(tab.page, 'bench:engine-ready');
    const warmStart = await scriptBytes(tab.page, 'bench:engine-ready', 'msoko:engine');
    const warmParts = await engineParts(tab.page);
    const warmChart = await chartAt();
    let third: Sample | undefined;
    if (again) {
      await settled(tab.page);
      await tab.page.reload();
      await waitMark(tab.page, 'bench:engine-ready');
      third = { ...(await scriptBytes(tab.page, 'bench:engine-ready', 'msoko:engine')), transferredBytes: 0, parts: await engineParts(tab.page) };
    }
    return {
      third,
      cold: { ...coldStart, ...coldChart, transferredBytes: coldReadyBytes, parts: coldParts },
      warm: { ...warmStart, ...warmChart, transferredBytes: await bytes.total(), parts: warmParts },
      peakMb: tab.peakMb(),
      offOrigin: tab.offOrigin,
    };
  } finally {
    await tab.close();
  }
}

async function bareRun(served: Served): Promise<{ cold: Sample; warm: Sample; peakMb: number; offOrigin: string[] }> {
  const tab = await openTab(served.url, { cache: true });
  try {
    const bytes = countBytes(tab.page);
    const url = served.url + 'scripts/bench/bare/index.html';
    const open = async (go: () => Promise<unknown>) => {
      bytes.reset();
      await go();
      await tab.page.waitForFunction(() => document.getElementById('status')?.dataset.ready === '1' || document.getElementById('status')?.dataset.error, undefined, { timeout: 120_000 });
      const error = await tab.page.evaluate(() => document.getElementById('status')?.dataset.error);
      if (error) throw new Error(error);
      return { ...(await scriptBytes(tab.page, 'bare:ready', 'bare:engine')), transferredBytes: await bytes.total(), parts: await engineParts(tab.page) };
    };
    const cold = await open(() => tab.page.goto(url));
    const warm = await open(() => tab.page.reload());
    return { cold, warm, peakMb: tab.peakMb(), offOrigin: tab.offOrigin };
  } finally {
    await tab.close();
  }
}

/** Median of each figure over the runs. */
function summarise(samples: Sample[]) {
  const m = (f: (s: Sample) => number | undefined) => median(samples.map(f).filter((x): x is number => x != null));
  return {
    engineMs: m((s) => s.engineMs),
    readyMs: m((s) => s.readyMs),
    chartMs: m((s) => s.chartMs),
    freshChartMs: m((s) => s.freshChartMs),
    transferredBytes: m((s) => s.transferredBytes),
    jsBytes: m((s) => s.jsBytes),
    workerJsBytes: m((s) => s.workerJsBytes),
    parts: Object.fromEntries([...new Set(samples.flatMap((s) => Object.keys(s.parts ?? {})))].map((k) => [k, m((s) => s.parts?.[k])])),
    samples,
  };
}

/** The app's and the bare page's start-up, cold and warm: two steps, `page-app` and `page-bare`. */
export async function measureStartup(served: Served, runs: number, template: string): Promise<StepResult[]> {
  const out: StepResult[] = [];
  for (const [id, title, run] of [
    ['page-app', `4. Приложение: движок и демо-данные готовы, первая диаграмма (шаблон «${template}»), холодный и тёплый старт`, () => appRun(served, template)],
    ['page-bare', '4. Голая страница DuckDB-WASM (без приложения): движок и те же демо-CSV, холодный и тёплый старт', () => bareRun(served)],
  ] as const) {
    const cold: Sample[] = [];
    const warm: Sample[] = [];
    let peak = 0;
    let error: string | undefined;
    const offOrigin: string[] = [];
    for (let i = 0; i < runs; i++) {
      try {
        const r = await run();
        cold.push(r.cold);
        warm.push(r.warm);
        peak = Math.max(peak, r.peakMb);
        offOrigin.push(...r.offOrigin);
      } catch (e) {
        error = String(e instanceof Error ? e.message : e).split('\n')[0];
        break;
      }
    }
    const c = summarise(cold);
    out.push({
      id,
      title,
      measuredAt: new Date().toISOString(),
      runs: cold.length,
      browserMs: c.readyMs,
      nativeMs: null,
      ratio: null,
      browserPeakMb: peak || null,
      nativePeakMb: null,
      browser: { ...(error ? { error } : {}), cold: c, warm: summarise(warm), offOrigin },
      native: { note: 'no native counterpart' },
    });
  }
  return out;
}
