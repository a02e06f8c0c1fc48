/**
 * The database worker's start (src/db/worker-start.ts): the wasm is requested before the
 * engine's ≈1.4 MB of JavaScript (workers/db.worker.ts), so its fetch and compile run while that
 * code loads; and a call sent before that code has loaded (the connector's `init`, a restart's)
 * is answered, not lost. Order of requests only, no timing.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Worker } from 'playwright-core';
import { openApp, type AppSession } from './harness';
import { sql, waitReady } from './app-helpers';

let app: AppSession;
beforeAll(async () => {
  app = await openApp({ path: '' });
  await waitReady(app.page);
});
afterAll(async () => app?.close());

/** Resource requests a worker made, in order: file name and start time. */
const requests = (w: Worker) =>
  w.evaluate(() => performance.getEntriesByType('resource').map((e) => ({ name: e.name.split('/').pop()!, start: e.startTime })));

test('the database worker requests the wasm before the engine code, and answers calls sent before that code loaded', async () => {
  const { page } = app;
  const workers = page.workers().filter((w) => /worker-start/.test(w.url()));
  expect(workers).toHaveLength(1);
  const seen = await requests(workers[0]);
  const wasm = seen.find((r) => /^duckdb-eh-.*\.wasm$/.test(r.name));
  const engine = seen.find((r) => /^db\.worker-.*\.js$/.test(r.name));
  expect(wasm, JSON.stringify(seen)).toBeDefined();
  expect(engine, JSON.stringify(seen)).toBeDefined();
  expect(wasm!.start).toBeLessThan(engine!.start);

  // A worker of the same entry, spoken to at once: its `init` arrives before the engine's code
  // (≈1.4 MB) has loaded, and must still be answered; then the engine answers a query.
  const answers = await page.evaluate(async (url) => {
    const w = new Worker(url, { type: 'module' });
    const call = (id: string, path: string, args: unknown[]) =>
      new Promise<{ type: string; value: unknown }>((ok, fail) => {
        const on = (e: MessageEvent) => e.data?.id === id && (w.removeEventListener('message', on), ok(e.data));
        w.addEventListener('message', on);
        w.addEventListener('error', (e) => fail(new Error(e.message)));
        // Comlink's wire format: an APPLY of a method with raw arguments.
        w.postMessage({ id, type: 'APPLY', path: [path], argumentList: args.map((value) => ({ type: 'RAW', value })) });
      });
    const init = await call('a', 'init', []);
    const rows = await call('b', 'rows', ['SELECT 41 + 1 AS x']);
    w.terminate();
    return { init, rows };
  }, workers[0].url());
  expect(answers.init.type).toBe('RAW');
  expect(String(answers.init.value)).toMatch(/^v\d+\.\d+/);
  expect(answers.rows.value).toEqual([{ x: 42 }]);
  expect(await sql(page, 'SELECT 2 + 2 AS y')).toEqual([{ y: 4 }]);
  expect(app.offOrigin).toEqual([]);
});
