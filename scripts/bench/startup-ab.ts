/**
 * A/B of the app's start-up between builds: for each round, each built bench folder in turn
 * (interleaved, so a busier machine hurts both) gets the page step's app run — cold visit, the
 * «pre» notebook, settled, warm reload — and its warm figures and engine parts are printed.
 *
 *   npx tsx scripts/bench/startup-ab.ts --rounds 2 [--third] .cache/dist-bench-a .cache/dist-bench-b
 */
import { loadavg } from 'node:os';
import { serve } from './browser';
import { appRun } from './startup';

const args = process.argv.slice(2);
const at = args.indexOf('--rounds');
const rounds = at >= 0 ? Number(args.splice(at, 2)[1]) : 2;
const again = args.includes('--third') && !!args.splice(args.indexOf('--third'), 1);
const fmt = (parts: Record<string, number> = {}) =>
  Object.entries(parts)
    .filter(([k]) => /^(worker|db:|msoko:(engine|idb|ready|demo|data))/.test(k))
    .sort((a, b) => a[1] - b[1])
    .map(([k, v]) => `${k} ${v.toFixed(0)}`)
    .join(', ');
for (let r = 1; r <= rounds; r++) {
  for (const dir of args) {
    const served = await serve(dir, dir);
    try {
      const load = loadavg()[0].toFixed(1);
      const { cold, warm, third } = await appRun(served, 'pre', again);
      console.log(`round ${r} ${dir} (load ${load}): warm engine ${warm.engineMs?.toFixed(0)} chart ${warm.chartMs?.toFixed(0)} fresh ${warm.freshChartMs?.toFixed(0)}; cold engine ${cold.engineMs?.toFixed(0)} ready ${cold.readyMs.toFixed(0)} (${(cold.transferredBytes / 1e6).toFixed(2)} MB)`);
      console.log(`   cold: ${fmt(cold.parts)}`);
      console.log(`   warm: ${fmt(warm.parts)}`);
      if (third) console.log(`   third visit: engine ${third.engineMs?.toFixed(0)}; ${fmt(third.parts)}`);
    } finally {
      await served.close();
    }
  }
}
