/** КИМ descriptions (one row per task × КЭС × КТ) and the context questionnaire, on hand-made sheets. */
import { afterEach, beforeEach, expect, test } from 'vitest';
import { NodeConnector } from '../../../src/db/node-connector';
import { ensureCanonicalTables } from '../../../src/ingest/apply';
import { forecastImport } from '../../../src/ingest/forecast';
import { planImport, runImport } from '../../../src/ingest/import';
import { makeRaw } from './raw-helper';

let conn: NodeConnector;
beforeEach(async () => {
  conn = await NodeConnector.open();
  await ensureCanonicalTables(conn);
});
afterEach(() => conn.close());
const rows = (sql: string) => conn.query({ type: 'rows', sql });
type Cell = string | number | null;

// 15 tasks; task 5 is printed as 5.1 and 5.2 (so `балл за 6` is task 5.2); 48 rows in all.
const PRINTED = ['1', '2', '3', '4', '5.1', '5.2', '6', '7', '8', '9', '10', '11', '12', '13', '14'];
const ROWS_PER_TASK = [4, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 5];
const MAX = [1, 1, 2, 1, 1, 2, 1, 2, 1, 1, 2, 1, 2, 3, 2];
function kimRows(): Cell[][] {
  const out: Cell[][] = [];
  PRINTED.forEach((printed, i) => {
    for (let k = 0; k < ROWS_PER_TASK[i]!; k++) {
      const kes = `${i + 1}.${(k % 2) + 1}`; // repeats: the distinct КЭС are 2 per task
      const kt = `${k + 1}`;
      // Odd tasks repeat their cells on every row, even ones leave them to the first (merged cells).
      const own = k === 0 || i % 2 === 0;
      out.push([own ? i + 1 : null, own ? printed : null, own ? `Умение ${i + 1}` : null, kes, kt, own ? (i < 10 ? 'Б' : 'П') : null, own ? MAX[i]! : null]);
    }
  });
  return out;
}

test('КИМ description: 48 rows of task × КЭС × КТ → 15 tasks; `балл за N` relabelled to the printed number', async () => {
  const kim = kimRows();
  expect(kim).toHaveLength(48);
  const spec = await makeRaw(conn, 'Описание КИМ ВПР 2021 Математика 5 класс.xlsx', ['№', '№ КИМ', 'Проверяемые требования (умения)', 'КЭС', 'КТ', 'Уровень', 'Максимальный балл'], kim);
  const results = await makeRaw(
    conn,
    'ВПР 2021 Математика 5 класс.csv',
    ['логин школы', 'код обучающегося', 'класс', 'вариант', 'всего баллов', ...PRINTED.map((_, i) => `балл за ${i + 1}`)],
    [['sch220001', '40001', '5а', '1', String(MAX.reduce((a, b) => a + b, 0)), ...MAX.map(String)]],
  );
  const plans = await planImport([results, spec]);
  expect(plans.map((p) => p.mapping.layout)).toEqual(['vpr-regional', 'kim-spec']);
  // The forecast of the description: 15 tasks from 48 rows, nothing written.
  const fc = await forecastImport(conn, spec, plans[1]!.mapping, { salt: 's' });
  expect([fc.rows, fc.willLoad, fc.excluded, fc.rules]).toEqual([15, 15, 0, []]);
  expect((await rows(`SELECT count(*) AS n FROM tasks`))[0]!.n).toBe(0);
  const reports = await runImport(conn, plans, { salt: 's' });
  expect(reports.map((r) => [r.layout, r.written.tasks ?? 0, r.excludedRows])).toEqual([
    ['kim-spec', 15, 0],
    ['vpr-regional', 0, 0],
  ]);
  const tasks = await rows(`SELECT task, seq, max_score, level, section, kt FROM tasks ORDER BY CAST(seq AS INTEGER)`);
  expect(tasks.map((t) => t.task)).toEqual(PRINTED);
  expect(tasks.map((t) => t.max_score)).toEqual(MAX);
  expect(tasks[0]).toEqual({ task: '1', seq: '1', max_score: 1, level: 'базовый', section: '1.1, 1.2', kt: '1, 2, 3, 4' });
  expect(tasks[14]).toEqual({ task: '14', seq: '15', max_score: 2, level: 'повышенный', section: '15.1, 15.2', kt: '1, 2, 3, 4, 5' });
  // Every task's КЭС: the distinct codes of its rows, computed here from the raw rows.
  let r = 0;
  const expectedKes = ROWS_PER_TASK.map((n) => [...new Set(kim.slice(r, (r += n)).map((x) => String(x[3])))].sort().join(', '));
  expect(tasks.map((t) => t.section)).toEqual(expectedKes);
  const ts = await rows(`SELECT task, score FROM task_scores ORDER BY score, task`);
  expect(ts.map((t) => t.task).sort()).toEqual([...PRINTED].sort());
  expect((await rows(`SELECT score FROM task_scores WHERE task = '5.2'`))[0]!.score).toBe(2);
});

