import { afterAll, beforeAll, expect, test } from 'vitest';
import { NodeConnector } from '../../../src/db/node-connector';
import { applyMapping, ensureCanonicalTables } from '../../../src/ingest/apply';
import { proposeMapping } from '../../../src/ingest/mapping';
import { makeRaw } from './raw-helper';

let conn: NodeConnector;
beforeAll(async () => {
  conn = await NodeConnector.open();
  await ensureCanonicalTables(conn);
  await conn.query({ type: 'exec', sql: `INSERT INTO schools (year, school_id, name) VALUES (2021, 'edu220001', 'Школа 1'), (2021, 'edu220002', 'Школа 2')` });
  await conn.query({
    type: 'exec',
    sql: `INSERT INTO tasks (year, procedure, subject, grade, task, max_score) VALUES
      (2021, 'ВПР', 'Математика', 4, '1', 2), (2021, 'ВПР', 'Математика', 4, '2', 2), (2021, 'ВПР', 'Математика', 4, '3', 2)`,
  });
  await conn.query({
    type: 'exec',
    sql: `INSERT INTO thresholds (year, procedure, subject, grade, mark3_from, mark4_from, mark5_from) VALUES (2021, 'ВПР', 'Математика', 4, 2, 4, 6)`,
  });
});
afterAll(() => conn.close());

const headers = [
  'логин школы', 'регион', 'номер обучающегося', 'код обучающегося', 'отметка за предыдущую четверть/триместр', 'пол', 'класс',
  'вариант', 'всего баллов', 'балл за 1', 'балл за 2', 'балл за 3', 'Учебник', 'Др.уч. автор/название',
];
const rows = [
  ['sch220001', 'Район', '1', '10001', '4', 'м', '4а', '1', '5', '2', '1', '2', 'Моро', null],
  ['sch220001', 'Район', '2', '10002', 'нет отметки', 'М', '4А', '2', '3', '1', 'X', '2', 'Моро', null],
  ['sch220001', 'Район', '3', '10003', '5', 'ж', '4б', 'отсутствовал', null, null, null, null, 'Моро', null],
  ['sch220002', 'Район', '4', '10004', '3', 'ж', 'нет', '1', '7', '2', '2', '2', 'Другой', 'Петерсон'],
  ['sch220002', 'Район', '5', '10005', '3', 'ж', 'б', '2', '2', '2', 'не пройд.', '0', 'Другой', 'Петерсон'],
  ['sch220002', 'Район', '6', '10001', '4', 'м', '4а', '1', '5', '2', '1', '2', 'Моро', null],
  ['sch229999', 'Район', '7', '10007', '4', 'м', '4а', '1', '5', '2', '1', '2', 'Моро', null],
  ['sch220002', 'Район', '8', '10008', '4', 'м', '4а', '1', '5', '3', '1', '1', 'Моро', null],
  ['sch220002', 'Район', '9', '10009', '4', 'м', '4а', '1', '-1', '0', '0', '0', 'Моро', null],
  ['sch220002', 'Район', '10', '10010', '5', 'ж', '4 в', '2', '6', 'х', '2', '2', 'Моро', null],
];

