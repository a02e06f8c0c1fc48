/** The layout registry: each header set is claimed by its layout's score, not by an if-cascade order. */
import { expect, test } from 'vitest';
import { planImport } from '../../../src/ingest/import';
import { LAYOUTS, LAYOUT_TITLES, MemoryMappingStore, proposeMapping, scoreLayouts } from '../../../src/ingest/mapping';
import type { RawSource } from '../../../src/ingest/read/types';
import { normalizeTitle, parseTaskTitle } from '../../../src/ingest/synonyms';

const raw = (headers: string[], extra: Partial<RawSource> = {}): RawSource => ({
  file: 'ВПР 2021 Математика 5 класс.xlsx',
  sheet: null,
  table: 't',
  columns: headers.map((_, i) => `c${i + 1}`),
  headers,
  headerRows: [],
  titleLines: [],
  firstDataRow: 2,
  rowCount: 0,
  ...extra,
});

const CASES: Array<[string, string[], Partial<RawSource>?]> = [
  ['vpr-coded', ['user', 'code', 'otc', 'gender', 'klass', 'var-1', 'sum', 'a-1-grade', 'a-2-grade', 'a-3-grade']],
  ['vpr-regional', ['логин школы', 'регион', 'номер обучающегося', 'код обучающегося', 'пол', 'класс', 'вариант', 'всего баллов', 'балл за 1', 'балл за 2', 'Учебник', 'Др.уч. автор', 'Др.уч. название']],
  ['vpr-protocol', ['Пользователь', 'Регион', 'Муниципалитет', 'Школа', 'Код', 'Вариант', '1 (1б)', '5(1) (1б)', '1К1 (4б)', 'Наименование класса', 'Итого баллов'], { sheet: 'Протокол' }],
  ['vpr-individual', ['ОО', 'Муниципалитет', 'Название ОО', 'Код участника', 'Класс', 'Вариант', '9.1 (1б)', '9.2 (2б)', 'Первичный балл', 'Отметка']],
  ['rcoi', ['Код МСУ', 'Код ОО', 'Класс', 'Фамилия', 'Имя', 'Задания с кратким ответом', 'Задания с развёрнутым ответом', 'Первичный балл', 'Балл']],
  ['vpr-classes', ['Буква (цифра) класса, в котором обучаются участники', 'Основной учебник по предмету', 'Другое (автор учебника)', 'Другое (название учебника)'], { sheet: 'Классы' }],
  ['kim-spec', ['№', '№ КИМ', 'Проверяемые требования (умения)', 'Блоки ПООП', 'КЭС', 'КТ', 'Уровень', 'Максимальный балл']],
  ['context', ['Пользователь', '1. Где расположена Ваша образовательная организация?', '2. Какова численность населения населённого пункта?', '3. Сколько всего учителей работает в ОО?', '4. Телефон ОО', '7.\tКод ОГЭ']],
  ['form', ['Учебный год', 'Код ОО', 'Класс', 'Предмет', 'Код педагога', 'Уровень изучения', 'Часов в неделю', 'Месяцев с классом', 'Учебник']],
  ['monitoring-wide', ['noo_students', 'bilet_6_11']],
];

test.each(CASES)('%s wins on its headers', (id, headers, extra) => {
  const r = raw(headers, extra);
  const m = proposeMapping(r);
  expect(m.layout).toBe(id);
  const scores = scoreLayouts({ raw: r, headers, norm: headers.map(normalizeTitle), titleLines: [], sheet: r.sheet, constants: {}, signature: '', firstSchool: null });
  // Strictly best, or tied only with later records (a generic results layout).
  expect(scores[0]!.layout.id).toBe(id);
  if (scores[1]) expect(scores[1].score).toBeLessThan(scores[0]!.score);
});

test('every layout has a Russian title and a unique id', () => {
  const ids = LAYOUTS.map((l) => l.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of [...ids, 'unknown']) expect(LAYOUT_TITLES[id]).toMatch(/[А-Яа-я]/);
});

test('the regional export: per-participant textbooks and the other textbook in two columns', () => {
  const m = proposeMapping(raw(CASES[1]![1]));
  const f = Object.fromEntries(m.columns.map((c) => [c.header, c.field]));
  expect([f['Учебник'], f['Др.уч. автор'], f['Др.уч. название'], f['регион'], f['код обучающегося']]).toEqual(['textbook', 'textbook_author', 'textbook_title', 'municipality', 'student_id']);
});

test('the questionnaire: question titles mapped, contact details never', () => {
  const m = proposeMapping(raw(CASES[7]![1]));
  const fields = m.columns.map((c) => c.field);
  expect(fields.filter((_, i) => i !== 4)).toEqual(['school_id', 'settlement_type', 'settlement_size', 'monitoring:teachers_total', 'oge_code']);
  // The phone column is dropped (as personal data or ignored), never kept as an extra column.
  expect(['ignore', 'personal']).toContain(fields[4]);
});

test('every task title form of real files, criteria included', () => {
  const titles = ['1 (1б)', '5(1) (1б)', '1.1 (1б)', '16 (1) (1б)', '5(1б)', '1К1 (4б)', '17К2 (1б)', '17K2 (1б)', 'балл за 3', 'a-2-grade', '3.1'];
  expect(titles.map((t) => parseTaskTitle(t))).toEqual([
    { task: '1', max: 1 },
    { task: '5.1', max: 1 },
    { task: '1.1', max: 1 },
    { task: '16.1', max: 1 },
    { task: '5', max: 1 },
    { task: '1К1', max: 4 },
    { task: '17К2', max: 1 },
    { task: '17К2', max: 1 },
    { task: '3', max: null, sequential: true },
    { task: '2', max: null, sequential: true },
    { task: '3.1', max: null },
  ]);
  for (const t of ['Код', 'Итого баллов', 'Вариант', '№ КИМ']) expect(parseTaskTitle(t)).toBeNull();
});

test('a stored mapping is reused for a file with spilled values, whose untitled columns stay ignored', async () => {
  const store = new MemoryMappingStore();
  const headers = CASES[2]![1];
  await store.put({ ...proposeMapping(raw(headers, { sheet: 'Протокол' })), confirmed: true });
  const [plan] = await planImport([raw([...headers, '', ''], { sheet: 'Протокол' })], store);
  expect(plan!.reused).toBe(true);
  expect(plan!.mapping.columns.slice(-2).map((c) => c.field)).toEqual(['ignore', 'ignore']);
});
