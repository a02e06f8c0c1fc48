/**
 * unitAggregate counts each unit once per municipality and per school (it replaced DuckDB's
 * count(DISTINCT …) under GROUPING SETS by a per-unit step): hand-counted figures on a few rows.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NodeConnector } from '../../../src/db/node-connector';
import { unitAggregate } from '../../../src/indicators/rowshares';
import type { IndicatorContext } from '../../../src/indicators/types';
import { DEFAULT_PARAMS } from '../../../src/indicators/types';

let conn: NodeConnector;
const rowsOf = async (spec: Parameters<typeof unitAggregate>[1]) => {
  const { sql } = await unitAggregate({ conn, params: DEFAULT_PARAMS, tables: [] } as unknown as IndicatorContext, spec);
  const out = [];
  for (const s of sql) out.push(...(await conn.query({ type: 'rows', sql: `SELECT * FROM (${s}) ORDER BY dimension NULLS FIRST, dimension_value, school_id NULLS FIRST` })));
  return out.map((r) => [r.school_id, r.dimension, r.dimension_value, r.numerator, r.denominator, r.value]);
};

beforeAll(async () => {
  conn = await NodeConnector.open();
  // Unit u1 has two rows in S1 (one with num) and one in S2; u2 is in S1 without num; u3 has no
  // school (municipality only); a row without a unit counts for nobody; S3 has only such rows.
  await conn.query({
    type: 'exec',
    sql: `CREATE TABLE u AS SELECT * FROM (VALUES
      (2024, 'S1', 'u1', true, true, 'a'), (2024, 'S1', 'u1', false, true, 'b'), (2024, 'S2', 'u1', false, true, 'a'),
      (2024, 'S1', 'u2', false, true, 'a'), (2024, NULL, 'u3', true, true, 'a'), (2024, 'S1', NULL, true, true, 'a'),
      (2024, 'S3', NULL, true, true, 'a'), (2024, 'S2', 'u4', true, false, NULL)) v(year, school_id, unit, num, den, dim)`,
  });
});
afterAll(() => conn.close());

describe('unitAggregate', () => {
  test('a share counts each unit once, in the municipality across schools', async () => {
    expect(await rowsOf({ id: 'T', base: 'SELECT * FROM u' })).toEqual([
      // u1 (num in S1), u3 of 4 units with den (u1, u2, u3; u4 has den false): 2 of 3.
      [null, null, null, 2, 3, 2 / 3],
      ['S1', null, null, 1, 2, 1 / 2],
      ['S2', null, null, 0, 1, 0],
      // Only rows without a unit: the school still has its row, with nothing counted.
      ['S3', null, null, 0, 0, null],
    ]);
  });

  test('a breakdown counts a unit in each of its values; rows without a value are left out', async () => {
    const rows = await rowsOf({ id: 'T', base: 'SELECT * FROM u', dimension: 'd', total: false });
    expect(rows).toEqual([
      ['__', 'd', 'a', 2, 3, 2 / 3],
      ['S1', 'd', 'a', 1, 2, 1 / 2],
      ['S2', 'd', 'a', 0, 1, 0],
      ['S3', 'd', 'a', 0, 0, null],
      [null, 'd', 'b', 0, 1, 0],
      ['S1', 'd', 'b', 0, 1, 0],
    ].map((r) => (r[0] === '__' ? [null, ...r.slice(1)] : r)));
  });

  test('a count is the units with num, whatever den says', async () => {
    expect(await rowsOf({ id: 'T', base: 'SELECT * FROM u', kind: 'count' })).toEqual([
      [null, null, null, null, null, 3],
      ['S1', null, null, null, null, 1],
      ['S2', null, null, null, null, 1],
      ['S3', null, null, null, null, 0],
    ]);
  });
});
