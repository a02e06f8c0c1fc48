/**
 * An indicator run that runs out of memory stops with one Russian message and saves nothing. In the
 * tab the regional catalogue exhausted the wasm heap in GIA-07: the engine restarted, the failure was
 * recorded as GIA-07's `error` row, and the run went on into a staging table that had vanished with
 * the engine — the user read «Table with name indicators__next does not exist!».
 */
import { describe, expect, test } from 'vitest';
import { runIndicators } from '../../../src/indicators/run';
import { makeRow } from '../../../src/indicators/sql';
import type { IndicatorDef } from '../../../src/indicators/types';
import { NodeConnector } from '../../../src/db/node-connector';
import type { Connector } from '../../../src/db/connector';

const def = (id: string, compute: IndicatorDef['compute']): IndicatorDef => ({ id, direction: 'GIA', title: id, reads: {}, compute });
const fine = def('TEST-01', async () => [makeRow('TEST-01', { year: 2024, value: 3 })]);
const after = def('TEST-03', async () => [makeRow('TEST-03', { year: 2024, value: 4 })]);

const tableNames = async (conn: Connector) => (await conn.listTables()).map((t) => t.name).sort();
const indicatorRows = (conn: Connector) => conn.query({ type: 'rows', sql: 'SELECT indicator_id, value FROM indicators ORDER BY 1' });

async function withEngine(fn: (conn: Connector) => Promise<void>): Promise<void> {
  const conn = await NodeConnector.open();
  try {
    await fn(conn);
  } finally {
    await conn.close();
  }
}

describe('an indicator run out of memory', () => {
  test("the engine's own out-of-memory error stops the run with a Russian message naming the indicator; the table is unchanged", () =>
    withEngine(async (conn) => {
      await runIndicators(conn, { indicators: [fine] });
      // A real DuckDB out-of-memory error: a small limit and nowhere to spill.
      const hungry = def('TEST-02', async (ctx) => {
        await ctx.conn.query({ type: 'exec', sql: "SET memory_limit = '30MB'; SET temp_directory = ''" });
        try {
          await ctx.conn.query({ type: 'rows', sql: 'SELECT count(DISTINCT i::VARCHAR || i::VARCHAR) AS n FROM range(20000000) t(i)' });
        } finally {
          await ctx.conn.query({ type: 'exec', sql: 'RESET memory_limit' });
        }
        return [];
      });
      const run = runIndicators(conn, { indicators: [fine, hungry, after] });
      await expect(run).rejects.toMatchObject({ name: 'UserError' });
      await expect(run).rejects.toThrow(/^Показатели не рассчитаны \(остановлено на TEST-02\): не хватило памяти/);
      // Not recorded as TEST-02's error row in a table that was then saved: the previous table stays.
      expect(await indicatorRows(conn)).toEqual([{ indicator_id: 'TEST-01', value: 3 }]);
      expect(await tableNames(conn)).toEqual(['indicators']);
    }));

  test('an engine that crashed and restarted (the staging table lost with it) never surfaces as «indicators__next does not exist»', () =>
    withEngine(async (conn) => {
      await runIndicators(conn, { indicators: [fine] });
      // What the browser connector does when the wasm heap is exhausted: a fresh engine (without the
      // staging table) and its own message for the call that crashed.
      const crash = def('GIA-07', async (ctx) => {
        await ctx.conn.query({ type: 'exec', sql: 'DROP TABLE indicators__next' });
        throw new Error('RuntimeError: memory access out of bounds');
      });
      const run = runIndicators(conn, { indicators: [fine, crash, after] });
      await expect(run).rejects.toThrow(/^Показатели не рассчитаны \(остановлено на GIA-07\): не хватило памяти/);
      await expect(run).rejects.not.toThrow(/does not exist|indicators__next/);
      expect(await indicatorRows(conn)).toEqual([{ indicator_id: 'TEST-01', value: 3 }]);
      expect(await tableNames(conn)).toEqual(['indicators']);
    }));

  test('an ordinary failure of one indicator is still its error row, and the run completes', () =>
    withEngine(async (conn) => {
      const broken = def('TEST-02', async (ctx) => {
        await ctx.conn.query({ type: 'rows', sql: 'SELECT * FROM no_such_table' });
        return [];
      });
      await runIndicators(conn, { indicators: [fine, broken, after] });
      const rows = await conn.query({ type: 'rows', sql: "SELECT indicator_id, dimension FROM indicators ORDER BY 1" });
      expect(rows).toEqual([
        { indicator_id: 'TEST-01', dimension: null },
        { indicator_id: 'TEST-02', dimension: 'error' },
        { indicator_id: 'TEST-03', dimension: null },
      ]);
    }));
});
