import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests (Node, native DuckDB) and browser tests (the built app in
// Debian's Chromium through playwright-core; tests/browser/global-setup.ts builds and serves it).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // One module cache per worker, not a fresh one per file: the 109 files re-imported the
          // engine, the registry and the readers each time (`vitest run --project unit`, same
          // load: 654 → 483 s of CPU, 768 → 571 s wall). A file that mocks a module imports what
          // uses it afresh after vi.resetModules() (tests/unit/indicators/directions/obj-rows.test.ts).
          isolate: false,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/browser/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          // One file at a time (two at once were not safe on 2 cores), all in one worker: a fresh
          // worker per file cost ≈8 s of start-up and imports, 26 times.
          fileParallelism: false,
          isolate: false,
        },
      },
    ],
  },
});
