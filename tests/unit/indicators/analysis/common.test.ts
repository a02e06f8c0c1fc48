/**
 * queryPaged: the rows of a query read a page at a time from a temporary table, in the query's
 * order, and the table dropped afterwards; the row count comes from the CREATE's answer.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NodeConnector } from '../../../../src/db/node-connector';
import { queryPaged } from '../../../../src/indicators/analysis/common';
import { DEFAULT_PARAMS, type IndicatorContext } from '../../../../src/indicators/types';

describe('queryPaged', () => {
  let conn: NodeConnector;
  let ctx: IndicatorContext;
  beforeAll(async () => {
    conn = await NodeConnector.open();
    ctx = { conn, params: DEFAULT_PARAMS, tables: [] };
  });
  afterAll(() => conn.close());

  const temporaries = async () =>
    (await conn.query({ type: 'rows', sql: `SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'indicators__paged%'` })).length;

  test('every row over several pages, in order, with bound parameters', async () => {
    const rows = await queryPaged(ctx, 'SELECT range AS i, range * $1 AS twice FROM range(25) ORDER BY i', [2], 10);
    expect(rows.map((r) => Number(r.i))).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(rows.map((r) => Number(r.twice))).toEqual(Array.from({ length: 25 }, (_, i) => 2 * i));
    expect(Object.keys(rows[0]!)).toEqual(['i', 'twice']);
    expect(await temporaries()).toBe(0);
  });

  test('an exact multiple of the page, a single page and an empty result', async () => {
    expect((await queryPaged(ctx, 'SELECT range AS i FROM range(20)', [], 10)).length).toBe(20);
    expect((await queryPaged(ctx, 'SELECT range AS i FROM range(3)', [], 10)).map((r) => Number(r.i))).toEqual([0, 1, 2]);
    expect(await queryPaged(ctx, 'SELECT range AS i FROM range(0)', [], 10)).toEqual([]);
    expect(await temporaries()).toBe(0);
  });
});
