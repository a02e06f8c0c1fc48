/**
 * Runs in a dedicated worker inside the sandboxed frame (public/ts-sandbox.html: opaque origin, no
 * network, no navigation of the app; the frame only relays messages). Receives a cell's code and
 * the values it reads, answers its `sql` through the page, and posts back the returned value.
 * Bundled as one classic script (vite.config.ts, `virtual:ts-frame`); the frame's boot script
 * starts it as the worker's script. A worker, not the frame itself, because a frame's realm has
 * RTCPeerConnection (CSP does not govern WebRTC) and can make fresh frames that have it.
 */
import { tableFromIPC, type Table } from 'apache-arrow';
import { invokeTs } from '../ts-api';
import { decodeValue, encodeValue, type FromFrame, type ToFrame } from './protocol';

const waiting = new Map<number, { ok: (t: Table) => void; fail: (e: Error) => void }>();
let nextReq = 0;

const post = (m: FromFrame) => self.postMessage(m);

async function run(runId: number, inv: Extract<ToFrame, { type: 'run' }>['inv']) {
  const values: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(inv.values)) {
    let decoded: unknown;
    let done = false;
    Object.defineProperty(values, name, {
      get: () => (done ? decoded : ((done = true), (decoded = decodeValue(v)))),
      enumerable: true,
    });
  }
  const sql = (strings: string[], vals: unknown[]) =>
    new Promise<Table>((ok, fail) => {
      const req = ++nextReq;
      waiting.set(req, { ok, fail });
      try {
        post({ type: 'sql', run: runId, req, strings, values: vals });
      } catch (e) {
        waiting.delete(req);
        fail(new Error(`Значение в запросе нельзя передать: ${(e as Error).message}`));
      }
    });
  try {
    const value = await invokeTs({ ...inv, values }, sql);
    try {
      post({ type: 'done', run: runId, value: encodeValue(value) });
    } catch (e) {
      post({ type: 'error', run: runId, message: `Результат ячейки нельзя показать: ${(e as Error).message}` });
    }
  } catch (e) {
    post({ type: 'error', run: runId, message: e instanceof Error ? e.message : String(e) });
  }
}

// Only the frame's relay can post here: the worker is reachable from nowhere else.
self.addEventListener('message', (e: MessageEvent) => {
  const m = e.data as ToFrame;
  if (m.type === 'run') void run(m.run, m.inv);
  else if (m.type === 'sql-result' || m.type === 'sql-error') {
    const w = waiting.get(m.req);
    waiting.delete(m.req);
    if (m.type === 'sql-result') w?.ok(tableFromIPC(m.ipc));
    else w?.fail(new Error(m.message));
  }
});
post({ type: 'ready' });
