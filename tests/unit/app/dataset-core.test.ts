import { afterAll, beforeAll, expect, test } from 'vitest';
import { NodeConnector } from '../../../src/db/node-connector';
import { canonicalRowCounts, planChange, summarizeData, summaryLine, yearLine } from '../../../src/app/dataset-core';

let conn: NodeConnector;
beforeAll(async () => {
  conn = await NodeConnector.open();
  await conn.query({ type: 'exec', sql: `CREATE TABLE schools (school_id VARCHAR, name VARCHAR)` });
  await conn.query({ type: 'exec', sql: `INSERT INTO schools VALUES ('1', 'А'), ('2', 'Б')` });
  await conn.query({ type: 'exec', sql: `CREATE TABLE thresholds (x INTEGER)` });
  await conn.query({ type: 'exec', sql: `INSERT INTO thresholds VALUES (1)` });
  await conn.query({ type: 'exec', sql: `CREATE TABLE tasks (x INTEGER)` });
  await conn.query({
    type: 'exec',
    sql: `CREATE TABLE assessment_results (year INTEGER, procedure VARCHAR, subject VARCHAR, grade INTEGER, school_id VARCHAR, student_id VARCHAR)`,
  });
  // Codes restart in every school: 40001 in school 1 and in school 2 are two pupils.
  await conn.query({
    type: 'exec',
    sql: `INSERT INTO assessment_results VALUES
      (2023, 'ВПР', 'Математика', 4, '1', '40001'), (2023, 'ВПР', 'Математика', 4, '2', '40001'), (2023, 'ВПР', 'Русский язык', 4, '1', '40001'),
      (2024, 'ВПР', 'Математика', 5, '1', '40001'), (2024, 'ОГЭ', 'Математика', 9, '2', '40002')`,
  });
});
afterAll(async () => conn.close());

test('leaving the demo clears every filled demo table but the reference thresholds; replacing own tables clears only those asked for', async () => {
  const counts = await canonicalRowCounts(conn);
  expect(counts).toEqual([
    { table: 'schools', rows: 2 },
    { table: 'assessment_results', rows: 5 },
    { table: 'tasks', rows: 0 },
    { table: 'thresholds', rows: 1 },
  ]);
  expect(planChange('demo', counts, { tables: ['task_scores'], mode: 'append' })).toEqual({
    leaveDemo: true,
    cleared: [
      { table: 'schools', rows: 2 },
      { table: 'assessment_results', rows: 5 },
    ],
    ignored: [],
  });
  expect(planChange('own', counts, { tables: ['schools', 'tasks', 'my_table'], mode: 'replace' })).toEqual({
    leaveDemo: false,
    cleared: [{ table: 'schools', rows: 2 }],
    ignored: ['my_table'],
  });
  expect(planChange('own', counts, { tables: ['schools'], mode: 'append' }).cleared).toEqual([]);
});

test('the data summary counts works, schools and participants per year (a participant is school + code)', async () => {
  const s = await summarizeData(conn, 'own');
  expect(s).toEqual({
    dataset: 'own',
    years: [2023, 2024],
    works: 4,
    schools: 2,
    results: 5,
    perYear: [
      { year: 2023, works: 2, schools: 2, results: 3, participants: 2 },
      { year: 2024, works: 2, schools: 2, results: 2, participants: 2 },
    ],
  });
  expect(summaryLine(s)).toBe('Ваши данные: 2023–2024 годы, 4 работы, 2 ОО, 5 результатов');
  expect(yearLine(s.perYear[0]!)).toBe('2023: 2 работы, 2 ОО, 2 участника');
});
