import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { resolve } from 'node:path';
import { monitoringRatioSql, resultsSql, rowsOf, shareSql, meanSql } from '../../../src/indicators/sql';
import { runIndicators } from '../../../src/indicators/run';
import { DEFAULT_PARAMS, type IndicatorContext, type IndicatorDef } from '../../../src/indicators/types';
import { findRow, openDemo, type Demo } from './demo';

const MINI = resolve(__dirname, 'fixtures/mini');
let demo: Demo;
let ctx: IndicatorContext;

beforeAll(async () => {
  demo = await openDemo(MINI);
  ctx = { conn: demo.conn, params: DEFAULT_PARAMS, tables: await demo.conn.listTables() };
});
afterAll(() => demo.conn.close());

describe('sql builders on a hand-made fixture', () => {
  test('shareSql gives the municipal row and one row per school from one query', async () => {
    const rows = await rowsOf(
      ctx,
      shareSql({ id: 'X', from: resultsSql(ctx), procedure: 'procedure', subject: 'subject', grade: 'grade', condition: 'passed', base: 'passed IS NOT NULL' }),
    );
    // ВПР: S1 marks 4,2,5 → 2 of 3 passed; S2 3,2 → 1 of 2; municipality 3 of 5.
    expect(findRow(rows, { procedure: 'ВПР', school_id: null })).toMatchObject({ numerator: 3, denominator: 5, value: 0.6 });
    expect(findRow(rows, { procedure: 'ВПР', school_id: 'S1' })).toMatchObject({ numerator: 2, denominator: 3 });
    // ЕГЭ: min_test 36 from the grade-less thresholds row; the retake (20) is excluded.
    expect(findRow(rows, { procedure: 'ЕГЭ', school_id: null })).toMatchObject({ numerator: 2, denominator: 3 });
    expect(findRow(rows, { procedure: 'ЕГЭ', school_id: 'S2' })).toMatchObject({ numerator: 1, denominator: 1, value: 1 });
  });

  test('retakes are included on request', async () => {
    const rows = await rowsOf(
      { ...ctx, params: { ...DEFAULT_PARAMS, includeRetakes: true } },
      shareSql({ id: 'X', from: resultsSql({ ...ctx, params: { ...DEFAULT_PARAMS, includeRetakes: true } }), procedure: 'procedure', condition: 'passed', base: 'passed IS NOT NULL' }),
    );
    expect(findRow(rows, { procedure: 'ЕГЭ', school_id: 'S2' })).toMatchObject({ numerator: 1, denominator: 2 });
  });

  test('meanSql: numerator NULL, denominator n', async () => {
    const rows = await rowsOf(ctx, meanSql({ id: 'M', from: resultsSql(ctx), procedure: 'procedure', expr: 'score' }));
    expect(findRow(rows, { procedure: 'ЕГЭ', school_id: 'S1' })).toMatchObject({ numerator: null, denominator: 2, value: 52.5 });
    expect(findRow(rows, { procedure: 'ВПР', school_id: null })?.value).toBeCloseTo((10 + 4 + 14 + 6 + 3) / 5, 10);
  });

  test('monitoring ratio: per school, municipal sum of schools, municipal row as fallback', async () => {
    const noo = await rowsOf(ctx, monitoringRatioSql('P', 'noo_base_level', 'noo_students'));
    expect(findRow(noo, { school_id: 'S2' })).toMatchObject({ numerator: 30, denominator: 50, value: 0.6 });
    expect(findRow(noo, { school_id: null })).toMatchObject({ numerator: 120, denominator: 150, value: 0.8 });
    const survey = await rowsOf(ctx, monitoringRatioSql('Q', 'survey_satisfied', 'survey_respondents'));
    expect(survey).toHaveLength(1);
    expect(survey[0]).toMatchObject({ school_id: null, value: 0.75 });
  });
});

describe('runner', () => {
  const def = (id: string, reads: IndicatorDef['reads'], monitoringCodes?: string[], dependsOn?: string[]): IndicatorDef => ({
    id,
    direction: 'PREP',
    title: id,
    reads,
    monitoringCodes,
    dependsOn,
    compute: async (c) => rowsOf(c, monitoringRatioSql(id, 'noo_base_level', 'noo_students')),
  });

  test('reports missing tables, empty columns and monitoring codes instead of failing', async () => {
    const rows = await runIndicators(demo.conn, {
      indicators: [
        def('A', { graduates: ['certificate'] }),
        def('B', { schools: ['social_index', 'shnor'] }),
        def('C', { monitoring: ['value'] }, ['noo_students', 'bilet_6_11']),
        def('D', { monitoring: ['value'] }, ['noo_students']),
      ],
    });
    expect(findRow(rows, { indicator_id: 'A' })).toMatchObject({ dimension: 'missing', dimension_value: 'graduates.certificate', value: null });
    expect(findRow(rows, { indicator_id: 'B', dimension: 'missing' })?.dimension_value).toBe('schools.shnor');
    expect(findRow(rows, { indicator_id: 'C' })?.dimension_value).toBe('monitoring.code=bilet_6_11');
    expect(findRow(rows, { indicator_id: 'D', school_id: null })?.value).toBeCloseTo(0.8, 12);
    const [stored] = await demo.conn.query({ type: 'rows', sql: "SELECT count(*) AS n FROM indicators WHERE indicator_id = 'D'" });
    expect(stored.n).toBe(3);
  });

  test('dependencies run first and can read the materialised table; errors become rows', async () => {
    const derived: IndicatorDef = {
      id: 'E',
      direction: 'PREP',
      title: 'E',
      reads: {},
      dependsOn: ['D'],
      compute: async (c) =>
        rowsOf(c, "SELECT 'E' AS indicator_id, year, NULL AS procedure, NULL AS subject, NULL AS grade, NULL AS school_id, NULL AS dimension, NULL AS dimension_value, NULL AS numerator, NULL AS denominator, value * 2 AS value FROM indicators WHERE indicator_id = 'D' AND school_id IS NULL"),
    };
    const broken: IndicatorDef = { ...derived, id: 'F', dependsOn: [], compute: async () => { throw new Error('сломано'); } };
    const rows = await runIndicators(demo.conn, { indicators: [derived, broken, def('D', { monitoring: ['value'] })], ids: ['E', 'F'] });
    expect(rows.map((r) => r.indicator_id)[0]).toBe('D');
    expect(findRow(rows, { indicator_id: 'E' })?.value).toBeCloseTo(1.6, 12);
    expect(findRow(rows, { indicator_id: 'F' })).toMatchObject({ dimension: 'error', dimension_value: 'сломано' });
  });
});
