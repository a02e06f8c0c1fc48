/**
 * The native half of the benchmark: the same steps (scripts/bench/steps.ts) on native DuckDB
 * through NodeConnector. Run as a child process per step so that its peak RSS (maxRSS) is the
 * step's own. Prints one line `BENCH_RESULT <json>`.
 *   tsx scripts/bench/native.ts --task import --file <path> --runs 3
 *   tsx scripts/bench/native.ts --task indicators --data <folder of canonical files> --runs 3
 *   tsx scripts/bench/native.ts --task limit --file <cp1251 ВПР csv> [--school-codes] --runs 3
 *   tsx scripts/bench/native.ts --task floor --file <cp1251 ВПР csv> --runs 3
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { NodeConnector } from '../../src/db/node-connector';
import { floorImport } from './floor';
import { limitImport } from './limit';
import { importFile, loadCanonical, runAllIndicators, sortIndicatorRows, summariseImports, summariseIndicators, summariseLimits } from './steps';

export function canonicalFiles(dir: string) {
  return readdirSync(dir)
    .filter((f) => /\.(csv|parquet|json)$/.test(f))
    .sort()
    .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(dir, f))) }));
}


/** VmHWM of this process, MB (Linux; null elsewhere). */
function hwmMb(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Sets VmHWM back to the current RSS (Linux `clear_refs` 5); elsewhere the peak includes loading. */
function resetHwm(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // Not Linux, or not allowed.
  }
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (n: string) => {
    const i = args.indexOf(`--${n}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const runs = Number(opt('runs') ?? 3);
  const task = opt('task');
  const out: Record<string, unknown> = { task, runs };
  if (task === 'import') {
    const file = resolve(opt('file')!);
    const bytes = readFileSync(file);
    const results = [];
    for (let i = 0; i < runs; i++) {
      const conn = await NodeConnector.open();
      try {
        // A copy per run: a connector may take ownership of the bytes.
        results.push(await importFile(conn, basename(file), new Uint8Array(bytes)));
      } finally {
        await conn.close();
      }
    }
    Object.assign(out, summariseImports(results, bytes.length));
  } else if (task === 'indicators') {
    const conn = await NodeConnector.open();
    try {
      const load = await loadCanonical(conn, canonicalFiles(resolve(opt('data')!)));
      // The catalogue's own peak, apart from the loading's: the peak so far is kept, then reset.
      out.loadPeakMb = hwmMb();
      resetHwm();
      const results: Awaited<ReturnType<typeof runAllIndicators>>[] = [];
      const tableOut = opt('table-out');
      for (let i = 0; i < runs; i++) results.push(await runAllIndicators(conn, { withTable: !!tableOut && i === runs - 1 }));
      Object.assign(out, summariseIndicators(results, load));
      if (tableOut) {
        const { writeFileSync } = await import('node:fs');
        writeFileSync(tableOut, JSON.stringify(sortIndicatorRows(results[results.length - 1]?.table ?? [])));
      }
    } finally {
      await conn.close();
    }
  } else if (task === 'limit' || task === 'floor') {
    const bytes = new Uint8Array(readFileSync(resolve(opt('file')!)));
    const results = [];
    for (let i = 0; i < runs; i++) {
      const conn = await NodeConnector.open();
      try {
        results.push(await (task === 'floor' ? floorImport(conn, bytes) : limitImport(conn, bytes, { schoolCodes: args.includes('--school-codes') })));
      } finally {
        await conn.close();
      }
    }
    Object.assign(out, summariseLimits(results), { bytes: bytes.length });
  } else {
    throw new Error('--task import|indicators|limit|floor');
  }
  if (typeof out.loadPeakMb === 'number') {
    const catalogue = hwmMb();
    out.cataloguePeakMb = catalogue;
    out.peakRssMb = Math.max(out.loadPeakMb, catalogue ?? 0, process.resourceUsage().maxRSS / 1024);
  } else out.peakRssMb = process.resourceUsage().maxRSS / 1024;
  console.log(`BENCH_RESULT ${JSON.stringify(out)}`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main().catch((e) => {
    console.log(`BENCH_RESULT ${JSON.stringify({ error: String(e instanceof Error ? e.message : e) })}`);
    process.exit(1);
  });
}
