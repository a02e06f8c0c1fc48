/**
 * Turns for the event loop during the JavaScript parts of an indicator run. In the tab the runner
 * shares the page's main thread (only its database calls go to the worker), and the guide's rule
 * for long work is that it never blocks the page for more than 100 ms: GIA-07's statistics over
 * thousands of comparisons ran 1.5 s (demo) in one synchronous stretch.
 *
 * `breathe()` is cheap enough for any loop: it yields a macrotask only when SLICE_MS have passed
 * since the last turn it gave, so a loop of small steps yields every ~SLICE_MS and costs one clock
 * read per step otherwise.
 */

/** Longest stretch between two turns, leaving room under the 100 ms rule for the step that crosses it. */
export const SLICE_MS = 25;

const now = (): number => performance.now();
let since = now();

/** A macrotask: a message in the browser (no 4 ms clamp of nested timers), setImmediate in Node. */
function macrotask(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((ok) => setImmediate(ok));
  if (typeof MessageChannel === 'function') {
    return new Promise((ok) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        ok();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((ok) => setTimeout(ok, 0));
}

/**
 * How many times `breathe` was called: tests check that a long loop offers the page a turn at each
 * step, whether or not the clock makes it yield there (a mocked module would be shared by the unit
 * files, which run in one module cache).
 */
export const breaths = { calls: 0 };

/** Yields to the event loop when the current synchronous stretch has lasted SLICE_MS or more. */
export async function breathe(): Promise<void> {
  breaths.calls++;
  if (now() - since < SLICE_MS) return;
  await macrotask();
  since = now();
}

