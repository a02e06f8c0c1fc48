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