test('the regional ВПР export imports with every quirk counted', async () => {
  const raw = await makeRaw(conn, 'Проведение работы по Математике, 4 класс. ВПР 2021.csv', headers, rows);
  const m = proposeMapping(raw);
  expect(m.layout).toBe('vpr-regional');
  expect(m.target).toBe('assessment_results');
  expect(m.constants).toEqual({ year: 2021, procedure: 'ВПР', subject: 'Математика', grade: 4, retake: false });
  expect(m.columns.filter((c) => c.field === 'task').map((c) => c.task)).toEqual(['1', '2', '3']);
  const report = await applyMapping(conn, raw, m, { salt: 's' });
  expect(report.counts).toEqual({
    absent: 1,
    not_attempted: 3,
    journal_mark_invalid: 1,
    total_mismatch: 1,
    school_added: 1,
    task_out_of_range: 1,
    total_out_of_range: 2,
  });
  // Excluded: row 5 (total 7 above the maximum 6), row 9 (task 1 = 3 > 2), row 10 (total −1).
  // Kept: row 7 — code 10001 again but in another school; row 8 — school 229999 is added;
  // row 11 — «х» in task 1 counts 0, so the tasks sum to 4, but the official total 6 stays.
  expect(report.excludedRows).toBe(3);
  expect(report.schoolsAdded).toBe(1);
  const ar = await conn.query({
    type: 'rows',
    sql: `SELECT student_id, school_id, class, variant, primary_score, mark, journal_mark, gender, textbook, textbook_other
          FROM assessment_results ORDER BY student_id, school_id`,
  });
  expect(ar).toEqual([
    { student_id: '10001', school_id: 'edu220001', class: '4А', variant: '1', primary_score: 5, mark: 4, journal_mark: 4, gender: 'м', textbook: 'Моро', textbook_other: null },
    { student_id: '10001', school_id: 'edu220002', class: '4А', variant: '1', primary_score: 5, mark: 4, journal_mark: 4, gender: 'м', textbook: 'Моро', textbook_other: null },
    { student_id: '10002', school_id: 'edu220001', class: '4А', variant: '2', primary_score: 3, mark: 3, journal_mark: null, gender: 'м', textbook: 'Моро', textbook_other: null },
    { student_id: '10005', school_id: 'edu220002', class: '4Б', variant: '2', primary_score: 2, mark: 3, journal_mark: 3, gender: 'ж', textbook: 'Другой', textbook_other: 'Петерсон' },
    { student_id: '10007', school_id: '229999', class: '4А', variant: '1', primary_score: 5, mark: 4, journal_mark: 4, gender: 'м', textbook: 'Моро', textbook_other: null },
    { student_id: '10010', school_id: 'edu220002', class: '4В', variant: '2', primary_score: 6, mark: 5, journal_mark: 5, gender: 'ж', textbook: 'Моро', textbook_other: null },
  ]);
  const ts = await conn.query({ type: 'rows', sql: `SELECT student_id, school_id, task, score FROM task_scores ORDER BY student_id, school_id, task` });
  expect(ts.map((r) => `${r.student_id}@${r.school_id}:${r.task}=${r.score}`)).toEqual([
    '10001@edu220001:1=2', '10001@edu220001:2=1', '10001@edu220001:3=2',
    '10001@edu220002:1=2', '10001@edu220002:2=1', '10001@edu220002:3=2',
    '10002@edu220001:1=1', '10002@edu220001:2=0', '10002@edu220001:3=2',
    '10005@edu220002:1=2', '10005@edu220002:2=0', '10005@edu220002:3=0',
    '10007@229999:1=2', '10007@229999:2=1', '10007@229999:3=2',
    '10010@edu220002:1=0', '10010@edu220002:2=2', '10010@edu220002:3=2',
  ]);
  const [keys] = await conn.query({ type: 'rows', sql: `SELECT DISTINCT year, procedure, subject, grade FROM assessment_results` });
  expect(keys).toEqual({ year: 2021, procedure: 'ВПР', subject: 'Математика', grade: 4 });
  const added = await conn.query({ type: 'rows', sql: `SELECT year, school_id, name, municipality FROM schools WHERE school_id = '229999'` });
  expect(added).toEqual([{ year: 2021, school_id: '229999', name: null, municipality: 'Район' }]);
  const issues = await conn.query({ type: 'rows', sql: `SELECT "row", code, excluded FROM import_issues WHERE code IN ('duplicate', 'school_added', 'total_mismatch') ORDER BY "row"` });
  expect(issues).toEqual([
    { row: 8, code: 'school_added', excluded: false },
    { row: 11, code: 'total_mismatch', excluded: false },
  ]);
  const messages = await conn.query({ type: 'rows', sql: `SELECT "row", "column", message FROM import_issues WHERE code IN ('total_mismatch', 'task_out_of_range', 'school_added') ORDER BY "row"` });
  expect(messages).toEqual([
    { row: 8, column: 'логин школы', message: 'Добавлена ОО 229999 (2021 год): её не было в справочнике ОО' },
    { row: 9, column: 'балл за 1', message: 'Балл за задание 1 (3) вне диапазона 0…2' },
    { row: 11, column: 'всего баллов', message: 'Первичный балл 6 не равен сумме баллов за задания 4: оставлен балл из файла' },
  ]);
  // Per-participant textbooks give each class its most frequent one; «Другой» names the other textbook.
  const ct = await conn.query({ type: 'rows', sql: `SELECT school_id || ' ' || class || ': ' || textbook AS t FROM class_teaching ORDER BY 1` });
  expect(ct.map((r) => r.t)).toEqual(['229999 4А: Моро', 'edu220001 4А: Моро', 'edu220002 4А: Моро', 'edu220002 4Б: Петерсон', 'edu220002 4В: Моро']);
});
