import { afterAll, beforeAll, expect, test } from 'vitest';
import { NodeConnector } from '../../../../src/db/node-connector';
import { inflatedMeanCriterion } from '../../../../src/indicators/analysis/objectivity-inflation';
import { seededRandom } from '../../../../src/indicators/stats';
import { DEFAULT_PARAMS } from '../../../../src/indicators/types';

// A region-like municipality: 60 schools whose honest results spread widely (strong lyceums, weak
// village schools), marks in the journal following ability; one school with ordinary pupils but
// inflated ВПР results. The municipal-interval rule cannot see it (its bound lies above the best
// schools) and flags the lyceum; the journal-prediction rule must flag it and not the lyceum.
let conn: NodeConnector;
const LYCEUM = 's01';
const INFLATED = 's60';

beforeAll(async () => {
  conn = await NodeConnector.open();
  const rand = seededRandom(11);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
  const rows: string[] = [];
  for (let s = 1; s <= 60; s++) {
    const id = `s${String(s).padStart(2, '0')}`;
    const schoolMean = id === LYCEUM ? 1.6 : 0.5 * normal();
    for (let p = 0; p < 30; p++) {
      const theta = schoolMean + normal();
      const journal = Math.round(clamp(3.6 + 0.8 * theta + 0.4 * normal(), 2, 5));
      const primary = id === INFLATED ? Math.round(clamp(14 + 2 * normal(), 0, 20)) : Math.round(clamp(10 + 4 * theta + 2 * normal(), 0, 20));
      rows.push(`(2024, 'ВПР', 'Математика', 5, '${id}', '5А', '${id}-${p}', ${primary}, ${journal})`);
    }
  }
  await conn.query({ type: 'exec', sql: `CREATE TABLE assessment_results AS SELECT * FROM (VALUES ${rows.join(', ')})
    v(year, procedure, subject, grade, school_id, class, student_id, primary_score, journal_mark)` });
});
afterAll(() => conn?.close());

test('OBJ-02 flags the school whose ВПР result is far above what its own journal marks predict, not the strong lyceum', async () => {
  const ctx = { conn, params: DEFAULT_PARAMS, tables: await conn.listTables() };
  const criteria = await inflatedMeanCriterion(ctx);
  const pooled = criteria.filter((c) => c.subject === 'все предметы');
  expect(pooled).toHaveLength(60);
  const flagged = pooled.filter((c) => c.flagged).map((c) => c.school_id);
  expect(flagged).toEqual([INFLATED]);
  const lyceum = pooled.find((c) => c.school_id === LYCEUM)!;
  const inflated = pooled.find((c) => c.school_id === INFLATED)!;
  // The lyceum's mean is the highest of all; the inflated school's is not, yet it is the one flagged.
  expect(Math.max(...pooled.map((c) => c.values.mean!))).toBe(lyceum.values.mean);
  expect(inflated.values.mean!).toBeLessThan(lyceum.values.mean!);
  expect(inflated.values.residual!).toBeGreaterThan(0.15);
  expect(inflated.reason).toMatch(/выше ожидаемого по отметкам журнала/);
  // Single works carry the values without a flag.
  expect(criteria.filter((c) => c.subject === 'Математика' && c.flagged)).toEqual([]);
});

test('OBJ-02 is not evaluated (NULL, not «clean») without journal marks', async () => {
  await conn.query({ type: 'exec', sql: 'CREATE TABLE no_journal AS SELECT * FROM assessment_results' });
  await conn.query({ type: 'exec', sql: 'UPDATE assessment_results SET journal_mark = NULL' });
  try {
    const ctx = { conn, params: DEFAULT_PARAMS, tables: await conn.listTables() };
    const pooled = (await inflatedMeanCriterion(ctx)).filter((c) => c.subject === 'все предметы');
    expect(pooled.every((c) => c.flagged === null)).toBe(true);
    expect(pooled[0].reason).toBe('нет отметок по журналу для сравнения');
  } finally {
    await conn.query({ type: 'exec', sql: 'DROP TABLE assessment_results; ALTER TABLE no_journal RENAME TO assessment_results' });
  }
});
