import { expect, test } from 'vitest';
import { DateDay, Float64, Int32, Int64, TimestampMillisecond, Utf8, Bool, makeVector, vectorFromArray, Table } from 'apache-arrow';
import { arrowToRows } from '../../../src/db/arrow-rows';
import { NodeConnector } from '../../../src/db/node-connector';

test('Arrow values become the same plain values the Node connector gives', async () => {
  const table = new Table({
    i: vectorFromArray([1, null, 3], new Int32()),
    big: makeVector(new BigInt64Array([10n, 20n, 9007199254740991n])),
    f: vectorFromArray([1.5, 2.25, null], new Float64()),
    s: vectorFromArray(['а', null, 'в'], new Utf8()),
    b: vectorFromArray([true, false, null], new Bool()),
    d: vectorFromArray([new Date(Date.UTC(2024, 2, 1)), null, new Date(Date.UTC(1999, 11, 31))], new DateDay()),
    ts: vectorFromArray([new Date(Date.UTC(2024, 2, 1, 10, 20, 30)), null, null], new TimestampMillisecond()),
  });
  expect(String(table.schema.fields[1].type)).toBe(String(new Int64()));
  expect(arrowToRows(table)).toEqual([
    { i: 1, big: 10, f: 1.5, s: 'а', b: true, d: '2024-03-01', ts: '2024-03-01T10:20:30.000Z' },
    { i: null, big: 20, f: 2.25, s: null, b: false, d: null, ts: null },
    { i: 3, big: 9007199254740991, f: null, s: 'в', b: null, d: '1999-12-31', ts: null },
  ]);

  // The same values through native DuckDB (the Node connector) give the same rows.
  const conn = await NodeConnector.open();
  try {
    const rows = await conn.query({
      type: 'rows',
      sql: `SELECT 1::INTEGER AS i, 10::BIGINT AS big, 1.5::DOUBLE AS f, 'а' AS s, true AS b, DATE '2024-03-01' AS d, TIMESTAMP '2024-03-01 10:20:30' AS ts`,
    });
    expect(rows).toEqual([arrowToRows(table)[0]]);
  } finally {
    await conn.close();
  }
});
