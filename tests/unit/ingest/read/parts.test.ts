/**
 * A large CSV is loaded in parts (each compressed before the next is read): the raw table must be
 * the one a single read gives — the same rows in the same order, every row on its own line, quoted
 * line breaks kept inside their value, spilled values widening the table — and an error in a later
 * part must name the file's line. Every data line carries its own line number, written by the test.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { NodeConnector } from '../../../../src/db/node-connector';
import { readFile } from '../../../../src/ingest/read';
import { parseDelimited, rowCuts, type ParsedDelimited } from '../../../../src/ingest/read/delimited';
import { UserError } from '../../../../src/errors';
import { transferables } from '../../../../src/ingest/read/transfer';

let conn: NodeConnector;
beforeAll(async () => {
  conn = await NodeConnector.open();
});
afterAll(async () => conn?.close());

const enc = (s: string) => new TextEncoder().encode(s);

test('cuts fall on line starts outside quotes, with the lines before them', () => {
  const text = 'h;v\n1;"a\nb"\n2;x\n3;"""q""\nr"\n4;y\n5;z\n';
  const bytes = enc(text);
  for (const every of [1, 2, 3, 5, 8, 13]) {
    const cuts = rowCuts(bytes, 1, every);
    for (const c of cuts) {
      const before = text.slice(0, c.at);
      expect(before.endsWith('\n'), `${every} @${c.at}`).toBe(true);
      // An even number of quotes before the cut: it is not inside a quoted value.
      expect(before.split('"').length % 2, `${every} @${c.at}`).toBe(1);
      expect(c.line).toBe(before.split('\n').length - 1);
    }
    expect(cuts.map((c) => c.at)).toEqual([...cuts.map((c) => c.at)].sort((a, b) => a - b));
  }
  // With parts of one byte, every line start outside quotes after the first data line (the first
  // part holds the header and at least one line).
  expect(rowCuts(bytes, 1, 1).map((c) => text.slice(c.at).split('\n')[0])).toEqual(['2;x', '3;"""q""', '4;y', '5;z']);
  expect(rowCuts(bytes, 1, 1000)).toEqual([]);
});

test.each([
  ['LF', '\n'],
  ['CRLF', '\r\n'],
])('parts of a few bytes give the rows, values and line numbers of the file (%s)', async (_, eol) => {
  const lines = ['Результаты ВПР 2024', '', 'строка;код;балл', '4;a;1', '', '6;b;2', '7;"две', 'строки";1', '9;c;0', '', '', '12;d;1', ';;', '14;"""x""";2', '15;e;1', '', ''];
  // The file is read in several parts.
  expect((parseDelimited(enc(lines.join(eol)), false, 5) as ParsedDelimited).cuts.length).toBeGreaterThan(3);
  const [s] = await readFile(conn, 'gaps.csv', enc(lines.join(eol)), { typed: false, partBytes: 5 });
  expect(s.firstDataRow).toBe(4);
  const rows = await conn.query({ type: 'rows', sql: `SELECT "строка" AS line, "код" AS code, _row FROM raw.gaps ORDER BY rowid` });
  expect(rows.map((r) => [Number(r.line), r.code, Number(r._row)])).toEqual([
    [4, 'a', 4],
    [6, 'b', 6],
    [7, `две${eol}строки`, 7],
    [9, 'c', 9],
    [12, 'd', 12],
    [14, '"x"', 14],
    [15, 'e', 15],
  ]);
});

test('200 000 lines in 1 MB parts: every row once, in file order, on its own line', async () => {
  const lines = ['строка;код;балл'];
  for (let line = 2; lines.length < 200_000; line++) lines.push(line % 50_000 === 7 ? '' : `${line};k${line % 977};${line % 3}`);
  const [s] = await readFile(conn, 'many.csv', enc(lines.join('\n') + '\n'), { typed: false, partBytes: 2 ** 20 });
  // 199 999 data lines less the four blank ones (lines 7, 50 007, 100 007, 150 007).
  expect(s.rowCount).toBe(199_995);
  const [r] = await conn.query({
    type: 'rows',
    sql: `SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE _row <> CAST("строка" AS INTEGER))::INTEGER AS wrong,
                 count(DISTINCT _row)::INTEGER AS d, min(_row)::INTEGER AS lo, max(_row)::INTEGER AS hi,
                 bool_and(ok)::INTEGER AS ordered
          FROM (SELECT *, _row > lag(_row, 1, 0) OVER (ORDER BY rowid) AS ok FROM raw.many)`,
  });
  expect(r).toEqual({ n: 199_995, wrong: 0, d: 199_995, lo: 2, hi: 200_000, ordered: 1 });
});

test('a spilled value in a later part widens the table; a short row there names its file line', async () => {
  const lines = ['строка;код;балл'];
  for (let line = 2; line <= 400; line++) lines.push(line === 333 ? `${line};k;1;лишнее` : `${line};k;1`);
  const [s] = await readFile(conn, 'spill.csv', enc(lines.join('\n') + '\n'), { typed: false, partBytes: 500 });
  expect(s.columns).toEqual(['строка', 'код', 'балл', 'Столбец 4']);
  const spilled = await conn.query({ type: 'rows', sql: `SELECT _row, "Столбец 4" AS v FROM raw.spill WHERE "Столбец 4" IS NOT NULL` });
  expect(spilled).toEqual([{ _row: 333, v: 'лишнее' }]);
  expect(Number((await conn.query({ type: 'rows', sql: `SELECT count(*) AS n FROM raw.spill` }))[0]!.n)).toBe(399);

  lines[300 - 1] = '300;k';
  lines[333 - 1] = '333;k;1';
  const err = await readFile(conn, 'short.csv', enc(lines.join('\n') + '\n'), { typed: false, partBytes: 500 }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UserError);
  expect((err as UserError).place).toMatchObject({ file: 'short.csv', row: 300 });
});

test('a parse worker hands each part over in a buffer of its own, with the same bytes', () => {
  const text = 'h;v\n' + Array.from({ length: 50 }, (_, i) => `${i};"x\ny"`).join('\n') + '\n';
  const r = parseDelimited(enc(text), false, 40) as ParsedDelimited;
  expect(r.more.length).toBeGreaterThan(5);
  // Views of one buffer as parsed; each its own once listed for transfer.
  expect(r.more[0]!.buffer).toBe(r.utf8.buffer);
  const buffers = transferables(r);
  expect(new Set(buffers).size).toBe(r.more.length + 1);
  expect(buffers).toEqual([r.utf8, ...r.more].map((b) => b.buffer));
  expect([r.utf8, ...r.more].map((b) => new TextDecoder().decode(b)).join('')).toBe(text);
});
