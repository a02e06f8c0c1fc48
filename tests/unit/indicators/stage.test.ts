/**
 * The run's shared task-rows stage (src/indicators/stage.ts): GIA-06 and PREP-19 read one pass over
 * the task rows, built once per run and dropped at its end, and report what the task rows say —
 * hand-computed on a four-participant work with a retake, a score above its maximum, a missing
 * score and a task without specification (its maximum is the largest score observed, retakes included).
 */
import { describe, expect, test } from 'vitest';
import { NodeConnector } from '../../../src/db/node-connector';
import type { Connector, Request } from '../../../src/db/connector';
import { runIndicators } from '../../../src/indicators/run';
import type { IndicatorDef, IndicatorRow } from '../../../src/indicators/types';
import { INDICATORS } from '../../../src/indicators/registry';
import { makeRow, resultsSql } from '../../../src/indicators/sql';
import { SMALL_DATA_ROWS } from '../../../src/indicators/stage';

const SETUP = `
  CREATE TABLE assessment_results (year INTEGER, procedure VARCHAR, subject VARCHAR, grade INTEGER, school_id VARCHAR,
    student_id VARCHAR, primary_score DOUBLE, retake BOOLEAN);
  INSERT INTO assessment_results VALUES
    (2024, 'ВПР', 'Математика', 5, 'A', 'a1', 4, false), (2024, 'ВПР', 'Математика', 5, 'A', 'a2', 4, false),
    (2024, 'ВПР', 'Математика', 5, 'B', 'b1', 4, false), (2024, 'ВПР', 'Математика', 5, 'A', 'r1', 8, true);
  CREATE TABLE tasks (year INTEGER, procedure VARCHAR, subject VARCHAR, grade INTEGER, task VARCHAR, max_score DOUBLE,
    part VARCHAR, section VARCHAR, metasubject BOOLEAN);
  INSERT INTO tasks VALUES (2024, 'ВПР', 'Математика', 5, '1', 2, '1', 'S1', true), (2024, 'ВПР', 'Математика', 5, '2', 1, '2', 'S1', false);
  CREATE TABLE task_scores (year INTEGER, procedure VARCHAR, subject VARCHAR, grade INTEGER, school_id VARCHAR,
    student_id VARCHAR, task VARCHAR, score DOUBLE);
  INSERT INTO task_scores SELECT 2024, 'ВПР', 'Математика', 5, s, p, t, v FROM (VALUES
    ('A', 'a1', '1', 2), ('A', 'a1', '2', 1), ('A', 'a1', '3', 1),
    ('A', 'a2', '1', 1), ('A', 'a2', '2', 3), ('A', 'a2', '3', NULL),
    ('B', 'b1', '1', 0), ('B', 'b1', '2', 0), ('B', 'b1', '3', 4),
    ('A', 'r1', '1', 2), ('A', 'r1', '2', 1), ('A', 'r1', '3', 5)) v(s, p, t, v);`;

/** A connector that counts the stage tables it is asked to create. */
function counting(conn: Connector): { conn: Connector; created: string[] } {
  const created: string[] = [];
  const wrapped = Object.create(conn) as Connector;
  wrapped.query = ((req: Request) => {
    const m = /CREATE TEMP TABLE "(indicators__stage_[a-z_]+)_\d+"/.exec(req.sql);
    if (m) created.push(m[1]);
    return conn.query(req);
  }) as Connector['query'];
  return { conn: wrapped, created };
}

const pick = (rows: IndicatorRow[], id: string, school: string | null, dimension: string | null, dv: string | null) =>
  rows.filter((r) => r.indicator_id === id && r.school_id === school && r.dimension === dimension && r.dimension_value === dv);

