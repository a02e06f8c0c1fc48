/**
 * The 2022 «Протокол» layout on a hand-made region-like sheet: codes restarting in every school,
 * every task title form including criteria, a true duplicate, a mismatching total (kept), a total
 * above the maximum (excluded), a spilled cell, schools unknown to `schools` (added with names);
 * and the «Классы» sheet's textbooks reaching class_teaching.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { NodeConnector } from '../../../src/db/node-connector';
import { applyMapping, ensureCanonicalTables } from '../../../src/ingest/apply';
import { planImport, runImport } from '../../../src/ingest/import';
import { proposeMapping } from '../../../src/ingest/mapping';
import { makeRaw } from './raw-helper';

let conn: NodeConnector;
beforeEach(async () => {
  conn = await NodeConnector.open();
  await ensureCanonicalTables(conn);
});
afterEach(() => conn.close());
const rows = (sql: string) => conn.query({ type: 'rows', sql });

const TASKS = ['1 (1б)', '5(1) (1б)', '1.1 (1б)', '16 (1) (1б)', '5(1б)', '1К1 (4б)', '17К2 (1б)'];
const HEADERS = ['Пользователь', 'Регион', 'Муниципалитет', 'Школа', 'Код', 'Вариант', ...TASKS, 'Наименование класса', 'Пол', 'Отметка за предыдущий триместр/четверть/полугодие', 'Итого баллов', ''];
const school = (n: number, name: string) => [`edu22000${n}`, 'reg220000 | Алтайский край', 'Город', `edu22000${n} | ${name}`];
type Cell = string | number | null;
const row = (s: Cell[], code: string, scores: number[], total: Cell, spill: Cell = null): Cell[] => [...s, code, '1', ...scores, '11а', 'ж', '4', total, spill];
const S1 = school(1, 'МБОУ СОШ №1');
const S2 = school(2, 'Гимназия №2');
const S3 = school(3, 'Лицей №3');
const DATA: Cell[][] = [
  row(S1, '40001', [1, 1, 0, 1, 1, 3, 1], 8),
  row(S1, '40002', [0, 1, 1, 0, 0, 2, 0], 4),
  row(S2, '40001', [1, 0, 1, 1, 1, 4, 1], 9),
  row(S2, '40002', [1, 1, 1, 1, 1, 4, 1], 7), // tasks sum to 10: the official 7 stays
  row(S1, '40001', [1, 1, 0, 1, 1, 3, 1], 8), // the same school + code again: duplicate
  row(S2, '40003', [1, 1, 1, 1, 1, 4, 1], 11), // above the maximum 10
  row(S2, '40004', [0, 0, 0, 0, 0, 0, 0], 0, 'лишнее'),
  row(S3, '40001', [1, 0, 0, 0, 0, 1, 0], 2),
];

test('«Протокол»: per-school codes, every task title form, official totals, added schools, spilled cells', async () => {
  const raw = await makeRaw(conn, 'Проведение работы по Русскому языку, 11 класс. ВПР 2022.xlsx', HEADERS, DATA, { sheet: 'Протокол' });
  const m = proposeMapping(raw);
  expect(m.layout).toBe('vpr-protocol');
  expect(m.columns.filter((c) => c.field === 'task').map((c) => [c.task, c.max])).toEqual([
    ['1', 1], ['5.1', 1], ['1.1', 1], ['16.1', 1], ['5', 1], ['1К1', 4], ['17К2', 1],
  ]);
  const report = await applyMapping(conn, raw, m, { salt: 's' });
  expect(report.counts).toEqual({ total_mismatch: 1, duplicate: 1, total_out_of_range: 1, spill: 1, school_added: 3 });
  expect(report.schoolsAdded).toBe(3);

  // Independent count from the raw rows: all but the duplicate (5th) and the out-of-range total (6th).
  const kept = DATA.filter((_, i) => i !== 4 && i !== 5);
  const totalCol = HEADERS.indexOf('Итого баллов');
  const mean = kept.reduce((s, r) => s + Number(r[totalCol]), 0) / kept.length;
  const [ar] = await rows(`SELECT count(*) AS n, avg(primary_score) AS mean, count(DISTINCT student_id) AS codes FROM assessment_results`);
  expect({ n: Number(ar!.n), mean: ar!.mean, codes: Number(ar!.codes) }).toEqual({ n: kept.length, mean, codes: 3 });
  const ids = await rows(`SELECT school_id || '/' || student_id || '=' || CAST(primary_score AS INTEGER) AS p FROM assessment_results ORDER BY 1`);
  expect(ids.map((r) => r.p)).toEqual(['220001/40001=8', '220001/40002=4', '220002/40001=9', '220002/40002=7', '220002/40004=0', '220003/40001=2']);

  const ts = await rows(`SELECT count(*) AS n, count(DISTINCT task) AS tasks, sum(score) AS total FROM task_scores`);
  const firstTask = HEADERS.indexOf(TASKS[0]!);
  const cellSum = kept.reduce((s, r) => s + r.slice(firstTask, firstTask + TASKS.length).reduce((a: number, v) => a + Number(v), 0), 0);
  expect(ts[0]).toEqual({ n: kept.length * TASKS.length, tasks: TASKS.length, total: cellSum });
  const tasks = await rows(`SELECT task, max_score FROM tasks ORDER BY task`);
  expect(tasks.map((t) => `${t.task}:${t.max_score}`).sort()).toEqual(['1.1:1', '1:1', '16.1:1', '17К2:1', '1К1:4', '5.1:1', '5:1'].sort());

  const schools = await rows(`SELECT year, school_id, name, municipality FROM schools ORDER BY school_id`);
  expect(schools).toEqual([
    { year: 2022, school_id: '220001', name: 'МБОУ СОШ №1', municipality: 'Город' },
    { year: 2022, school_id: '220002', name: 'Гимназия №2', municipality: 'Город' },
    { year: 2022, school_id: '220003', name: 'Лицей №3', municipality: 'Город' },
  ]);
  const issues = await rows(`SELECT "row", "column", code, message, excluded FROM import_issues WHERE code IN ('spill', 'total_mismatch', 'duplicate', 'total_out_of_range') ORDER BY "row"`);
  expect(issues).toEqual([
    { row: 5, column: 'Итого баллов', code: 'total_mismatch', message: 'Первичный балл 7 не равен сумме баллов за задания 10: оставлен балл из файла', excluded: false },
    { row: 6, column: null, code: 'duplicate', message: 'Повтор участника 40001 в ОО 220001 (2022, ВПР, Русский язык, 11 класс)', excluded: true },
    { row: 7, column: 'Итого баллов', code: 'total_out_of_range', message: 'Первичный балл 11 вне диапазона 0…10', excluded: true },
    { row: 8, column: 'c18', code: 'spill', message: 'Значение в столбце без заголовка «c18»: «лишнее»', excluded: false },
  ]);
  // The spilled value is not stored anywhere.
  const cols = await rows(`SELECT column_name FROM information_schema.columns WHERE table_name = 'assessment_results'`);
  expect(cols.map((c) => c.column_name)).not.toContain('c18');
});

test('«Классы»: the main textbook, or «Другое» with author and title, per class in class_teaching', async () => {
  const file = 'Проведение работы по Русскому языку, 11 класс. ВПР 2022.xlsx';
  const protocol = await makeRaw(conn, file, HEADERS, DATA.slice(0, 2), { sheet: 'Протокол' });
  const classes = await makeRaw(
    conn,
    file,
    ['Буква (цифра) класса, в котором обучаются участники', 'Основной учебник по предмету', 'Другое (автор учебника)', 'Другое (название учебника)'],
    [
      ['а', 'Другое', 'Иванов И.И.', 'Русский язык. 10–11 классы'],
      ['Б', 'Гольцова Н.Г. и др.', null, null],
    ],
    { sheet: 'Классы' },
  );
  const plans = await planImport([protocol, classes]);
  expect(plans.map((p) => p.mapping.layout)).toEqual(['vpr-protocol', 'vpr-classes']);
  await runImport(conn, plans, { salt: 's' });
  const ct = await rows(`SELECT year, school_id, class, subject, textbook FROM class_teaching ORDER BY class`);
  expect(ct).toEqual([
    { year: 2022, school_id: '220001', class: '11А', subject: 'Русский язык', textbook: 'Иванов И.И., Русский язык. 10–11 классы' },
    { year: 2022, school_id: '220001', class: '11Б', subject: 'Русский язык', textbook: 'Гольцова Н.Г. и др.' },
  ]);
});
