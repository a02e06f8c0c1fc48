import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { NodeConnector } from '../../../src/db/node-connector';
import { issuesCsv, planImport, runImport } from '../../../src/ingest/import';
import { MemoryMappingStore } from '../../../src/ingest/mapping';
import { pseudonymize } from '../../../src/ingest/pseudonym';
import { readFile } from '../../../src/ingest/read';
import type { RawSource } from '../../../src/ingest/read/types';

const FIX = join(import.meta.dirname, '../../fixtures/ingest');
const REFERENCE = readFileSync(join(import.meta.dirname, '../../../datasets/reference/thresholds.csv'), 'utf8');

let conn: NodeConnector;
beforeEach(async () => {
  conn = await NodeConnector.open();
});
afterEach(() => conn.close());

async function read(...files: string[]): Promise<RawSource[]> {
  const out: RawSource[] = [];
  for (const f of files) out.push(...(await readFile(conn, f, new Uint8Array(readFileSync(join(FIX, f))), { typed: false })));
  return out;
}
const rows = (sql: string) => conn.query({ type: 'rows', sql });

test('РЦОИ ОГЭ protocol: cp1251, title line, answer strings, personal data replaced by a salted hash', async () => {
  const plans = await planImport(await read('ОГЭ Математика 2024 протокол.csv'));
  expect(plans[0]!.mapping.layout).toBe('rcoi');
  expect(plans[0]!.mapping.constants).toEqual({ year: 2024, procedure: 'ОГЭ', subject: 'Математика', grade: 9 });
  const [report] = await runImport(conn, plans, { salt: 'соль' });
  expect(report!.counts).toEqual({ not_attempted: 1, task_out_of_range: 1, school_added: 1 });
  expect(report!.excludedRows).toBe(1);
  // The school is the last hashed part: a person is identified within a school, as a code is.
  const ivanov = await pseudonymize('соль', ['Иванов', 'Иван', 'Иванович', '0101', '123456', '220001']);
  const petrova = await pseudonymize('соль', ['Петрова', 'Анна', 'Сергеевна', '0101', '654321', '220001']);
  const ar = await rows(`SELECT student_id, school_id, class, primary_score, mark, test_score FROM assessment_results ORDER BY primary_score, student_id`);
  expect(ar).toEqual(
    [
      { student_id: ivanov, school_id: '220001', class: '9А', primary_score: 5, mark: 3, test_score: null },
      { student_id: petrova, school_id: '220001', class: '9А', primary_score: 5, mark: 3, test_score: null },
    ].sort((a, b) => a.student_id.localeCompare(b.student_id)),
  );
  const ts = await rows(`SELECT task, score FROM task_scores WHERE student_id = '${petrova}' ORDER BY CAST(task AS INTEGER)`);
  expect(ts.map((r) => r.score)).toEqual([1, 2, 0, 1, 1, 0]);
  const tasks = await rows(`SELECT task, max_score, part FROM tasks ORDER BY CAST(task AS INTEGER)`);
  expect(tasks).toEqual([
    { task: '1', max_score: 1, part: '1' },
    { task: '2', max_score: null, part: '1' },
    { task: '3', max_score: 1, part: '1' },
    { task: '4', max_score: 1, part: '1' },
    { task: '5', max_score: 2, part: '2' },
    { task: '6', max_score: 2, part: '2' },
  ]);
  // No personal data anywhere: neither a column nor a value.
  const cols = await rows(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'main'`);
  expect(cols.map((c) => c.column_name)).not.toContain('Фамилия');
  const dump = JSON.stringify(await rows(`SELECT * FROM assessment_results`)) + (await issuesCsv(conn));
  for (const p of ['Иванов', 'Петрова', 'Сидоров', '123456']) expect(dump).not.toContain(p);
});

test('old coded ВПР dump with constants set by the user; marks derived from the reference scale', async () => {
  const plans = await planImport(await read('vpr_dump_matematika_4_2021.csv'));
  expect(plans[0]!.mapping.layout).toBe('vpr-coded');
  const reports = await runImport(conn, plans, { salt: 's', set: { subject: 'Математика', grade: 4 }, referenceThresholds: REFERENCE });
  // Code 30002 in two schools: two participants. No schools loaded: both schools come from the file.
  expect(reports[0]!.counts).toEqual({ not_attempted: 2, total_out_of_range: 1, school_added: 2 });
  const ar = await rows(`SELECT year, procedure, subject, grade, school_id, class, student_id, primary_score, mark, journal_mark, gender FROM assessment_results ORDER BY student_id`);
  expect(ar).toEqual([
    { year: 2021, procedure: 'ВПР', subject: 'Математика', grade: 4, school_id: '220001', class: '4А', student_id: '30001', primary_score: 5, mark: 2, journal_mark: 5, gender: 'м' },
    { year: 2021, procedure: 'ВПР', subject: 'Математика', grade: 4, school_id: '220001', class: '4А', student_id: '30002', primary_score: 4, mark: 2, journal_mark: 4, gender: 'ж' },
    { year: 2021, procedure: 'ВПР', subject: 'Математика', grade: 4, school_id: '220002', class: '4А', student_id: '30002', primary_score: 4, mark: 2, journal_mark: 4, gender: 'ж' },
  ]);
  expect((await rows(`SELECT count(*) AS n FROM task_scores`))[0]!.n).toBe(9);
  expect(await rows(`SELECT year, school_id FROM schools ORDER BY school_id`)).toEqual([{ year: 2021, school_id: '220001' }, { year: 2021, school_id: '220002' }]);
});

test('wide monitoring sheet unpivots into monitoring, the total row at municipality level', async () => {
  const plans = await planImport(await read('monitoring_2024.csv'));
  expect(plans[0]!.mapping.target).toBe('monitoring');
  await runImport(conn, plans, { salt: 's' });
  const m = await rows(`SELECT year, school_id, code, value FROM monitoring ORDER BY school_id NULLS LAST, code`);
  expect(m).toEqual([
    { year: 2024, school_id: '220001', code: 'bilet_6_11', value: 45 },
    { year: 2024, school_id: '220001', code: 'noo_students', value: 320 },
    { year: 2024, school_id: '220002', code: 'noo_students', value: 80 },
    { year: 2024, school_id: null, code: 'bilet_6_11', value: 45 },
    { year: 2024, school_id: null, code: 'noo_students', value: 400 },
  ]);
});

test('a confirmed mapping is stored and reused for the next file of the same layout', async () => {
  const store = new MemoryMappingStore();
  const first = await planImport(await read('vpr_dump_matematika_4_2021.csv'), store);
  expect(first[0]!.reused).toBe(false);
  // The user corrects a column: `otc` is not the journal mark in their region.
  const otc = first[0]!.mapping.columns.find((c) => c.header === 'otc')!;
  otc.field = 'extra';
  await runImport(conn, first, { salt: 's', set: { subject: 'Математика', grade: 4 }, store });
  const second = await planImport(await read('vpr_dump_matematika_4_2021.csv'), store);
  expect(second[0]!.reused).toBe(true);
  expect(second[0]!.mapping.columns.find((c) => c.header === 'otc')!.field).toBe('extra');
  expect(second[0]!.mapping.columns.filter((c) => c.field === 'task').map((c) => c.task)).toEqual(['1', '2', '3']);
});

test('«Индивидуальные результаты»: title row, task levels above the header, a school row per block', async () => {
  const plans = await planImport(await read('ВПР Русский язык 4 индивидуальные.xlsx'));
  const m = plans[0]!.mapping;
  expect(m.layout).toBe('vpr-individual');
  expect(m.constants).toEqual({ year: 2021, procedure: 'ВПР', subject: 'Русский язык', grade: 4, retake: false });
  expect(m.columns.filter((c) => c.field === 'task').map((c) => [c.task, c.max, c.level])).toEqual([
    ['1', 2, 'базовый'],
    ['9.1', 1, 'базовый'],
    ['9.2', 2, 'повышенный'],
  ]);
  const [report] = await runImport(conn, plans, { salt: 's', referenceThresholds: REFERENCE });
  expect(report!.counts).toEqual({ absent: 1, not_attempted: 1, task_out_of_range: 1, total_out_of_range: 1, school_added: 1 });
  expect(report!.excludedRows).toBe(1);
  const ar = await rows(`SELECT school_id, class, student_id, variant, primary_score, mark, journal_mark, school_name FROM assessment_results ORDER BY student_id`);
  expect(ar).toEqual([
    { school_id: '220001', class: '4А', student_id: '40001', variant: '1', primary_score: 5, mark: 4, journal_mark: 4, school_name: 'МБОУ СОШ №1' },
    { school_id: '220001', class: '4А', student_id: '40002', variant: '2', primary_score: 2, mark: 2, journal_mark: 3, school_name: 'МБОУ СОШ №1' },
  ]);
  const ts = await rows(`SELECT student_id || ':' || task || '=' || score AS s FROM task_scores ORDER BY student_id, task`);
  expect(ts.map((r) => r.s)).toEqual(['40001:1=2.0', '40001:9.1=1.0', '40001:9.2=2.0', '40002:1=1.0', '40002:9.1=0.0', '40002:9.2=1.0']);
  const tasks = await rows(`SELECT task, max_score, level FROM tasks ORDER BY task`);
  expect(tasks).toEqual([
    { task: '1', max_score: 2, level: 'базовый' },
    { task: '9.1', max_score: 1, level: 'базовый' },
    { task: '9.2', max_score: 2, level: 'повышенный' },
  ]);
});

test('«Протокол» with its «Классы» sheet and the КИМ specification', async () => {
  const plans = await planImport(await read('Проведение работы по Математике, 5 класс. ВПР 2021.xlsx', 'Описание КИМ ВПР 2021 Математика 5 класс.xlsx'));
  expect(plans.map((p) => [p.raw.sheet, p.mapping.layout, p.mapping.target])).toEqual([
    ['Протокол', 'vpr-protocol', 'assessment_results'],
    ['Классы', 'vpr-classes', 'class_teaching'],
    ['Описание КИМ', 'kim-spec', 'tasks'],
  ]);
  const reports = await runImport(conn, plans, { salt: 's', referenceThresholds: REFERENCE });
  const byLayout = Object.fromEntries(reports.map((r) => [r.layout, r]));
  expect(byLayout['vpr-protocol']!.counts).toEqual({ absent: 1, not_attempted: 1, task_out_of_range: 1, total_out_of_range: 1, journal_mark_invalid: 1, school_added: 1 });
  expect(await rows(`SELECT year, school_id, name, municipality FROM schools`)).toEqual([{ year: 2021, school_id: '220001', name: 'МБОУ СОШ №1', municipality: 'Демо-район' }]);
  expect(byLayout['kim-spec']!.written).toEqual({ tasks: 4 });
  const ar = await rows(`SELECT school_id, class, student_id, primary_score, mark, journal_mark, municipality FROM assessment_results ORDER BY student_id`);
  // No mark column: marks from the 2021 grade-5 mathematics scale (7 / 11 / 15).
  expect(ar).toEqual([
    { school_id: '220001', class: '5А', student_id: '50001', primary_score: 6, mark: 2, journal_mark: 5, municipality: 'Демо-район' },
    { school_id: '220001', class: '5А', student_id: '50002', primary_score: 1, mark: 2, journal_mark: 3, municipality: 'Демо-район' },
    { school_id: '220001', class: null, student_id: '50005', primary_score: 3, mark: 2, journal_mark: null, municipality: 'Демо-район' },
  ]);
  const ts = await rows(`SELECT task, score FROM task_scores WHERE student_id = '50001' ORDER BY task`);
  expect(ts).toEqual([
    { task: '1', score: 1 },
    { task: '2', score: 2 },
    { task: '5.1', score: 1 },
    { task: '5.2', score: 2 },
  ]);
  const tasks = await rows(`SELECT year, procedure, subject, grade, task, max_score, section, level, kes, skill FROM tasks ORDER BY task`);
  // With a КЭС column, `section` is the task's КЭС codes; the skill text is kept as `skill`.
  expect(tasks.map((t) => [t.task, t.max_score, t.level, t.section, t.kes, t.skill])).toEqual([
    ['1', 1, 'базовый', '1.1', '1.1', 'Вычисления'],
    ['2', 2, 'базовый', '1.2', '1.2', 'Текстовые задачи'],
    ['5.1', 1, 'повышенный', '3.1', '3.1', 'Геометрия'],
    ['5.2', 2, 'высокий', '3.1', '3.1', 'Геометрия'],
  ]);
  expect(tasks[0]).toMatchObject({ year: 2021, procedure: 'ВПР', subject: 'Математика', grade: 5 });
  const ct = await rows(`SELECT year, school_id, class, subject, textbook FROM class_teaching ORDER BY class`);
  expect(ct).toEqual([
    { year: 2021, school_id: '220001', class: '5А', subject: 'Математика', textbook: 'Виленкин Н.Я. и др.' },
    { year: 2021, school_id: '220001', class: '5Б', subject: 'Математика', textbook: 'Мерзляк А.Г. и др.' },
  ]);
});

test('context questionnaire → schools and monitoring; exam-centre school codes resolve through it', async () => {
  const plans = await planImport(await read('ОГЭ Математика 2024 протокол.csv', 'Сбор контекстных данных об ОО 2021.xlsx'));
  const reports = await runImport(conn, plans, { salt: 's' });
  expect(reports.map((r) => r.layout)).toEqual(['context', 'rcoi']);
  const schools = await rows(`SELECT year, school_id, name, settlement_type, oge_code FROM schools ORDER BY school_id, year`);
  expect(schools).toEqual([
    { year: 2021, school_id: '220001', name: 'МБОУ СОШ №1', settlement_type: 'город', oge_code: '220001' },
    // The 2024 ОГЭ file's school had no 2024 row: added, with name and settlement type of its latest year.
    { year: 2024, school_id: '220001', name: 'МБОУ СОШ №1', settlement_type: 'город', oge_code: null },
    { year: 2021, school_id: '220002', name: 'МБОУ СОШ №2', settlement_type: 'село', oge_code: '220002' },
    { year: 2021, school_id: '220003', name: 'МБОУ СОШ №3', settlement_type: 'город', oge_code: '220003' },
  ]);
  const mon = await rows(`SELECT code, sum(value) AS v, count(*) AS n FROM monitoring GROUP BY code ORDER BY code`);
  expect(mon).toEqual([
    { code: 'teachers_higher_category', v: 34, n: 3 },
    { code: 'teachers_total', v: 107, n: 3 },
    { code: 'teachers_under_30', v: 15, n: 3 },
  ]);
  const ar = await rows(`SELECT DISTINCT school_id FROM assessment_results`);
  expect(ar).toEqual([{ school_id: '220001' }]);
});

test('a canonical file read by the app straight into its table (typed by inference) imports once, with contract types', async () => {
  const csv = 'year;school_id;name;settlement_type;students_total;shnor\n2024;220001;Школа 1;Город;120;да\n2024;220002;Школа 2;село;80;нет\n';
  const sources = await readFile(conn, 'schools.csv', new TextEncoder().encode(csv));
  expect(sources[0]!.typedTable).toBe('schools');
  const plans = await planImport(sources);
  expect(plans[0]!.mapping).toMatchObject({ layout: 'canonical', target: 'schools' });
  const [report] = await runImport(conn, plans, { salt: 's' });
  expect(report!.counts).toEqual({});
  const rows = await conn.query({ type: 'rows', sql: `SELECT year, school_id, name, settlement_type, students_total, shnor FROM schools ORDER BY school_id` });
  expect(rows).toEqual([
    { year: 2024, school_id: '220001', name: 'Школа 1', settlement_type: 'город', students_total: 120, shnor: true },
    { year: 2024, school_id: '220002', name: 'Школа 2', settlement_type: 'село', students_total: 80, shnor: false },
  ]);
  const [type] = await conn.query({ type: 'rows', sql: `SELECT data_type FROM information_schema.columns WHERE table_name = 'schools' AND column_name = 'school_id'` });
  expect(type!.data_type).toBe('VARCHAR');
});
