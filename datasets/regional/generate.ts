/**
 * Generates the benchmark data on demand into a git-ignored folder (default .cache/regional):
 *   <out>/<size>/canonical/<table>.parquet   the canonical tables of a size (tiny | quick | regional)
 *   <out>/vpr-<rows>/ВПР 2024 Математика 8 класс.csv    ВПР-like per-participant CSV (cp1251, `;`)
 *   <out>/xlsx-<rows>/ВПР 2024 Математика 8 класс.xlsx  the same layout as XLSX
 * Usage: tsx datasets/regional/generate.ts [--size regional] [--vpr 100000,1000000] [--vpr-school-codes 100000,1000000] [--xlsx 50000] [--out dir]
 * Existing outputs are reused (the generator is deterministic), unless --force.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NodeConnector } from '../../src/db/node-connector';
import { CANONICAL_TABLE_NAMES } from '../../src/model/contract';
import { SIZES, regionalSql } from './sql';
import { vprFileName, writeVprCsv, writeVprXlsx, type VprOptions } from './vpr';

export const DEFAULT_OUT = resolve('.cache/regional');

/** Writes the canonical tables of a size as Parquet; returns the folder. */
export async function generateCanonical(sizeName: string, out = DEFAULT_OUT, force = false): Promise<string> {
  const size = SIZES[sizeName];
  if (!size) throw new Error(`unknown size ${sizeName}; one of ${Object.keys(SIZES).join(', ')}`);
  const dir = join(out, sizeName, 'canonical');
  const done = existsSync(dir) && CANONICAL_TABLE_NAMES.every((t) => existsSync(join(dir, `${t}.parquet`)));
  if (done && !force) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const conn = await NodeConnector.open();
  try {
    for (const sql of regionalSql(size)) await conn.query({ type: 'exec', sql });
    for (const t of CANONICAL_TABLE_NAMES) {
      const path = join(dir, `${t}.parquet`).replaceAll("'", "''");
      await conn.query({ type: 'exec', sql: `COPY (SELECT * FROM ${t}) TO '${path}' (FORMAT parquet, COMPRESSION zstd)` });
    }
  } finally {
    await conn.close();
  }
  return dir;
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
  let t = performance.now();
  console.log(`canonical ${size}: ${await generateCanonical(size, out, force)} (${((performance.now() - t) / 1000).toFixed(1)} s)`);
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
