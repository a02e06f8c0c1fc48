import { describe, expect, test } from 'vitest';
import { SLICE_MS, breathe } from '../../../src/indicators/yield';

describe('breathe', () => {
  test('after a synchronous stretch of a slice, other tasks get their turn', async () => {
    await breathe();
    let ran = false;
    setImmediate(() => (ran = true));
    const start = performance.now();
    while (performance.now() - start < SLICE_MS + 1) {
      // a long synchronous step of an indicator
    }
    await breathe();
    expect(ran).toBe(true);
  });

  test('a loop of small steps is cut into slices: a queued task runs before the loop ends', async () => {
    let ranAt = -1;
    setImmediate(() => (ranAt = i));
    let i = 0;
    const start = performance.now();
    for (; performance.now() - start < 3 * SLICE_MS; i++) await breathe();
    expect(ranAt).toBeGreaterThanOrEqual(0);
    expect(ranAt).toBeLessThan(i);
  });
});
