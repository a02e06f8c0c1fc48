/**
 * Generates the benchmark data on demand into a git-ignored folder (default .cache/regional):
 *   <out>/<size>/canonical/<table>.parquet   the canonical tables of a size (tiny | quick | regional)
 *   <out>/national/canonical/<table>/year=<y>/part-<k>.parquet   hive-partitioned (national, or --partitioned)
 *   <out>/vpr-<rows>/ВПР 2024 Математика 8 класс.csv    ВПР-like per-participant CSV (cp1251, `;`)
 *   <out>/xlsx-<rows>/ВПР 2024 Математика 8 класс.xlsx  the same layout as XLSX
 * Usage: tsx datasets/regional/generate.ts [--size regional] [--partitioned] [--vpr 100000,1000000] [--vpr-school-codes 100000,1000000] [--xlsx 50000] [--out dir]
 * Existing outputs are reused (the generator is deterministic), unless --force.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NodeConnector } from '../../src/db/node-connector';
import { CANONICAL_TABLE_NAMES } from '../../src/model/contract';
import { SIZES, regionalSql, slicesOf, type RegionalSize } from './sql';
import { vprFileName, writeVprCsv, writeVprXlsx, type VprOptions } from './vpr';

export const DEFAULT_OUT = resolve('.cache/regional');

export interface CanonicalOptions {
  /** Hive-partitioned Parquet (`<table>/year=<y>/part-<k>.parquet`); default: the size's own choice. */
  partitioned?: boolean;
  /** Schools per slice (and per file) when partitioned; default: the size's, else all. */
  schoolsPerSlice?: number;
  /** Where the partitioned set goes (default `<out>/<size>/canonical`). */
  dir?: string;
}

/** Marks a complete partitioned set: a generation stopped half-way is never taken for one. */
const DONE_MARKER = '_complete';

/** Writes the canonical tables of a size as Parquet; returns the folder. */
export async function generateCanonical(sizeName: string, out = DEFAULT_OUT, force = false, opts: CanonicalOptions = {}): Promise<string> {
  const size = SIZES[sizeName];
  if (!size) throw new Error(`unknown size ${sizeName}; one of ${Object.keys(SIZES).join(', ')}`);
  const partitioned = opts.partitioned ?? size.schoolsPerSlice !== undefined;
  const dir = opts.dir ?? join(out, sizeName, 'canonical');
  const done = partitioned
    ? existsSync(join(dir, DONE_MARKER))
    : existsSync(dir) && CANONICAL_TABLE_NAMES.every((t) => existsSync(join(dir, `${t}.parquet`)));
  if (done && !force) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // Bounded like the headless runner: a slice that outgrows the limit spills instead of taking the machine.
  const conn = await NodeConnector.open(':memory:', { memoryLimit: process.env.MSOKO_GEN_MEMORY ?? '4GB' });
  try {
    if (partitioned) await writePartitioned(conn, size, dir, opts.schoolsPerSlice);
    else {
      for (const sql of regionalSql(size)) await conn.query({ type: 'exec', sql });
      for (const t of CANONICAL_TABLE_NAMES) await copyOut(conn, `SELECT * FROM ${t}`, join(dir, `${t}.parquet`));
    }
  } finally {
    await conn.close();
  }
  if (partitioned) writeFileSync(join(dir, DONE_MARKER), '');
  return dir;
}

/** Tables that do not depend on the schools: written by the first slice of each year only. */
const PER_YEAR_ONLY = new Set(['tasks', 'thresholds']);

/**
 * One slice (a year × a range of schools) at a time: its tables are built, each written to
 * `<table>/year=<y>/part-<k>.parquet` without the year column (hive layout: the folder carries it),
 * then replaced by the next slice, so memory holds one slice, not the set.
 */
async function writePartitioned(conn: NodeConnector, size: RegionalSize, dir: string, schoolsPerSlice?: number): Promise<void> {
  const slices = slicesOf(size, schoolsPerSlice);
  for (const [i, slice] of slices.entries()) {
    const t0 = performance.now();
    for (const sql of regionalSql(size, slice)) await conn.query({ type: 'exec', sql });
    const part = `part-${String(slice.schoolFrom).padStart(5, '0')}.parquet`;
    for (const t of CANONICAL_TABLE_NAMES) {
      if (PER_YEAR_ONLY.has(t) && !slice.first) continue;
      const folder = join(dir, t, `year=${slice.years[0]}`);
      mkdirSync(folder, { recursive: true });
      await copyOut(conn, `SELECT * EXCLUDE (year) FROM ${t}`, join(folder, part));
    }
    for (const t of CANONICAL_TABLE_NAMES) await conn.query({ type: 'exec', sql: `DROP TABLE IF EXISTS ${t}` });
    if (process.env.MSOKO_GEN_VERBOSE) console.log(`slice ${i + 1}/${slices.length} (${slice.years[0]}, schools ${slice.schoolFrom}–${slice.schoolTo - 1}): ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}

function copyOut(conn: NodeConnector, select: string, path: string): Promise<void> {
  return conn.query({ type: 'exec', sql: `COPY (${select}) TO '${path.replaceAll("'", "''")}' (FORMAT parquet, COMPRESSION zstd)` });
}

/** The ВПР CSV; `schoolCodes`: participant codes restart in every school (a separate folder). */
export async function generateVprCsv(rows: number, out = DEFAULT_OUT, force = false, opts: VprOptions = {}): Promise<string> {
  const path = join(out, `vpr-${opts.schoolCodes ? 'school-codes-' : ''}${rows}`, vprFileName('csv'));
  if (force || !existsSync(path)) await writeVprCsv(path + '.part', rows, opts).then(() => renameSafe(path + '.part', path));
  return path;
}

export async function generateVprXlsx(rows: number, out = DEFAULT_OUT, force = false): Promise<string> {
  const path = join(out, `xlsx-${rows}`, vprFileName('xlsx'));
  if (force || !existsSync(path)) await writeVprXlsx(path + '.part', rows).then(() => renameSafe(path + '.part', path));
  return path;
}

async function renameSafe(from: string, to: string) {
  const { renameSync } = await import('node:fs');
  renameSync(from, to);
}

export function listFiles(dir: string): string[] {
  return readdirSync(dir).map((f) => join(dir, f));
}

async function main() {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const out = resolve(opt('out') ?? DEFAULT_OUT);
  const force = args.includes('--force');
  const size = opt('size') ?? 'regional';
  const partitioned = args.includes('--partitioned') ? true : undefined;
  let t = performance.now();
  console.log(`canonical ${size}: ${await generateCanonical(size, out, force, { partitioned })} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  for (const rows of (opt('vpr') ?? '100000,1000000').split(',').filter(Boolean).map(Number)) {
    t = performance.now();
    console.log(`vpr csv ${rows}: ${await generateVprCsv(rows, out, force)} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  }
  for (const rows of (opt('vpr-school-codes') ?? '').split(',').filter(Boolean).map(Number)) {
    t = performance.now();
    console.log(`vpr csv ${rows}, codes per school: ${await generateVprCsv(rows, out, force, { schoolCodes: true })} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  }
  for (const rows of (opt('xlsx') ?? '50000').split(',').filter(Boolean).map(Number)) {
    t = performance.now();
    console.log(`vpr xlsx ${rows}: ${await generateVprXlsx(rows, out, force)} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('datasets/regional/generate.ts')) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
