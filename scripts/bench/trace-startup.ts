/**
 * Where the warm reload's engine start goes: opens the app (or the bare engine page) cold in a
 * persistent profile with the HTTP cache on, lets the visit settle as `npm run bench`'s page step
 * does, then reloads under a Chromium trace (V8's wasm categories, user timing, loading) and
 * prints the wasm module's fetch, compile (a code-cache hit shows as a deserialisation), the
 * instantiate and the page's and worker's marks, in ms from the reload's navigation start.
 *
 *   npx tsx scripts/bench/trace-startup.ts <built bench dir> [app|bare] [--keep trace.json] [--cold]
 *
 * `--cold` traces the first visit instead (a fresh profile), until the app is ready (engine and demo).
 *
 * With TRACE_CATEGORIES=disabled-by-default-v8.cpu_profiler,blink.user_timing and
 * `--profile <mark> <mark>` (e.g. db:instantiated db:runtime) it prints the worker's CPU samples
 * between the two marks by function instead (how the ≈1 s of DuckDB-WASM's linker glue was found).
 */
import { writeFileSync } from 'node:fs';
import { openTab } from './browser';
import { serve } from './browser';
import { settled } from './startup';

const CATEGORIES = process.env.TRACE_CATEGORIES?.split(',') ?? [
  'v8',
  'v8.wasm',
  'disabled-by-default-v8.wasm.detailed',
  'disabled-by-default-v8.wasm.turbofan',
  'blink.user_timing',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'loading',
  'netlog',
  'blink',
];

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: Record<string, unknown>;
}

async function main(): Promise<void> {
  const [dir, which = 'app', ...rest] = process.argv.slice(2);
  const keep = rest.includes('--keep') ? rest[rest.indexOf('--keep') + 1] : undefined;
  const served = await serve(dir, dir);
  const tab = await openTab(served.url, { cache: true });
  const page = tab.page;
  const url = which === 'bare' ? served.url + 'scripts/bench/bare/index.html' : served.url;
  const wasmHeaders: Record<string, string>[] = [];
  page.on('response', (r) => void (r.url().endsWith('.wasm') && wasmHeaders.push({ url: r.url().split('/').pop()!, status: String(r.status()), ...r.headers() })));
  const cold = rest.includes('--cold');
  try {
    const cdp = await tab.context.newCDPSession(page);
    const events: TraceEvent[] = [];
    cdp.on('Tracing.dataCollected', (e) => void events.push(...(e.value as unknown as TraceEvent[])));
    const complete = new Promise<void>((ok) => cdp.once('Tracing.tracingComplete', () => ok()));
    const trace = () => cdp.send('Tracing.start', { traceConfig: { includedCategories: CATEGORIES, recordMode: 'recordAsMuchAsPossible' }, transferMode: 'ReportEvents' });
    if (cold) await trace();
    await page.goto(url);
    if (cold) {
      await page.waitForSelector('[data-testid=app][data-engine=ready]');
    } else if (which === 'bare') {
      await page.waitForFunction(() => document.getElementById('status')?.dataset.ready === '1');
      await new Promise((r) => setTimeout(r, Number(process.env.TRACE_SETTLE_MS ?? 5000)));
    } else {
      await page.waitForSelector('[data-testid=app][data-engine=ready]');
      await page.getByTestId('home-card-pre').getByTestId('home-open').click();
      await settled(page);
    }
    if (!cold) {
      await trace();
      await page.reload();
      if (which === 'bare') await page.waitForFunction(() => document.getElementById('status')?.dataset.ready === '1');
      else await page.waitForFunction(() => performance.getEntriesByName('msoko:engine').length > 0);
    }
    const marks = await page.evaluate(() => performance.getEntries().filter((e) => e.entryType === 'mark' || e.entryType === 'measure').map((e) => `${e.entryType} ${e.name} ${e.startTime.toFixed(0)}${e.duration ? ' +' + e.duration.toFixed(0) : ''}`));
    await new Promise((r) => setTimeout(r, 1000));
    await cdp.send('Tracing.end');
    await complete;
    if (keep) writeFileSync(keep, JSON.stringify({ traceEvents: events }));
    const at = rest.indexOf('--profile');
    if (at >= 0) profile(events, rest[at + 1], rest[at + 2]);
    else report(events, marks, wasmHeaders);
  } finally {
    await tab.close();
    await served.close();
  }
}

