import { afterAll, beforeAll, expect, test } from 'vitest';
import { openApp, type AppSession } from './harness';

let app: AppSession;
beforeAll(async () => {
  app = await openApp();
});
afterAll(async () => app?.close());

test('the connector runs queries in the worker', async () => {
  await app.page.getByTestId('app').waitFor();
  const r = await app.page.evaluate(async () => {
    const db = window.msoko!.db;
    const rows = await db.query({ type: 'rows', sql: "SELECT 1::BIGINT AS a, 2.5::DECIMAL(5,2) AS b, DATE '2024-03-01' AS d, TIMESTAMP '2024-03-01 10:20:30' AS ts, 'x' AS s, NULL AS n" });
    const p = await db.query({ type: 'rows', sql: 'SELECT $1::INTEGER + 1 AS v', params: [41] });
    const t = await db.query({ type: 'arrow', sql: 'SELECT range AS i FROM range(5)' });
    await db.query({ type: 'exec', sql: 'CREATE TABLE t AS SELECT 1 AS x; CREATE TABLE t2 AS SELECT 2 AS y' });
    const tables = await db.listTables();
    const ext = await db.query({ type: 'rows', sql: "SELECT extension_name, loaded FROM duckdb_extensions() WHERE loaded" });
    return { rows, p, n: t.numRows, tables, ext, version: db.version };
  });
  console.log(JSON.stringify(r));
  expect(r.rows[0]).toEqual({ a: 1, b: 2.5, d: '2024-03-01', ts: '2024-03-01T10:20:30.000Z', s: 'x', n: null });
  expect(app.offOrigin).toEqual([]);
});