const Q_HEADERS = [
  'Пользователь',
  'Наименование ОО',
  '1. Где расположена Ваша образовательная организация?',
  '2. Какова численность населения населённого пункта, в котором расположена ОО?',
  '3. Сколько всего учителей работает в ОО?',
  '4. Сколько учителей имеют высшую квалификационную категорию?',
  '5. Сколько учителей моложе 30 лет?',
  '6. Сколько учителей пенсионного возраста?',
  'Телефон',
  'Адрес электронной почты',
  'Адрес ОО',
  '7.\tКод ОГЭ',
];
const Q_ROWS: Cell[][] = [
  ['edu220001', 'МБОУ СОШ №1', 'Столица', 'более 1 млн', 60, 20, 8, 10, '+7 (3852) 11-22-33', 'school1@edu.ru', 'г. Барнаул, ул. Ленина, 1', '2201'],
  ['edu220002', 'МБОУ СОШ №2', 'ПГТ', 'от 10 до 50 тыс.', 25, 6, 2, 5, '8-385-22-33-44', 'school2@edu.ru', 'пгт Южный, ул. Мира, 2', '2202'],
  ['edu220003', 'МКОУ ООШ №3', 'Село', 'до 1 тыс.', 9, 1, 0, 4, '8-385-33-44-55', 'school3@edu.ru', 'с. Луговое, ул. Школьная, 3', null],
];

