/**
 * The demo on first start comes as one file of typed tables made at build time
 * (src/db/demo-arrow.ts, src/app/demo.ts), not as the CSVs parsed in the tab; and its tables hold
 * exactly what the committed CSVs say. The expected values are computed here in plain TypeScript
 * from the CSV text with the loader's rules (src/indicators/load.ts: trimmed, '' → NULL, decimal
 * commas, да/нет), every row and column of every table, order-free.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openApp, type AppSession } from './harness';
import { sql, waitReady } from './app-helpers';
import { CONTRACT, type CanonicalTableName } from '../../src/model/contract';
import { parseCsv } from '../unit/indicators/demo';

const CANONICAL = join(import.meta.dirname, '../../datasets/demo/canonical');

let app: AppSession;
beforeAll(async () => {
  app = await openApp({ path: '' });
  await waitReady(app.page);
});
afterAll(async () => app?.close());

/** A CSV cell as the loader types it (the contract column's type). */
function typed(text: string, type: string): string | number | boolean | null {
  const t = text.trim();
  if (t === '') return null;
  if (type === 'VARCHAR' || type === 'DATE') return t;
  if (type === 'BOOLEAN') {
    const b = ({ да: 'true', нет: 'false' } as Record<string, string>)[t.toLowerCase()] ?? t.toLowerCase();
    if (b !== 'true' && b !== 'false') throw new Error(`unexpected boolean ${t}`);
    return b === 'true';
  }
  const n = Number(t.replace(',', '.'));
  if (Number.isNaN(n)) return null;
  if (type === 'INTEGER' && !Number.isInteger(n)) throw new Error(`unexpected integer ${t}`);
  return n;
}

test('first start fetches the demo as one typed file, not the CSVs', async () => {
  const fetched = await app.page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name.split('/').pop()!));
  expect(fetched.filter((n) => /^demo-tables-.*\.arrows$/.test(n)), JSON.stringify(fetched)).toHaveLength(1);
  expect(fetched.filter((n) => /\.csv$/.test(n))).toEqual([]);
});

test('every demo table holds the committed CSV values, typed by the contract', async () => {
  const files = readdirSync(CANONICAL).filter((f) => f.endsWith('.csv'));
  expect(files).toHaveLength(11);
  let compared = 0;
  for (const file of files) {
    const table = file.replace(/\.csv$/, '') as CanonicalTableName;
    const [header, ...body] = parseCsv(readFileSync(join(CANONICAL, file), 'utf8'));
    const contract = CONTRACT[table].columns.filter((c) => header.includes(c.name));
    // Every CSV column is a contract column: no extra (text) columns to type otherwise.
    expect(contract.map((c) => c.name).sort(), table).toEqual([...header].sort());
    const described = await sql(app.page, `DESCRIBE "${table}"`);
    expect(described.map((r) => [r.column_name, r.column_type]), table).toEqual(contract.map((c) => [c.name, c.type]));
    const expected = body.map((cells) => JSON.stringify(contract.map((c) => typed(cells[header.indexOf(c.name)], c.type)))).sort();
    const cols = contract.map((c) => `"${c.name}"`).join(', ');
    const got = (await sql(app.page, `SELECT ${cols} FROM "${table}"`)).map((r) => JSON.stringify(contract.map((c) => r[c.name]))).sort();
    expect(got.length, table).toBe(expected.length);
    const differ = got.filter((g, i) => g !== expected[i]);
    expect(differ.slice(0, 3), table).toEqual([]);
    compared += got.length;
  }
  // 11 tables, 212 554 rows (task_scores 183 423).
  expect(compared).toBe(212_554);
});
