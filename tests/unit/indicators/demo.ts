/**
 * Test helper shared by the indicator tests (H5's and H6's): loads a folder of canonical CSVs
 * (default: the demo municipality) into a NodeConnector, and separately parses the same files
 * into plain JS rows typed by the contract, so a test can compute its expectation in plain
 * TypeScript, independently of the SQL under test.
 *
 *   const demo = await openDemo();            // demo.conn, demo.rows.assessment_results, …
 *   const rows = await runIndicators(demo.conn, { ids: ['PREP-16'] });
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodeConnector } from '../../../src/db/node-connector';
import { CONTRACT, isCanonicalTable, type CanonicalTableName } from '../../../src/model/contract';
import { loadCanonicalFiles } from '../../../src/indicators/load';
import type { IndicatorRow } from '../../../src/indicators/types';

const here = dirname(fileURLToPath(import.meta.url));
/** MSOKO_DEMO_DIR (a folder with canonical/ and planted.json) overrides the checked-in demo. */
const demoRoot = process.env.MSOKO_DEMO_DIR ? resolve(process.env.MSOKO_DEMO_DIR) : resolve(here, '../../../datasets/demo');
export const DEMO_DIR = join(demoRoot, 'canonical');
export const PLANTED_FILE = join(demoRoot, 'planted.json');
export const demoAvailable = (): boolean => existsSync(join(DEMO_DIR, 'assessment_results.csv'));

export type Plain = string | number | boolean | null;
export type PlainRow = Record<string, Plain>;

export interface Demo {
  conn: NodeConnector;
  rows: Record<CanonicalTableName, PlainRow[]>;
  dir: string;
}

export async function openDemo(dir = DEMO_DIR): Promise<Demo> {
  const conn = await NodeConnector.open();
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(dir, f))) }));
  await loadCanonicalFiles(conn, files);
  const rows = {} as Record<CanonicalTableName, PlainRow[]>;
  for (const f of files) {
    const table = f.name.replace(/\.csv$/, '');
    if (isCanonicalTable(table)) rows[table] = parseCanonicalCsv(table, new TextDecoder().decode(f.bytes));
  }
  for (const t of Object.keys(CONTRACT) as CanonicalTableName[]) rows[t] ??= [];
  return { conn, rows, dir };
}

/** Parses a canonical CSV (comma, double quotes) and types its contract columns. */
export function parseCanonicalCsv(table: CanonicalTableName, text: string): PlainRow[] {
  const records = parseCsv(text.replace(/^\uFEFF/, ''));
  const header = records.shift() ?? [];
  const types = new Map(CONTRACT[table].columns.map((c) => [c.name, c.type]));
  return records
    .filter((r) => r.length > 1 || r[0] !== '')
    .map((r) => {
      const o: PlainRow = {};
      header.forEach((h, i) => {
        const raw = (r[i] ?? '').trim();
        const type = types.get(h);
        if (raw === '') o[h] = null;
        else if (type === 'INTEGER' || type === 'DOUBLE') o[h] = Number(raw.replace(',', '.'));
        else if (type === 'BOOLEAN') o[h] = ['true', '1', 't', 'да'].includes(raw.toLowerCase());
        else o[h] = raw;
      });
      return o;
    });
}

/** RFC 4180 fields (quotes, doubled quotes, commas and line breaks inside quotes), untyped. */
export function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      out.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) row.push(field), out.push(row);
  return out;
}

// ---- small plain-TS helpers for expectations ----

export { groupBy } from '../../../src/indicators/analysis/common';

export const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Finds the single indicator row matching the given fields (undefined fields are not compared, null must match NULL). */
export function findRow(rows: IndicatorRow[], match: Partial<IndicatorRow>): IndicatorRow | undefined {
  const hits = rows.filter((r) => Object.entries(match).every(([k, v]) => v === undefined || r[k as keyof IndicatorRow] === v));
  if (hits.length > 1) throw new Error(`ambiguous match ${JSON.stringify(match)}: ${hits.length} rows`);
  return hits[0];
}

/** School ids carrying a planted effect (the generator's own list of incidental flags is not one). */
export function plantedSchools(): Set<string> | null {
  const p = readPlanted();
  if (!p) return null;
  const { incidental: _ignored, ...effects } = p;
  return new Set((JSON.stringify(effects).match(/"\d{6}"/g) ?? []).map((x) => x.replaceAll('"', '')));
}

export function readPlanted(): Record<string, unknown> | null {
  return existsSync(PLANTED_FILE) ? (JSON.parse(readFileSync(PLANTED_FILE, 'utf8')) as Record<string, unknown>) : null;
}