test('context questionnaire: question titles → schools and monitoring; no phone, e-mail or address anywhere', async () => {
  const raw = await makeRaw(conn, 'Сбор контекстных данных об ОО 2022.xlsx', Q_HEADERS, Q_ROWS);
  const plans = await planImport([raw]);
  expect(plans[0]!.mapping.layout).toBe('context');
  const fc = await forecastImport(conn, raw, plans[0]!.mapping, { salt: 's' });
  expect([fc.rows, fc.willLoad]).toEqual([3, 3]);
  // Samples never show the dropped contact columns' values.
  expect(JSON.stringify(fc.samples)).not.toContain('edu.ru');
  const [report] = await runImport(conn, plans, { salt: 's' });
  expect(report!.written).toEqual({ schools: 3, monitoring: 12 });
  const schools = await rows(`SELECT year, school_id, name, settlement_type, settlement_size, oge_code FROM schools ORDER BY school_id`);
  expect(schools).toEqual([
    { year: 2022, school_id: '220001', name: 'МБОУ СОШ №1', settlement_type: 'город', settlement_size: 'более 1 млн', oge_code: '2201' },
    { year: 2022, school_id: '220002', name: 'МБОУ СОШ №2', settlement_type: 'пгт', settlement_size: 'от 10 до 50 тыс.', oge_code: '2202' },
    { year: 2022, school_id: '220003', name: 'МКОУ ООШ №3', settlement_type: 'село', settlement_size: 'до 1 тыс.', oge_code: null },
  ]);
  const mon = await rows(`SELECT school_id, code, value FROM monitoring ORDER BY school_id, code`);
  const codes = ['teachers_total', 'teachers_higher_category', 'teachers_under_30', 'teachers_pension_age'];
  const expected = Q_ROWS.flatMap((r) => codes.map((code, k) => ({ school_id: String(r[0]).slice(3), code, value: Number(r[4 + k]) })));
  expect(mon).toEqual(expected.sort((a, b) => a.school_id.localeCompare(b.school_id) || a.code.localeCompare(b.code)));
  // Contact details are never stored: no column and no value in any table or in the issue list.
  const tables = (await rows(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'`)).map((t) => String(t.table_name));
  let dump = '';
  for (const t of tables) dump += JSON.stringify(await rows(`SELECT * FROM "${t}"`), (_, v) => (typeof v === 'bigint' ? Number(v) : v));
  const cols = (await rows(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'main'`)).map((c) => String(c.column_name));
  for (const c of cols) expect(c).not.toMatch(/телефон|почт|адрес/i);
  for (const r of Q_ROWS) for (const v of r.slice(8, 11)) expect(dump).not.toContain(String(v));
});

test('a КИМ description loaded after its results (another import) relabels `балл за N` to the printed numbers', async () => {
  const results = await makeRaw(
    conn,
    'ВПР 2021 Математика 5 класс.csv',
    ['логин школы', 'код обучающегося', 'класс', 'вариант', 'всего баллов', ...PRINTED.map((_, i) => `балл за ${i + 1}`)],
    [
      ['sch220001', '40001', '5а', '1', '15', ...PRINTED.map(() => '1')],
      ['sch220002', '40001', '5а', '1', '14', ...PRINTED.map((_, i) => (i === 14 ? '0' : '1'))],
    ],
  );
  await runImport(conn, await planImport([results]), { salt: 's' });
  const before = await rows(`SELECT DISTINCT task FROM task_scores ORDER BY CAST(task AS INTEGER)`);
  expect(before.map((t) => t.task)).toEqual(PRINTED.map((_, i) => String(i + 1)));
  const spec = await makeRaw(conn, 'Описание КИМ ВПР 2021 Математика 5 класс.xlsx', ['№', '№ КИМ', 'Проверяемые требования (умения)', 'КЭС', 'КТ', 'Уровень', 'Максимальный балл'], kimRows());
  const [report] = await runImport(conn, await planImport([spec]), { salt: 's' });
  expect(report!.written).toEqual({ tasks: 15, task_scores: 30 });
  const after = await rows(`SELECT task, sum(score) AS s FROM task_scores GROUP BY task`);
  expect(after.map((t) => t.task).sort()).toEqual([...PRINTED].sort());
  // The last task (`балл за 15`) is the printed 14: one point from the first school only.
  expect(after.find((t) => t.task === '14')!.s).toBe(1);
  // A second description of the same work changes nothing more.
  const again = await runImport(conn, await planImport([spec]), { salt: 's' });
  expect(again[0]!.written.task_scores).toBeUndefined();
});

test('a questionnaire loaded after results completes the schools the results added; loading it again adds nothing', async () => {
  const results = await makeRaw(conn, 'ВПР 2022 Математика 5 класс.csv', ['логин школы', 'код обучающегося', 'класс', 'вариант', 'всего баллов', 'балл за 1', 'балл за 2'], [
    ['sch220001', '40001', '5а', '1', '1', '1', '0'],
    ['sch220002', '40001', '5а', '1', '0', '0', '0'],
  ]);
  const [r1] = await runImport(conn, await planImport([results]), { salt: 's' });
  expect(r1!.schoolsAdded).toBe(2);
  const raw = await makeRaw(conn, 'Сбор контекстных данных об ОО 2022.xlsx', Q_HEADERS, Q_ROWS);
  const [r2] = await runImport(conn, await planImport([raw]), { salt: 's' });
  expect([r2!.written, r2!.excludedRows]).toEqual([{ schools: 3, monitoring: 12 }, 0]);
  const schools = await rows(`SELECT school_id, name, settlement_type FROM schools ORDER BY school_id`);
  expect(schools).toEqual([
    { school_id: '220001', name: 'МБОУ СОШ №1', settlement_type: 'город' },
    { school_id: '220002', name: 'МБОУ СОШ №2', settlement_type: 'пгт' },
    { school_id: '220003', name: 'МКОУ ООШ №3', settlement_type: 'село' },
  ]);
  await runImport(conn, await planImport([raw]), { salt: 's' });
  const [n] = await rows(`SELECT (SELECT count(*) FROM schools) AS s, (SELECT count(*) FROM monitoring) AS m`);
  expect([Number(n!.s), Number(n!.m)]).toEqual([3, 12]);
});
