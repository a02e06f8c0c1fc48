import { expect, test } from 'vitest';
import { NodeConnector } from '../../../src/db/node-connector';
import { readParquetRows, toParquet } from '../../../src/export/parquet';
import { ROWS, TABLE } from './fixtures';

test('Parquet round-trips the values and DuckDB reads the file', async () => {
  const bytes = await toParquet(TABLE());
  expect(new TextDecoder().decode(bytes.slice(0, 4))).toBe('PAR1');
  const back = await readParquetRows(bytes);
  expect(back).toEqual(ROWS);

  const conn = await NodeConnector.open();
  try {
    const path = await conn.registerFile('t.parquet', bytes);
    const rows = await conn.query({
      type: 'rows',
      sql: `SELECT any_value(typeof(participants)) AS t, sum(participants) AS n, max(exam_date) AS d FROM read_parquet($1)`,
      params: [path],
    });
    expect(rows[0]).toEqual({ t: 'INTEGER', n: 1399, d: '2025-05-22' });
  } finally {
    await conn.close();
  }
});

test('an Arrow column arrow-rs rejects (all-NULL BOOLEAN without a value buffer) is rebuilt from plain values', async () => {
  const { Bool, Int32, Table, makeData, makeVector } = await import('apache-arrow');
  const flags = makeVector(makeData({ type: new Bool(), length: 15, nullCount: 15, nullBitmap: new Uint8Array(2), data: new Uint8Array(0) }));
  const ids = makeVector(makeData({ type: new Int32(), length: 15, data: Int32Array.from({ length: 15 }, (_, i) => i + 1) }));
  const bytes = await toParquet(new Table({ id: ids, flag: flags }));
  const back = await readParquetRows(bytes);
  expect(back).toHaveLength(15);
  expect(back[14]).toEqual({ id: 15, flag: null });
});
