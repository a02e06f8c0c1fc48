/**
 * A run on small data uses one DuckDB thread and puts the setting back afterwards (also when an
 * indicator fails); a run with a table of SMALL_DATA_ROWS rows or more keeps the threads.
 */
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { NodeConnector } from '../../../src/db/node-connector';
import { runIndicators } from '../../../src/indicators/run';
import { SMALL_DATA_ROWS } from '../../../src/indicators/stage';
import { makeRow } from '../../../src/indicators/sql';
import type { IndicatorDef } from '../../../src/indicators/types';

describe('threads during a run', () => {
  let conn: NodeConnector;
  const threads = async () => Number((await conn.query({ type: 'rows', sql: `SELECT current_setting('threads') AS t` }))[0]!.t);
  /** An indicator that reports the thread setting it ran with as its value. */
  const probe = (fail = false): IndicatorDef => ({
    id: 'PREP-01',
    direction: 'PREP',
    title: 'probe',
    reads: { assessment_results: ['year'] },
    compute: async () => {
      const t = await threads();
      if (fail) throw new Error('probe failed');
      return [makeRow('PREP-01', { year: 2024, value: t })];
    },
  });

  beforeEach(async () => {
    conn = await NodeConnector.open();
    await conn.query({ type: 'exec', sql: 'SET threads = 3' });
    await conn.query({ type: 'exec', sql: 'CREATE TABLE assessment_results AS SELECT 2024 AS year FROM range(10)' });
  });
  afterEach(() => conn.close());

  test('small data: one thread while the indicators run, the old setting after', async () => {
    const rows = await runIndicators(conn, { indicators: [probe()] });
    expect(rows.map((r) => r.value)).toEqual([1]);
    expect(await threads()).toBe(3);
  });

  test('small data, a failing indicator: the setting is back after the run', async () => {
    const rows = await runIndicators(conn, { indicators: [probe(true)] });
    expect(rows.map((r) => r.dimension)).toEqual(['error']);
    expect(await threads()).toBe(3);
  });

  test('a large indicator table of an earlier run does not count as input', async () => {
    await conn.query({ type: 'exec', sql: `CREATE TABLE indicators AS SELECT 'PREP-02' AS indicator_id FROM range(${SMALL_DATA_ROWS})` });
    const rows = await runIndicators(conn, { indicators: [probe()] });
    expect(rows.map((r) => r.value)).toEqual([1]);
  });

  test('a large table: the threads stay', async () => {
    await conn.query({ type: 'exec', sql: `CREATE TABLE task_scores AS SELECT range AS x FROM range(${SMALL_DATA_ROWS})` });
    const rows = await runIndicators(conn, { indicators: [probe()] });
    expect(rows.map((r) => r.value)).toEqual([3]);
    expect(await threads()).toBe(3);
  });
});
