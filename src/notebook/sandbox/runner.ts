/**
 * The browser's TsRunner: TypeScript cells run in a sandboxed iframe (`sandbox="allow-scripts"`,
 * opaque origin, its own CSP with `connect-src 'none'`), so the app page itself needs no
 * `unsafe-eval` and cell code cannot reach the page's DOM, storage or network. The page answers
 * the frame's `sql` requests through the one connector (the runtime's TsSql).
 */
import { tableToIPC } from 'apache-arrow';
import { CANCELLED_MESSAGE } from '../../errors';
import type { TsInvocation, TsRunner, TsSql } from '../ts-api';
import { decodeValue, encodeValue, type FromFrame, type ToFrame } from './protocol';

interface Frame {
  el: HTMLIFrameElement;
  ready: Promise<void>;
}

const SANDBOX_URL = './ts-sandbox.html';

export function createSandboxRunner(loadFrameCode: () => Promise<string>): TsRunner {
  let frame: Frame | undefined;
  let nextRun = 0;
  const runs = new Map<number, { sql: TsSql; ok: (v: unknown) => void; fail: (e: Error) => void }>();

  const send = (m: ToFrame, transfer: Transferable[] = []) => frame?.el.contentWindow?.postMessage(m, '*', transfer);

  function onMessage(e: MessageEvent) {
    if (!frame || e.source !== frame.el.contentWindow) return;
    const m = e.data as FromFrame;
    if (m.type === 'ready') return;
    const r = runs.get(m.run);
    if (!r) return;
    if (m.type === 'sql') {
      r.sql(m.strings, m.values).then(
        (t) => {
          const ipc = tableToIPC(t, 'stream');
          send({ type: 'sql-result', req: m.req, ipc }, [ipc.buffer]);
        },
        (err: unknown) => send({ type: 'sql-error', req: m.req, message: err instanceof Error ? err.message : String(err) }),
      );
    } else {
      runs.delete(m.run);
      if (m.type === 'done') r.ok(decodeValue(m.value));
      else r.fail(new Error(m.message));
    }
  }

  function start(): Frame {
    const el = document.createElement('iframe');
    el.setAttribute('sandbox', 'allow-scripts');
    el.setAttribute('aria-hidden', 'true');
    el.setAttribute('tabindex', '-1');
    el.title = 'Песочница ячеек TypeScript';
    el.style.display = 'none';
    el.dataset.testid = 'ts-sandbox';
    const ready = new Promise<void>((ok, fail) => {
      const onBoot = async (e: MessageEvent) => {
        if (e.source !== el.contentWindow) return;
        if ((e.data as { type?: string })?.type === 'boot') {
          try {
            el.contentWindow!.postMessage({ type: 'init', code: await loadFrameCode() }, '*');
          } catch (err) {
            fail(err as Error);
          }
        } else if ((e.data as { type?: string })?.type === 'ready') {
          window.removeEventListener('message', onBoot);
          ok();
        }
      };
      window.addEventListener('message', onBoot);
    });
    // A second load means the frame navigated (the app's `frame-src 'self'` turns an escape into an
    // error page): its code is gone, so its runs fail and the next run starts a fresh frame.
    let loads = 0;
    el.addEventListener('load', () => {
      if (++loads > 1 && frame?.el === el) drop('Ячейка TypeScript пыталась уйти со страницы песочницы: выполнение прервано');
    });
    el.src = SANDBOX_URL;
    document.body.appendChild(el);
    return { el, ready };
  }

  function drop(message: string) {
    for (const r of runs.values()) r.fail(new Error(message));
    runs.clear();
    frame?.el.remove();
    frame = undefined;
  }

  window.addEventListener('message', onMessage);

  const runner: TsRunner = async (inv: TsInvocation, sql: TsSql) => {
    frame ??= start();
    await frame.ready;
    const run = ++nextRun;
    const values: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(inv.values)) values[k] = encodeValue(v);
    const wire = { code: inv.code, names: inv.names, values, params: encodeValue(inv.params) as Record<string, unknown> };
    return new Promise<unknown>((ok, fail) => {
      runs.set(run, { sql, ok, fail });
      send({ type: 'run', run, inv: wire });
    });
  };
  // A cancelled cell may spin forever: drop the frame; the next run starts a fresh one.
  runner.cancel = () => drop(CANCELLED_MESSAGE);
  return runner;
}
