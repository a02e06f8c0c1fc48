/**
 * Source row numbers of a CSV large enough for native DuckDB to parse it on several threads: each
 * raw row's `_row` must be its line in the file (title line and header above it, lines of empty
 * cells counted), as the issues name it. Every data line carries its own line number, written by the
 * test, so the check does not depend on how the reader numbers rows.
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

/**
 * Lines DuckDB's reader does not count as rows: a line with no characters is skipped, and a quoted
 * value with a line break makes one row of two lines. Rows after either keep their own line number
 * (issues name the line a person finds in the file). Each data line starts with its line number.
 */
test.each([
  ['LF', '\n'],
  ['CRLF', '\r\n'],
])('blank lines and line breaks inside quotes do not shift the row numbers after them (%s)', async (_, eol) => {
  const lines = ['Результаты ВПР 2024', '', 'строка;код;балл', '4;a;1', '', '6;b;2', '7;"две', 'строки";1', '9;c;0', '', '', '12;d;1', ';;', '14;"""x""";2', '15;e;1', '', ''];
  const [s] = await readFile(conn, 'gaps.csv', new TextEncoder().encode(lines.join(eol)), { typed: false });
  expect(s.firstDataRow).toBe(4);
  const rows = await conn.query({ type: 'rows', sql: `SELECT "строка" AS line, _row FROM raw.gaps ORDER BY _row` });
  expect(rows.map((r) => [Number(r.line), Number(r._row)])).toEqual([4, 6, 7, 9, 12, 14, 15].map((n) => [n, n]));
});
