import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests (Node, native DuckDB) and browser tests (the built app in
// Debian's Chromium through playwright-core; tests/browser/global-setup.ts builds and serves it).
// Both share one pool of workers so that browser files run while unit files do: a project with
// one worker is put in a group of its own that starts only after every other file has finished,
// which left a core idle for the whole browser half (≈16 of the suite's ≈22 minutes on 2 cores).
// Browser files are independent (a fresh profile, an ephemeral port each), so two may run at once.
const workers = Math.max(2, Math.min(3, availableParallelism() - 1));

export default defineConfig({
  test: {
    maxWorkers: workers,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
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
        },
      },
    ],
  },
});
