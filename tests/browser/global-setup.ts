import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { serveStatic } from '../../scripts/serve';

// Tests serve the build exactly as `npm start` does (precompressed, cache headers).
export { serveStatic };

const BENCH_TEST = 'tests/browser/bench-parity.test.ts';

/**
 * Builds the app once (unless SKIP_BUILD=1 and dist/ exists) and serves it for every browser test
 * file. When bench-parity.test.ts is in the run, the bench build (scripts/bench/vite.config.ts) is
 * made here too, beside the app's: one after the other they were ≈65 s of the browser chain.
 */
export default async function setup(project: TestProject) {
  // DIST_DIR lets several people build and test at once without overwriting each other's dist/.
  const root = resolve(process.env.DIST_DIR ?? 'dist');
  const benchRoot = resolve(process.env.BENCH_DIST_DIR ?? (process.env.DIST_DIR ? `${process.env.DIST_DIR}-bench` : '.cache/dist-bench-test'));
  const skip = (dir: string) => process.env.SKIP_BUILD === '1' && existsSync(join(dir, 'index.html'));
  const builds: Promise<void>[] = [];
  if (!skip(root)) builds.push(viteBuild([], root));
  // The bench build is read for values only (bench-parity), so it is not precompressed.
  if (benchInRun(project) && !skip(benchRoot)) builds.push(viteBuild(['--config', 'scripts/bench/vite.config.ts'], benchRoot, { MSOKO_PRECOMPRESS: '0' }));
  await Promise.all(builds);
  const { server, url } = await serveStatic(root);
  project.provide('appUrl', url);
  project.provide('benchDist', benchRoot);
  return () => new Promise<void>((ok) => server.close(() => ok()));
}

function viteBuild(args: string[], outDir: string, env: Record<string, string> = {}): Promise<void> {
  const child = spawn('npx', ['vite', 'build', ...args, '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'], { stdio: 'inherit', env: { ...process.env, ...env } });
  return new Promise((ok, fail) =>
    child.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`vite build ${args.join(' ')} → ${outDir}: exit code ${code}`)))),
  );
}

/** Whether the run's file filters (none: every file) select the bench-parity test. */
function benchInRun(project: TestProject): boolean {
  // vitest keeps the command line's filters here (internal; if it is ever gone, build it anyway).
  const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern;
  return !filters?.length || filters.some((f) => BENCH_TEST.includes(f) || resolve(f) === resolve(BENCH_TEST));
}

declare module 'vitest' {
  export interface ProvidedContext {
    appUrl: string;
    /** The bench build's folder (tests/browser/bench-parity.test.ts). */
    benchDist: string;
  }
}
