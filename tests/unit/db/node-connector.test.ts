/**
 * The session's tables live in the compressed `workspace` catalog (src/db/connector.ts) and
 * `compact` makes DuckDB compress what was written: the in-memory size of a table drops.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { compact } from '../../../src/db/connector';
import { NodeConnector } from '../../../src/db/node-connector';

let conn: NodeConnector;
beforeAll(async () => {
  conn = await NodeConnector.open();
});
afterAll(async () => conn?.close());

test('unqualified names, main. and raw. resolve inside the workspace catalog', async () => {
  await conn.query({ type: 'exec', sql: 'CREATE TABLE t AS SELECT 1 AS x; CREATE TABLE raw.r AS SELECT 2 AS y' });
  const rows = await conn.query({
    type: 'rows',
    sql: `SELECT table_catalog AS c, table_schema AS s, table_name AS t FROM information_schema.tables WHERE table_name IN ('t', 'r') ORDER BY t`,
  });
  expect(rows).toEqual([
    { c: 'workspace', s: 'raw', t: 'r' },
    { c: 'workspace', s: 'main', t: 't' },
  ]);
  expect(await conn.query({ type: 'rows', sql: 'SELECT (SELECT x FROM main.t) + (SELECT y FROM raw.r) AS z' })).toEqual([{ z: 3 }]);
  expect((await conn.listTables()).map((t) => t.name)).toContain('t');
});

test("the table list leaves out the importer's working tables, which sit in main while an import runs", async () => {
  await conn.query({ type: 'exec', sql: 'CREATE TABLE main._imp_stage AS SELECT 1 AS x; CREATE TABLE imp_kept AS SELECT 2 AS y' });
  const names = (await conn.listTables()).map((t) => t.name);
  expect(names).toContain('imp_kept');
  expect(names).not.toContain('_imp_stage');
  await conn.query({ type: 'exec', sql: 'DROP TABLE main._imp_stage; DROP TABLE imp_kept' });
});

test('compact compresses what was written', async () => {
  const size = async () => {
    const [r] = await conn.query({ type: 'rows', sql: `SELECT sum(memory_usage_bytes) AS b FROM duckdb_memory() WHERE tag = 'IN_MEMORY_TABLE'` });
    return Number(r?.b ?? 0);
  };
  await conn.query({
    type: 'exec',
    sql: `CREATE TABLE scores AS SELECT 'p_' || substr(md5((i // 20)::VARCHAR), 1, 16) AS student_id, (i % 20 + 1)::VARCHAR AS task, (i % 3)::DOUBLE AS score FROM range(1000000) r(i)`,
  });
  const before = await size();
  await compact(conn);
  const after = await size();
  expect(before).toBeGreaterThan(0);
  expect(after).toBeLessThan(before / 4);
  expect(await conn.query({ type: 'rows', sql: 'SELECT count(*) AS n, sum(score) AS s FROM scores' })).toEqual([{ n: 1_000_000, s: 999_999 }]);
});

test('a fork is a second connection to the same database: the committed tables of the workspace, not the temporary ones; closing it leaves the database open', async () => {
  await conn.query({ type: 'exec', sql: 'CREATE TABLE forked_t AS SELECT 5 AS x; CREATE TEMP TABLE forked_tmp AS SELECT 6 AS y' });
  const fork = await conn.fork();
  try {
    expect(await fork.query({ type: 'rows', sql: 'SELECT current_database() AS db, (SELECT x FROM forked_t) AS x' })).toEqual([{ db: 'workspace', x: 5 }]);
    await expect(fork.query({ type: 'rows', sql: 'SELECT y FROM forked_tmp' })).rejects.toThrow(/forked_tmp/);
    // What the fork writes, the first connection reads (each statement commits on its own).
    await fork.query({ type: 'exec', sql: 'INSERT INTO forked_t VALUES (7)' });
    expect(await conn.query({ type: 'rows', sql: 'SELECT sum(x) AS s FROM forked_t' })).toEqual([{ s: 12 }]);
  } finally {
    await fork.close();
  }
  expect(await conn.query({ type: 'rows', sql: 'SELECT y FROM forked_tmp' })).toEqual([{ y: 6 }]);
  await conn.query({ type: 'exec', sql: 'DROP TABLE forked_t; DROP TABLE forked_tmp' });
});
