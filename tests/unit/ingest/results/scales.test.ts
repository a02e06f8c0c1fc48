/**
 * Marks derived from the scales while importing a results sheet without a mark column: exactly one
 * scale per participant. A scale for every grade (grade empty, as the contract allows where the
 * grade is not needed) and one for the work's grade used to match both, and each participant was
 * written twice; the user's scale for every grade and the shipped one for the grade, likewise.
 * The rule is the indicators' (src/indicators/sql.ts): the grade's own scale before the one for
 * every grade, and the user's scales before the shipped ones. Marks are worked out by hand.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { NodeConnector } from '../../../../src/db/node-connector';
import { ensureCanonicalTables } from '../../../../src/ingest/apply';
import { planImport, runImport } from '../../../../src/ingest/import';
import { makeRaw } from '../raw-helper';

let conn: NodeConnector;
beforeEach(async () => {
  conn = await NodeConnector.open();
  await ensureCanonicalTables(conn);
});
afterEach(() => conn.close());

/** The scales shipped with the app (as the app and the CLI load them). */
const SHIPPED = readFileSync(new URL('../../../../datasets/reference/thresholds.csv', import.meta.url), 'utf8');

const headers = ['логин школы', 'код обучающегося', 'класс', 'вариант', 'всего баллов', 'балл за 1', 'балл за 2'];
/** Primary scores 1, 2 and 5. */
const rows = [
  ['sch220001', '1', '4а', '1', '1', '1', '0'],
  ['sch220001', '2', '4а', '2', '2', '1', '1'],
  ['sch220001', '3', '4а', '1', '5', '2', '3'],
];

async function importMarks(scales: string): Promise<{ student_id: string; mark: number }[]> {
  await conn.query({ type: 'exec', sql: `INSERT INTO thresholds (year, procedure, subject, grade, mark3_from, mark4_from, mark5_from) VALUES ${scales}` });
  const raw = await makeRaw(conn, 'ВПР 2021 Математика 4 класс.csv', headers, rows);
  await runImport(conn, await planImport([raw]), { salt: 's', referenceThresholds: SHIPPED });
  const got = await conn.query({ type: 'rows', sql: `SELECT student_id, mark FROM assessment_results ORDER BY student_id, mark` });
  return got.map((r) => ({ student_id: String(r.student_id), mark: Number(r.mark) }));
}

test("the grade's own scale wins over the user's scale for every grade; one row per participant", async () => {
  // Grade 4: 3 from 1, 4 from 2, 5 from 3 → marks 3, 4, 5 (the scale for every grade would give 2, 3, 4).
  const marks = await importMarks(`(2021, 'ВПР', 'Математика', NULL, 2, 4, 6), (2021, 'ВПР', 'Математика', 4, 1, 2, 3)`);
  expect(marks).toEqual([
    { student_id: '1', mark: 3 },
    { student_id: '2', mark: 4 },
    { student_id: '3', mark: 5 },
  ]);
});

test("the user's scale for every grade wins over the shipped scale of the grade; one row per participant", async () => {
  // The user's: 3 from 2, 4 from 4, 5 from 6 → 2, 3, 4 (the shipped 2021 ВПР Математика 4: 3 from 6 → all 2).
  const marks = await importMarks(`(2021, 'ВПР', 'Математика', NULL, 2, 4, 6)`);
  expect(marks).toEqual([
    { student_id: '1', mark: 2 },
    { student_id: '2', mark: 3 },
    { student_id: '3', mark: 4 },
  ]);
});

test('without a scale of the user the shipped one gives the marks', async () => {
  // Shipped 2021 ВПР Математика 4: 3 from 6 → every primary score here is below it: 2.
  const marks = await importMarks(`(2020, 'ВПР', 'Математика', 4, 1, 2, 3)`);
  expect(marks).toEqual([
    { student_id: '1', mark: 2 },
    { student_id: '2', mark: 2 },
    { student_id: '3', mark: 2 },
  ]);
});
