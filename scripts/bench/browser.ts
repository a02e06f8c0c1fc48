/**
 * The browser half of the benchmark: builds the app with the bench page, serves it on
 * 127.0.0.1, and drives Debian's Chromium (headless, the flags of tests/browser/harness.ts).
 * Every step gets a fresh browser so that the tab's peak memory is the step's own.
 *
 * Peak memory of the tab = the peak resident set (VmHWM, /proc/<pid>/status) of the page's
 * renderer process. DuckDB-WASM runs in a dedicated worker, which lives in that same process,
 * and its wasm heap is ordinary process memory, so VmHWM sees all of it — unlike
 * Performance.getMetrics (JS heap only) or measureUserAgentSpecificMemory (needs cross-origin
 * isolation, which the app does not enable).
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS } from '../../tests/browser/chromium';
import { serveStatic } from '../../tests/browser/global-setup';

/** Builds the app and the bench page into `outDir`, links the data folder as `__data/` and the demo as `__demo/`. */
export function buildBench(outDir: string, dataDir: string, skipBuild = false, demoDir?: string): void {
  if (!(skipBuild && existsSync(join(outDir, 'index.html')))) {
    execSync(`npx vite build --config scripts/bench/vite.config.ts --logLevel error --outDir ${JSON.stringify(outDir)} --emptyOutDir`, {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  rmSync(join(outDir, '__data'), { force: true, recursive: true });
  symlinkSync(resolve(dataDir), join(outDir, '__data'));
  rmSync(join(outDir, '__demo'), { force: true, recursive: true });
  if (demoDir && existsSync(demoDir)) symlinkSync(resolve(demoDir), join(outDir, '__demo'));
}

export interface Served {
  url: string;
  server: Server;
  /** URL of a file under the data folder. */
  dataUrl(path: string): string;
  close(): Promise<void>;
}

export async function serve(outDir: string, dataDir: string): Promise<Served> {
  const { server, url } = await serveStatic(resolve(outDir));
  return {
    url,
    server,
    dataUrl: (path) => url + '__data/' + relative(resolve(dataDir), resolve(path)).split('/').map(encodeURIComponent).join('/'),
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

export interface Tab {
  context: BrowserContext;
  page: Page;
  profileDir: string;
  offOrigin: string[];
  errors: string[];
  /** Peak RSS of the page's renderer process so far, MB. */
  peakMb(): number;
  /** Resets that peak to the current RSS (to time a phase's own peak after loading). */
  resetPeak(): void;
  close(): Promise<void>;
}

/**
 * A fresh browser on its own profile. Requests that leave the origin are blocked and listed;
 * with `cache` they are only listed (Playwright's request routing turns the HTTP cache off, and
 * the warm start-up measures that cache).
 */
export async function openTab(url: string, opts: { cache?: boolean } = {}): Promise<Tab> {
  const origin = new URL(url).origin;
  const profileDir = mkdtempSync(join(tmpdir(), 'msoko-bench-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1400, height: 900 },
  });
  const tab: Tab = {
    context,
    page: context.pages()[0] ?? (await context.newPage()),
    profileDir,
    offOrigin: [],
    errors: [],
    peakMb: () => rendererPeakMb(profileDir),
    resetPeak: () => resetRendererPeak(profileDir),
    close: async () => {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
  const local = (u: string) => u.startsWith(origin) || u.startsWith('data:') || u.startsWith('blob:');
  if (opts.cache) context.on('request', (r) => void (local(r.url()) || tab.offOrigin.push(r.url())));
  else
    await context.route('**/*', (route) => {
      const u = route.request().url();
      if (local(u)) return route.continue();
      tab.offOrigin.push(u);
      return route.abort();
    });
  tab.page.on('pageerror', (e) => tab.errors.push(String(e)));
  tab.page.on('console', (m) => m.type() === 'error' && tab.errors.push(m.text()));
  tab.page.setDefaultTimeout(0);
  return tab;
}

/** Max VmHWM over the renderer processes of the Chromium that uses `profileDir`. */
export function rendererPeakMb(profileDir: string): number {
  let peak = 0;
  for (const pid of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes(profileDir) || !cmd.includes('--type=renderer')) continue;
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]) / 1024);
    } catch {
      // The process ended while we looked.
    }
  }
  return peak;
}

/**
 * Sets VmHWM of the Chromium renderers on `profileDir` back to their current RSS (Linux:
 * `5` → /proc/<pid>/clear_refs), so a later rendererPeakMb is the peak of what ran after it.
 */
export function resetRendererPeak(profileDir: string): void {
  for (const pid of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes(profileDir) && cmd.includes('--type=renderer')) writeFileSync(`/proc/${pid}/clear_refs`, '5');
    } catch {
      // The process ended, or the kernel does not allow it: the peak then includes loading.
    }
  }
}

/** Opens the bench page and waits for the engine. */
export async function openBenchPage(served: Served): Promise<Tab & { duckdb: string }> {
  const tab = await openTab(served.url);
  await tab.page.goto(served.url + 'scripts/bench/page/index.html');
  await tab.page.waitForFunction(() => document.getElementById('status')?.dataset.ready === '1');
  const duckdb = await tab.page.evaluate(() => window.__bench.ready());
  return Object.assign(tab, { duckdb });
}

export type BenchApi = Window['__bench'];
