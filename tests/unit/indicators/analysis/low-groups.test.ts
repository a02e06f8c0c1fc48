/**
 * withGroupsSql (LOW-03…10): each row of the source with its group — a school flagged ШНОР and
 * ШФНСУ twice, a school in neither once as 'остальные', rows without a school not at all — on a
 * tiny hand-made table, without listing the source's schools first.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { NodeConnector } from '../../../../src/db/node-connector';
import { withGroupsSql } from '../../../../src/indicators/analysis/low';

let conn: NodeConnector;
beforeAll(async () => {
  conn = await NodeConnector.open();
  await conn.query({
    type: 'exec',
    sql: `CREATE TABLE src AS SELECT * FROM (VALUES ('a', 1), ('a', 2), ('b', 3), ('c', 4), (NULL, 5), ('o''k', 6)) v(school_id, x)`,
  });
});
afterAll(() => conn?.close());

const rowsOf = async (sql: string) =>
  (await conn.query({ type: 'rows', sql: `SELECT school_id, x, grp FROM ${sql} g ORDER BY x, grp` })).map((r) => `${r.school_id}:${r.x}:${r.grp}`);

test('flagged schools get their groups (both when both), the others «остальные», rows without a school none', async () => {
  const sql = withGroupsSql({ year: 2024, shnor: new Set(['a', "o'k"]), shnsu: new Set(['a', 'b', 'z']) }, 'src');
  expect(await rowsOf(sql)).toEqual(['a:1:ШНОР', 'a:1:ШФНСУ', 'a:2:ШНОР', 'a:2:ШФНСУ', 'b:3:ШФНСУ', 'c:4:остальные', "o'k:6:ШНОР"]);
});

test('no flagged school: every row with a school is «остальные»', async () => {
  const sql = withGroupsSql({ year: null, shnor: new Set(), shnsu: new Set() }, 'src');
  expect(await rowsOf(sql)).toEqual(['a:1:остальные', 'a:2:остальные', 'b:3:остальные', 'c:4:остальные', "o'k:6:остальные"]);
});