describe('the shared task-rows stage', () => {
  test('GIA-06 and PREP-19 from one pass: the values of the task rows, the stage built once and dropped', async () => {
    const base = await NodeConnector.open();
    try {
      await base.query({ type: 'exec', sql: SETUP });
      const { conn, created } = counting(base);
      const rows = await runIndicators(conn, { ids: ['GIA-06', 'PREP-19'] });
      expect(created.sort()).toEqual(['indicators__stage_results_main', 'indicators__stage_school_task', 'indicators__stage_task_spec']);
      const left = await base.query({ type: 'rows', sql: "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'indicators__stage%'" });
      expect(left).toEqual([]);
      const one = (id: string, school: string | null, dimension: string | null, dv: string | null) => {
        const found = pick(rows, id, school, dimension, dv);
        expect(found, `${id} ${school} ${dimension} ${dv}`).toHaveLength(1);
        return [found[0].numerator, found[0].denominator, found[0].value];
      };
      // Task maxima: 2 and 1 from the specification; task 3 has none: 5, the retake's score.
      // Rates leave out a score above the maximum (a2's 3 on task 2) and a missing score.
      expect(one('GIA-06', null, 'task', '1')).toEqual([3, 6, 0.5]);
      expect(one('GIA-06', 'A', 'task', '1')).toEqual([3, 4, 0.75]);
      expect(one('GIA-06', 'B', 'task', '1')).toEqual([0, 2, 0]);
      expect(one('GIA-06', null, 'task', '2')).toEqual([1, 2, 0.5]);
      expect(one('GIA-06', 'A', 'task', '2')).toEqual([1, 1, 1]);
      expect(one('GIA-06', null, 'task', '3')).toEqual([5, 10, 0.5]);
      expect(one('GIA-06', 'A', 'task', '3')).toEqual([1, 5, 0.2]);
      expect(one('GIA-06', 'B', 'task', '3')).toEqual([4, 5, 0.8]);
      // Section S1 = tasks 1 and 2; task 3 has no section.
      expect(one('GIA-06', null, 'section', 'S1')).toEqual([4, 8, 0.5]);
      expect(one('GIA-06', 'A', 'section', 'S1')).toEqual([4, 5, 0.8]);
      expect(one('GIA-06', 'B', 'section', 'S1')).toEqual([0, 3, 0]);
      expect(rows.filter((r) => r.indicator_id === 'GIA-06' && r.dimension === 'section')).toHaveLength(3);
      // Above the maximum: task 2, one of its three scores (municipality) and of school A's two.
      expect(one('GIA-06', null, 'above_max|task', '2')).toEqual([1, 3, 1]);
      expect(one('GIA-06', 'A', 'above_max|task', '2')).toEqual([1, 2, 1]);
      expect(rows.filter((r) => r.indicator_id === 'GIA-06' && r.dimension === 'above_max|task')).toHaveLength(2);
      // PREP-19: metasubject task 1 only, score / max per row: a1 1, a2 0.5, b1 0.
      expect(one('PREP-19', null, null, null)).toEqual([null, 3, 0.5]);
      expect(one('PREP-19', 'A', null, null)).toEqual([null, 2, 0.75]);
      expect(one('PREP-19', 'B', null, null)).toEqual([null, 1, 0]);
    } finally {
      await base.close();
    }
  });

  test('a stage is dropped after the last indicator that reads it, before the rest of the run', async () => {
    const conn = await NodeConnector.open();
    try {
      await conn.query({ type: 'exec', sql: SETUP });
      const stages = () => conn.query({ type: 'rows', sql: "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'indicators__stage%'" });
      const seen: unknown[][] = [];
      const probe = (id: string): IndicatorDef => ({
        id,
        direction: 'GIA',
        title: id,
        reads: {},
        compute: async () => {
          seen.push((await stages()).map((r) => String(r.table_name).replace(/_\d+$/, '')).sort());
          return [makeRow(id, { year: 2024, value: 1 })];
        },
      });
      const byId = (id: string) => INDICATORS.find((d) => d.id === id)!;
      await runIndicators(conn, { indicators: [byId('PREP-19'), probe('TEST-01'), byId('GIA-06'), probe('TEST-02')] });
      // While GIA-06 is still to come both stages stay; after it, neither (GIA-07 is not in this run).
      // The staged results live for the whole run.
      expect(seen).toEqual([['indicators__stage_results_main', 'indicators__stage_school_task', 'indicators__stage_task_spec'], ['indicators__stage_results_main']]);
    } finally {
      await conn.close();
    }
  });

  /** An indicator that returns what `resultsSql` reads during the run and the rows it yields. */
  const resultsProbe = (seen: { sql: string; students: string[] }[], includeRetakes?: boolean, id = 'TEST-03'): IndicatorDef => ({
    id,
    direction: 'GIA',
    title: 'probe',
    reads: {},
    compute: async (ctx) => {
      const sql = resultsSql(ctx, includeRetakes === undefined ? {} : { includeRetakes });
      const rows = await ctx.conn.query({ type: 'rows', sql: `SELECT student_id, score FROM ${sql} r WHERE year = 2024 ORDER BY student_id` });
      seen.push({ sql, students: rows.map((r) => `${r.student_id}:${r.score}`) });
      return [makeRow(id, { year: 2024, value: 1 })];
    },
  });

  test('the results are staged once for the run: the same rows, retakes left out or not as asked, dropped after', async () => {
    const conn = await NodeConnector.open();
    try {
      await conn.query({ type: 'exec', sql: SETUP });
      const seen: { sql: string; students: string[] }[] = [];
      await runIndicators(conn, { indicators: [resultsProbe(seen), resultsProbe(seen, true, 'TEST-04')], params: { includeRetakes: false } });
      expect(seen[0].sql).toMatch(/indicators__stage_results_main/);
      expect(seen[0].students).toEqual(['a1:4', 'a2:4', 'b1:4']);
      // Retakes were not asked for by the run: that variant is inline, with the retake r1.
      expect(seen[1].sql).not.toMatch(/indicators__stage_results/);
      expect(seen[1].students).toEqual(['a1:4', 'a2:4', 'b1:4', 'r1:8']);
      await runIndicators(conn, { indicators: [resultsProbe(seen)], params: { includeRetakes: true } });
      expect(seen[2].sql).toMatch(/indicators__stage_results_all/);
      expect(seen[2].students).toEqual(['a1:4', 'a2:4', 'b1:4', 'r1:8']);
      const left = await conn.query({ type: 'rows', sql: "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'indicators__stage%'" });
      expect(left).toEqual([]);
    } finally {
      await conn.close();
    }
  });

  test('with an input table of SMALL_DATA_ROWS rows or more the results stay inline (a temporary table is not compressed)', async () => {
    const conn = await NodeConnector.open();
    try {
      await conn.query({ type: 'exec', sql: SETUP });
      // The regional shape: fewer results than the limit (995k), many more task rows (16M).
      await conn.query({ type: 'exec', sql: `INSERT INTO task_scores SELECT 2020, 'ВПР', 'Математика', 5, 'C', 'c', CAST(range AS VARCHAR), 1 FROM range(${SMALL_DATA_ROWS})` });
      const seen: { sql: string; students: string[] }[] = [];
      await runIndicators(conn, { indicators: [resultsProbe(seen)] });
      expect(seen[0].sql).not.toMatch(/indicators__stage_results/);
    } finally {
      await conn.close();
    }
  });
});
