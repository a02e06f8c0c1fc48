/**
 * Source row numbers of a CSV large enough for native DuckDB to parse it on several threads: each
 * raw row's `_row` must be its line in the file (title line and header above it, lines of empty
 * cells counted), as the issues name it. Every data line carries its own line number, written by the
 * test, so the check does not depend on how the reader numbers rows. (A line with no characters
 * at all is skipped by DuckDB's reader and shifts the numbers after it: not covered here.)
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { NodeConnector } from '../../../../src/db/node-connector';
import { readFile } from '../../../../src/ingest/read';

let conn: NodeConnector;
beforeAll(async () => {
  conn = await NodeConnector.open();
});
afterAll(async () => conn?.close());

test('a million-line CSV keeps every row on its own line number', async () => {
  const lines = ['Результаты ВПР 2024', 'строка;код;балл'];
  const empty = new Set([50_000, 500_001, 900_003]);
  for (let line = 3; lines.length < 1_000_000; line++) lines.push(empty.has(line) ? ';;' : `${line};k${line % 977};${line % 3}`);
  const [s] = await readFile(conn, 'rows.csv', new TextEncoder().encode(lines.join('\n') + '\n'), { typed: false });
  expect(s.firstDataRow).toBe(3);
  const [r] = await conn.query({
    type: 'rows',
    sql: `SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE _row <> CAST("строка" AS INTEGER))::INTEGER AS wrong,
                 min(_row)::INTEGER AS lo, max(_row)::INTEGER AS hi FROM raw.rows`,
  });
  // 999 998 data lines less the three of empty cells (dropped by the reader).
  expect(r).toEqual({ n: 999_995, wrong: 0, lo: 3, hi: 1_000_000 });
});