function report(events: TraceEvent[], marks: string[], wasmHeaders: Record<string, string>[]): void {
  // The reload's navigation start on the renderer's main thread.
  const nav = events.filter((e) => e.name === 'navigationStart' || e.name === 'NavigationStart').map((e) => e.ts);
  const t0 = nav.length ? Math.max(...nav) : Math.min(...events.map((e) => e.ts));
  const threads = new Map<string, string>();
  for (const e of events) if (e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, String(e.args?.name));
  const rel = (ts: number) => ((ts - t0) / 1000).toFixed(1).padStart(8);
  const interesting = (e: TraceEvent) =>
    /wasm/i.test(e.cat) || /wasm|Wasm|user_timing/.test(e.name) || e.cat.includes('user_timing') || /ResourceSendRequest|ResourceReceiveResponse|ResourceFinish/.test(e.name);
  console.log('wasm responses (first visit and reload):', JSON.stringify(wasmHeaders, null, 1));
  console.log('page marks:', marks.join('; '));
  const counts = new Map<string, number>();
  for (const e of events.filter((x) => x.ts >= t0 && interesting(x)).sort((a, b) => a.ts - b.ts)) {
    const key = `${e.cat}/${e.name}`;
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    if (n > 3 && !e.cat.includes('user_timing')) continue;
    const args = e.args && Object.keys(e.args).length ? JSON.stringify(e.args).slice(0, 200) : '';
    console.log(`${rel(e.ts)} ms ${e.dur != null ? (e.dur / 1000).toFixed(1).padStart(8) + ' ms' : '          '} ${e.ph} [${threads.get(`${e.pid}:${e.tid}`) ?? e.tid}] ${key} ${args}`);
  }
  console.log('event counts after navigation:', JSON.stringify(Object.fromEntries([...counts].filter(([k]) => /wasm/i.test(k)))));
}

/** Self samples of the dedicated workers' CPU profile between two user-timing marks, by function. */
function profile(events: TraceEvent[], from: string, to: string): void {
  const threads = new Map<string, string>();
  for (const e of events) if (e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, String(e.args?.name));
  const markTs = (n: string) => Math.max(...events.filter((e) => e.name === n).map((e) => e.ts));
  const [t0, t1] = [markTs(from), markTs(to)];
  type Node = { id: number; callFrame?: { functionName?: string; url?: string } };
  type Chunk = { cpuProfile?: { nodes?: Node[]; samples?: number[] }; timeDeltas?: number[] };
  const profiles = new Map<unknown, { worker: boolean; t: number; nodes: Map<number, Node> }>();
  for (const e of events as (TraceEvent & { id?: unknown })[]) {
    if (e.name !== 'Profile') continue;
    const worker = /DedicatedWorker/.test(threads.get(`${e.pid}:${e.tid}`) ?? '');
    profiles.set(e.id, { worker, t: Number((e.args?.data as { startTime: number }).startTime), nodes: new Map() });
  }
  const self = new Map<string, number>();
  let total = 0;
  for (const e of (events as (TraceEvent & { id?: unknown })[]).filter((x) => x.name === 'ProfileChunk').sort((a, b) => a.ts - b.ts)) {
    const p = profiles.get(e.id);
    const data = e.args?.data as Chunk | undefined;
    if (!p || !data) continue;
    for (const n of data.cpuProfile?.nodes ?? []) p.nodes.set(n.id, n);
    const samples = data.cpuProfile?.samples ?? [];
    samples.forEach((id, i) => {
      p.t += data.timeDeltas?.[i] ?? 0;
      if (!p.worker || p.t < t0 || p.t > t1) return;
      const cf = p.nodes.get(id)?.callFrame ?? {};
      const key = `${cf.functionName || '(anonymous)'} ${(cf.url ?? '').split('/').pop()}`;
      self.set(key, (self.get(key) ?? 0) + 1);
      total++;
    });
  }
  console.log(`${from} → ${to}: ${((t1 - t0) / 1000).toFixed(0)} ms, ${total} samples in workers`);
  for (const [k, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${n.toString().padStart(6)} ${((100 * n) / total).toFixed(1).padStart(5)}% ${k}`);
}

await main();
