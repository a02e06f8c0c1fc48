import { afterAll, beforeAll, expect, test } from 'vitest';
import { NodeConnector } from '../../../src/db/node-connector';
import { ensureCanonicalTables } from '../../../src/ingest/apply';
import { planImport, runImport, tablesReplaced, tablesWritten } from '../../../src/ingest/import';
import { makeRaw } from './raw-helper';

let conn: NodeConnector;
beforeAll(async () => {
  conn = await NodeConnector.open();
  await ensureCanonicalTables(conn);
  // Loaded earlier: a municipality's schools, a КИМ description and another work's results.
  await conn.query({
    type: 'exec',
    sql: `INSERT INTO schools (year, school_id, name, settlement_type) VALUES (2022, '220001', 'Школа 1', 'село');
          INSERT INTO tasks (year, procedure, subject, grade, task, max_score) VALUES (2022, 'ВПР', 'История', 5, '1', 2);
          INSERT INTO assessment_results (year, procedure, subject, grade, school_id, student_id, primary_score) VALUES (2022, 'ВПР', 'История', 5, '220001', '1', 2)`,
  });
});
afterAll(() => conn.close());

test('«replace» empties only what a results file is the source of: never tasks, schools or class_teaching', async () => {
  const raw = await makeRaw(conn, 'ВПР 2022 Математика 5 класс.csv', ['логин школы', 'код обучающегося', 'класс', 'вариант', 'всего баллов', 'балл за 1', 'балл за 2', 'Учебник'], [
    ['sch220001', '40001', '5а', '1', '3', '1', '2', 'Виленкин'],
    ['sch220002', '40001', '5а', '1', '2', '1', '1', 'Виленкин'],
  ]);
  const plans = await planImport([raw]);
  expect(tablesReplaced(plans[0]!.mapping)).toEqual(['assessment_results', 'task_scores']);
  expect(tablesWritten(plans[0]!.mapping)).toEqual(['assessment_results', 'task_scores', 'tasks', 'schools', 'class_teaching']);
  const [report] = await runImport(conn, plans, { salt: 's', replace: true });
  expect(report!.schoolsAdded).toBe(1);
  const n = async (sql: string) => Number((await conn.query({ type: 'rows', sql }))[0]!.n);
  expect(await n(`SELECT count(*) AS n FROM tasks WHERE subject = 'История'`)).toBe(1);
  expect(await n(`SELECT count(*) AS n FROM schools WHERE school_id = '220001' AND settlement_type = 'село'`)).toBe(1);
  expect(await n(`SELECT count(*) AS n FROM schools`)).toBe(2);
  expect(await n(`SELECT count(*) AS n FROM assessment_results WHERE subject = 'История'`)).toBe(0);
  expect(await n(`SELECT count(*) AS n FROM assessment_results`)).toBe(2);
  expect(await n(`SELECT count(*) AS n FROM class_teaching`)).toBe(2);
});
