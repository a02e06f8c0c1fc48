/**
 * Resolving a sheet's school codes against the loaded schools (results/schools.ts): a code of
 * another system (ОГЭ/ЕГЭ code) or a login's digits become the school's code when exactly one
 * school has it; known and unknown codes stay. Expected values are written out by hand.
 *
 * The plan check guards the speed bug found by the bench: the UPDATE matched every stage row
 * against every code (a cross product), so a million-row sheet imported with the schools already
 * loaded — the app with its demo, or the second file of a session — took minutes instead of
 * seconds. Plans, not timings, are asserted.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { Connector, Request } from '../../../../src/db/connector';
import { NodeConnector } from '../../../../src/db/node-connector';
import { resolveSchools } from '../../../../src/ingest/results/schools';

let conn: NodeConnector;
beforeEach(async () => {
  conn = await NodeConnector.open();
  await conn.query({
    type: 'exec',
    sql: `CREATE TABLE schools (year INTEGER, school_id VARCHAR, oge_code VARCHAR, ege_code VARCHAR);
      INSERT INTO schools VALUES (2024, '220001', '2201', NULL), (2024, '220002', '2202', NULL), (2024, '220003', 'K7', NULL),
        (2024, '220004', '9999', NULL), (2024, '220005', '9999', NULL), (2024, '220006', 'Q2202', NULL), (2023, '220007', NULL, 'E7')`,
  });
});
afterEach(async () => conn.close());

/** In the file → after resolution. */
const CASES: [string | null, string | null][] = [
  ['2201', '220001'], // an ОГЭ code
  ['220002', '220002'], // known
  ['ABC220003', '220003'], // a login's digits
  ['K7', '220003'], // a code with letters, as it is
  ['Q2202', '220006'], // the code itself wins over its digits (2202 is another school's)
  ['E7', '220007'], // an ЕГЭ code (another year's row of the school)
  ['9999', '9999'], // two schools have it: left as it is
  ['777', '777'], // unknown: left (the import adds it as a new school)
  [null, null],
];

async function stage(copies: number) {
  const values = Array.from({ length: copies }, (_, k) => CASES.map(([v], i) => `(${k * CASES.length + i}, ${v == null ? 'NULL' : `'${v}'`})`)).flat();
  await conn.query({ type: 'exec', sql: `CREATE OR REPLACE TABLE _imp_stage AS SELECT * FROM (VALUES ${values.join(', ')}) t(_row, school_id)` });
}

test('codes of other systems and logins resolve to the one school that has them; the rest stay', async () => {
  await stage(3);
  await resolveSchools(conn);
  const got = await conn.query({ type: 'rows', sql: `SELECT _row, school_id FROM _imp_stage ORDER BY _row` });
  const expected = Array.from({ length: 3 }, (_, k) => CASES.map(([, to], i) => ({ _row: k * CASES.length + i, school_id: to }))).flat();
  expect(got).toEqual(expected);
});

test('no statement of the resolution pairs every stage row with every code', async () => {
  await stage(200);
  const statements: string[] = [];
  const query = (r: Request) => {
    if (r.type === 'exec') statements.push(...r.sql.split(';'));
    return conn.query(r);
  };
  const recording = { query } as unknown as Connector;
  await resolveSchools(recording);
  const updates = statements.filter((s) => /^\s*UPDATE _imp_stage/.test(s));
  expect(updates.length).toBe(1);
  for (const sql of statements.filter((s) => s.trim())) {
    const [plan] = await conn.query({ type: 'rows', sql: `EXPLAIN ${sql}` });
    const text = String(Object.values(plan ?? {}).at(-1));
    expect(text, sql).not.toMatch(/CROSS_PRODUCT|NESTED_LOOP_JOIN|BLOCKWISE_NL_JOIN|PIECEWISE_MERGE_JOIN/);
  }
});
