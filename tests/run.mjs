// `npm test`: the unit and the browser project run side by side, as two vitest processes.
// Why not one vitest run: its projects either share one pool (then two browser files can run at
// once, and the browser files are not safe side by side on a 2-core machine) or run one after the
// other (then a core idles for the whole browser part). Here the unit files keep their own pool
// while the browser files run one at a time, beside them.
// Arguments go to both processes; `--outputFile.json=FILE` gets one report per project, merged
// into FILE afterwards, so `.ci/run` reads one report as before.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const vitest = (extra, niceness = 0) => {
  const cmd = [process.execPath, 'node_modules/vitest/vitest.mjs', 'run', ...extra];
  if (niceness && process.platform !== 'win32') cmd.unshift('nice', '-n', String(niceness));
  return spawn(cmd[0], cmd.slice(1), { stdio: 'inherit' });
};
const exited = (child) => new Promise((ok) => child.on('exit', (code, signal) => ok(code ?? (signal ? 1 : 0))));

// An explicit --project (or watch mode) means the caller chose: one plain vitest run.
if (args.some((a) => a === '--project' || a.startsWith('--project=') || a === '--watch' || a === '-w')) {
  process.exit(await exited(vitest(args)));
}

const outIndex = args.findIndex((a) => a.startsWith('--outputFile.json='));
const out = outIndex >= 0 ? args[outIndex].slice('--outputFile.json='.length) : null;
const part = (name) => out.replace(/(\.json)?$/, `.${name}.json`);
const forProject = (name) => {
  const own = [...args];
  if (out) own[outIndex] = `--outputFile.json=${part(name)}`;
  // A file filter may match files of one project only.
  return ['--project', name, '--passWithNoTests', ...own];
};

const projects = ['browser', 'unit'];
if (out) for (const p of projects) rmSync(part(p), { force: true });
// The browser files are the longer chain (one at a time); the unit files yield the CPU to them
// and fill what they leave idle.
const children = projects.map((p) => vitest(forProject(p), p === 'unit' ? 5 : 0));
// Ctrl+C or a CI cancel reaches both processes.
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => children.forEach((c) => c.kill(sig)));
const codes = await Promise.all(children.map(exited));

if (out) writeFileSync(out, JSON.stringify(merge(projects.map(part), codes)));
process.exit(codes.some((c) => c !== 0) ? 1 : 0);

/** One JSON report from the per-project ones; a missing report (a crashed process) fails it. */
function merge(files, codes) {
  const sum = ['numTotalTestSuites', 'numPassedTestSuites', 'numFailedTestSuites', 'numPendingTestSuites', 'numTotalTests', 'numPassedTests', 'numFailedTests', 'numPendingTests', 'numTodoTests'];
  const merged = Object.fromEntries(sum.map((k) => [k, 0]));
  merged.testResults = [];
  merged.success = codes.every((c) => c === 0);
  merged.startTime = Infinity;
  for (const file of files) {
    if (!existsSync(file)) {
      merged.success = false;
      continue;
    }
    const r = JSON.parse(readFileSync(file, 'utf8'));
    for (const k of sum) merged[k] += r[k] ?? 0;
    merged.success &&= r.success;
    merged.startTime = Math.min(merged.startTime, r.startTime);
    merged.snapshot ??= r.snapshot;
    merged.testResults.push(...r.testResults);
  }
  if (merged.startTime === Infinity) merged.startTime = Date.now();
  return merged;
}
