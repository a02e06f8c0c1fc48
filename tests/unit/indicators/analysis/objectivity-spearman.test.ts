/**
 * OBJ-03's rank correlation from counts per value and running sums (no windows over the
 * participants): ties get their average rank. Hand-checked on five pupils of one school:
 * journal marks 3, 3, 4, 5, 4 → ranks 1.5, 1.5, 3.5, 5, 3.5; scores 10, 12, 12, 15, 9 → ranks
 * 2, 3.5, 3.5, 5, 1; deviations from the mean rank 3 give Σ dx·dy = 4, Σ dx² = 9, Σ dy² = 9.5,
 * so ρ = 4 / √85.5. A second school's scores fall as the marks rise: ρ = −1.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { NodeConnector } from '../../../../src/db/node-connector';
import { spearmanCriterion } from '../../../../src/indicators/analysis/objectivity';
import { DEFAULT_PARAMS, type IndicatorContext } from '../../../../src/indicators/types';

let conn: NodeConnector;
let ctx: IndicatorContext;
beforeAll(async () => {
  conn = await NodeConnector.open();
  const pupils = [
    ['A', 3, 10], ['A', 3, 12], ['A', 4, 12], ['A', 5, 15], ['A', 4, 9],
    ['B', 2, 20], ['B', 3, 15], ['B', 4, 10], ['B', 5, 5],
  ];
  const values = pupils.map(([s, j, p], i) => `(2024, 'ВПР', 'Математика', 5, '${s}', 'p${i}', ${p}, ${j}, ${j})`).join(', ');
  await conn.query({
    type: 'exec',
    sql: `CREATE TABLE assessment_results AS SELECT * FROM (VALUES ${values}) v(year, procedure, subject, grade, school_id, student_id, primary_score, mark, journal_mark)`,
  });
  ctx = { conn, params: DEFAULT_PARAMS, tables: await conn.listTables() };
});
afterAll(() => conn?.close());

test('average ranks of ties, per school and work', async () => {
  const out = await spearmanCriterion(ctx, undefined, false);
  const rho = (school: string) => out.find((c) => c.school_id === school)?.values.rho;
  expect(out.map((c) => [c.school_id, c.n])).toEqual([['A', 5], ['B', 4]]);
  expect(rho('A')).toBeCloseTo(4 / Math.sqrt(85.5), 12);
  expect(rho('B')).toBe(-1);
});

test('pooled over the works (% of maximum): the same ranks', async () => {
  const out = await spearmanCriterion(ctx, undefined, true);
  expect(out.find((c) => c.school_id === 'A')?.values.rho).toBeCloseTo(4 / Math.sqrt(85.5), 12);
  expect(out.find((c) => c.school_id === 'B')?.values.rho).toBe(-1);
});
