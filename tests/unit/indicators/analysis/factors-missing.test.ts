import { afterAll, beforeAll, expect, test } from 'vitest';
import { factorAnalysis } from '../../../../src/indicators/analysis/factors';
import { runIndicators } from '../../../../src/indicators/run';
import { DEFAULT_PARAMS } from '../../../../src/indicators/types';
import { demoAvailable, openDemo, type Demo } from '../demo';

// An import keeps a column the source lacks as NULL: such a factor is missing, not silently skipped.
let demo: Demo;
beforeAll(async () => {
  demo = await openDemo();
  await demo.conn.query({ type: 'exec', sql: 'UPDATE class_teaching SET study_level = NULL, hours_per_week = NULL, months_with_class = NULL' });
}, 300_000);
afterAll(() => demo?.conn.close());

test.skipIf(!demoAvailable())('GIA-07: factors whose column exists but is empty are reported missing, the others computed', async () => {
  const ctx = { conn: demo.conn, params: DEFAULT_PARAMS, tables: await demo.conn.listTables() };
  const fa = await factorAnalysis(ctx, { year: 2024, procedure: 'ВПР', subject: 'Математика', grade: 5 });
  expect(fa.missing).toEqual([
    { factor: 'study_level', inputs: ['class_teaching.study_level'] },
    { factor: 'hours_per_week', inputs: ['class_teaching.hours_per_week'] },
    { factor: 'months_with_class', inputs: ['class_teaching.months_with_class'] },
  ]);
  expect([...new Set(fa.groups.map((g) => g.factor))].sort()).toEqual(['category', 'experience', 'settlement_type', 'textbook']);
  const rows = await runIndicators(demo.conn, { ids: ['GIA-07'] });
  const missing = rows.filter((r) => r.dimension === 'missing').map((r) => r.dimension_value);
  expect(missing).toEqual(['study_level: class_teaching.study_level', 'hours_per_week: class_teaching.hours_per_week', 'months_with_class: class_teaching.months_with_class']);
  for (const r of rows.filter((r) => r.dimension === 'missing')) expect([r.value, r.numerator, r.denominator]).toEqual([null, null, null]);
});
