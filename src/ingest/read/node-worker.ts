/**
 * Node only (the CLI): runs the reader's pure parses in a worker thread, with the same timeout
 * and cancellation as the browser's parse workers and a heap limit of its own, so a hostile
 * workbook (a zip bomb that lies about its size, a parse that never ends) ends in a Russian
 * message for that one file instead of hanging or crashing the whole run. One thread serves the
 * files one after another (starting one costs ≈ 1 s); a thread that timed out or failed is
 * terminated and the next file gets a fresh one.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UserError } from '../../errors';
import { deadline } from './off-thread';
import type { ParseRunner } from './parsers';

const require = createRequire(import.meta.url);
const TSX_API = pathToFileURL(join(dirname(require.resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
const PARSERS_MODULE = pathToFileURL(join(import.meta.dirname, 'parsers.ts')).href;

// A plain script (no TypeScript in a fresh thread): it registers tsx, then loads the parsers.
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const loaded = (async () => {
  const { register } = await import(workerData.tsx);
  register();
  return import(workerData.module);
})();
parentPort.on('message', async ({ kind, bytes, args }) => {
  const { PARSERS, transferables } = await loaded;
  const result = PARSERS[kind](bytes, ...args);
  parentPort.postMessage(result, transferables(result));
});
`;

/** Heap of the parse thread: far above a real workbook (a 26 666-row one needs ≈ 300 MB). */
const HEAP_MB = 4096;

let thread: Worker | null = null;

function parseThread(): Worker {
  if (thread) return thread;
  const worker = new Worker(SOURCE, {
    eval: true,
    workerData: { tsx: TSX_API, module: PARSERS_MODULE },
    resourceLimits: { maxOldGenerationSizeMb: HEAP_MB },
  });
  worker.unref();
  worker.once('exit', () => thread === worker && (thread = null));
  return (thread = worker);
}

/** Stops the parse thread (the CLI calls it when done). */
export async function closeParseThread(): Promise<void> {
  const worker = thread;
  thread = null;
  await worker?.terminate();
}

function failure(e: Error & { code?: string }): UserError {
  return e.code === 'ERR_WORKER_OUT_OF_MEMORY'
    ? new UserError(`разбору файла не хватило памяти (больше ${HEAP_MB} МБ): файл слишком велик или повреждён. Сохраните его в формате CSV или разделите на части.`)
    : new UserError(`файл не удалось разобрать (${e.message.split('\n')[0]}).`);
}

export const nodeWorkerParser: ParseRunner = async (kind, bytes, control, args) => {
  // A small Buffer from readFileSync is a view into a shared pool: give the thread its own copy.
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  const worker = parseThread();
  const { expired, stop } = deadline(control);
  const listeners: [string, (value: unknown) => void][] = [];
  const on = (event: string, fn: (value: unknown) => void) => (listeners.push([event, fn]), worker.once(event, fn));
  let ok = false;
  try {
    const done = new Promise<never>((_, reject) => {
      on('error', (e) => reject(failure(e as Error)));
      on('exit', (code) => reject(new UserError(`разбор файла прервался (код ${code}).`)));
    });
    const message = new Promise((resolve) => on('message', resolve));
    worker.postMessage({ kind, bytes: own, args }, [own.buffer as ArrayBuffer]);
    const result = (await Promise.race([message, done, expired])) as never;
    ok = true;
    return result;
  } finally {
    stop();
    for (const [event, fn] of listeners) worker.off(event, fn);
    if (!ok) {
      if (thread === worker) thread = null;
      await worker.terminate();
    }
  }
};
