/**
 * A year's folder of mixed files (three result layouts, a «Классы» sheet, a КИМ description, a
 * context questionnaire) imports in one go through the CLI's path; per-file counts and means equal
 * an independent count over the raw rows, and GIA-07 by textbook and by settlement type runs on
 * these files alone.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { expandFiles } from '../../../scripts/import';
import { NodeConnector } from '../../../src/db/node-connector';
import type { ImportReport } from '../../../src/ingest/apply';
import { planImport, runImport } from '../../../src/ingest/import';
import { readFile } from '../../../src/ingest/read';
import type { RawSource } from '../../../src/ingest/read/types';
import { factorAnalysis } from '../../../src/indicators/analysis/factors';
import { DEFAULT_PARAMS } from '../../../src/indicators/types';

type Cell = string | number | null;
const book = (path: string, sheets: Array<[string, Cell[][]]>) => {
  const wb = XLSX.utils.book_new();
  for (const [name, aoa] of sheets) XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), name);
  writeFileSync(path, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }));
};
const csv = (path: string, rows: Cell[][]) => writeFileSync(path, rows.map((r) => r.map((v) => v ?? '').join(';')).join('\r\n') + '\r\n');

// 2022 «Протокол» (Математика 5): two schools, codes restarting; «Классы» per school and class.
const PROTOCOL: Cell[][] = [
  ['Пользователь', 'Школа', 'Код', 'Вариант', '1 (1б)', '2 (2б)', '3(1) (1б)', 'Наименование класса', 'Итого баллов'],
  ['edu220001', 'edu220001 | МБОУ СОШ №1', '40001', '1', 1, 2, 1, '5а', 4],
  ['edu220001', 'edu220001 | МБОУ СОШ №1', '40002', '2', 0, 1, 0, '5а', 1],
  ['edu220002', 'edu220002 | МБОУ СОШ №2', '40001', '1', 1, 1, 1, '5а', 3],
  ['edu220002', 'edu220002 | МБОУ СОШ №2', '40002', 'отсутствовал', null, null, null, '5а', null],
];
const CLASSES: Cell[][] = [
  ['Пользователь', 'Буква (цифра) класса', 'Основной учебник по предмету', 'Другое (автор учебника)', 'Другое (название учебника)'],
  ['edu220001', 'а', 'Виленкин Н.Я.', null, null],
  ['edu220002', 'а', 'Другое', 'Мерзляк А.Г.', 'Математика 5'],
];
// 2021-style regional export (Русский язык 4), tasks by sequence; textbooks per participant.
const REGIONAL: Cell[][] = [
  ['логин школы', 'регион', 'код обучающегося', 'класс', 'вариант', 'всего баллов', 'балл за 1', 'балл за 2', 'балл за 3', 'Учебник', 'Др.уч. автор', 'Др.уч. название'],
  ['sch220001', 'Район', '40001', '4а', '1', 4, 1, 2, 1, 'Канакина', null, null],
  ['sch220001', 'Район', '40002', '4а', '2', 2, 0, 1, 1, 'Канакина', null, null],
  ['sch220001', 'Район', '40003', '4а', '1', 3, 1, 1, 1, 'Другой', 'Иванов', 'Русский'],
  ['sch220002', 'Район', '40001', '4а', '1', 5, 1, 2, 2, 'Другой', 'Рамзаева Т.Г.', 'Русский язык'],
  ['sch220002', 'Район', '40002', '4а', '2', 1, 0, 0, 1, 'Другой', 'Рамзаева Т.Г.', 'Русский язык'],
  ['sch220002', 'Район', '40003', '4а', 'отсутствовал', null, null, null, null, null, null, null],
  ['sch220003', 'Район', '40001', '4б', '1', 2, 1, 1, 0, 'Канакина', null, null],
];
// КИМ of that work: `балл за 2` is task 2.1, `балл за 3` is 2.2; one row per task × КЭС.
const KIM: Cell[][] = [
  ['№', '№ КИМ', 'КЭС', 'Уровень', 'Максимальный балл'],
  [1, '1', '1.1', 'Б', 1],
  [null, null, '1.2', null, null],
  [2, '2.1', '2.1', 'Б', 2],
  [2, '2.1', '2.3', 'Б', 2],
  [3, '2.2', '3.1', 'П', 2],
];
// The 2020 coded dump (Математика 6).
const CODED: Cell[][] = [
  ['user', 'code', 'otc', 'gender', 'klass', 'var-1', 'sum', 'a-1-grade', 'a-2-grade'],
  ['sch220001', '30001', '4', 'м', 'а', '1', 3, 1, 2],
  ['sch220003', '30001', '5', 'ж', 'а', '2', 2, 1, 1],
];
const QUESTIONNAIRE: Cell[][] = [
  ['Пользователь', 'Наименование ОО', '1. Где расположена Ваша образовательная организация?', '2. Сколько всего учителей работает в ОО?', 'Телефон'],
  ['edu220001', 'МБОУ СОШ №1', 'Город', 40, '+7 999 000-00-01'],
  ['edu220002', 'МБОУ СОШ №2', 'Село', 12, '+7 999 000-00-02'],
  ['edu220003', 'МБОУ СОШ №3', 'ПГТ', 20, '+7 999 000-00-03'],
];

let dir: string;
let conn: NodeConnector;
let reports: ImportReport[];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ingest-folder-'));
  book(join(dir, 'Проведение работы по Математике, 5 класс. ВПР 2022.xlsx'), [['Протокол', PROTOCOL], ['Классы', CLASSES]]);
  csv(join(dir, 'ВПР 2022 Русский язык 4 класс.csv'), REGIONAL);
  book(join(dir, 'Описание КИМ ВПР 2022 Русский язык 4 класс.xlsx'), [['Описание', KIM]]);
  csv(join(dir, 'ВПР 2022 Математика 6 класс выгрузка.csv'), CODED);
  book(join(dir, 'Сбор контекстных данных об ОО 2022.xlsx'), [['Анкета', QUESTIONNAIRE]]);
  conn = await NodeConnector.open();
  // The same path as `npm run import -- <folder>` (scripts/import.ts): expand, read, plan, run.
  const raws: RawSource[] = [];
  for (const f of expandFiles([dir])) raws.push(...(await readFile(conn, basename(f), new Uint8Array(readFileSync(f)), { typed: false })));
  reports = await runImport(conn, await planImport(raws), { salt: 's' });
}, 120_000);
afterAll(async () => {
  await conn?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Scored participants and their mean total, counted from the raw rows (absent = «отсутствовал» variant). */
function independent(rows: Cell[][], variantCol: string, totalCol: string) {
  const [head, ...body] = rows;
  const v = head!.indexOf(variantCol);
  const t = head!.indexOf(totalCol);
  const scored = body.filter((r) => r[v] !== 'отсутствовал');
  return { scored: scored.length, absent: body.length - scored.length, mean: scored.reduce((s, r) => s + Number(r[t]), 0) / scored.length };
}

test('every file of the folder: its layout, scored and absent counts and mean score equal a count from the raw rows', async () => {
  const byFile = new Map(reports.map((r) => [`${r.file}|${r.sheet ?? ''}`, r]));
  // Schools and specifications before results, whatever the files' order in the folder.
  const layouts = reports.map((r) => r.layout);
  expect(layouts.slice(0, 3)).toEqual(['context', 'kim-spec', 'vpr-classes']);
  expect(layouts.slice(3).sort()).toEqual(['vpr-coded', 'vpr-protocol', 'vpr-regional']);
  const works: Array<[string, Cell[][], string, string, string]> = [
    ['Проведение работы по Математике, 5 класс. ВПР 2022.xlsx|Протокол', PROTOCOL, 'Вариант', 'Итого баллов', `subject = 'Математика' AND grade = 5`],
    ['ВПР 2022 Русский язык 4 класс.csv|', REGIONAL, 'вариант', 'всего баллов', `subject = 'Русский язык' AND grade = 4`],
    ['ВПР 2022 Математика 6 класс выгрузка.csv|', CODED, 'var-1', 'sum', `subject = 'Математика' AND grade = 6`],
  ];
  for (const [key, rows, variant, total, where] of works) {
    const want = independent(rows, variant, total);
    const r = byFile.get(key)!;
    expect([key, r.excludedRows, r.counts.absent ?? 0]).toEqual([key, 0, want.absent]);
    const [got] = await conn.query({ type: 'rows', sql: `SELECT count(*) AS n, avg(primary_score) AS mean FROM assessment_results WHERE year = 2022 AND procedure = 'ВПР' AND ${where}` });
    expect([key, Number(got!.n), got!.mean]).toEqual([key, want.scored, want.mean]);
  }
  // The КИМ, loaded first, relabels `балл за 3` to the printed 2.2.
  const ts = await conn.query({ type: 'rows', sql: `SELECT DISTINCT task FROM task_scores WHERE subject = 'Русский язык' ORDER BY task` });
  expect(ts.map((t) => t.task)).toEqual(['1', '2.1', '2.2']);
  const ct = await conn.query({ type: 'rows', sql: `SELECT school_id || ' ' || class || ' ' || subject || ': ' || textbook AS t FROM class_teaching ORDER BY 1` });
  expect(ct.map((r) => r.t)).toEqual([
    '220001 4А Русский язык: Канакина',
    '220001 5А Математика: Виленкин Н.Я.',
    '220002 4А Русский язык: Рамзаева Т.Г., Русский язык',
    '220002 5А Математика: Мерзляк А.Г., Математика 5',
    '220003 4Б Русский язык: Канакина',
  ]);
  // Schools: three from the questionnaire, none added by the result files.
  expect(reports.reduce((s, r) => s + (r.schoolsAdded ?? 0), 0)).toBe(0);
  expect((await conn.query({ type: 'rows', sql: `SELECT count(*) AS n FROM schools` }))[0]!.n).toBe(3);
});

test('GIA-07 by textbook and by settlement type on these files alone', async () => {
  const ctx = { conn, params: DEFAULT_PARAMS, tables: await conn.listTables() };
  const fa = await factorAnalysis(ctx, { year: 2022, procedure: 'ВПР', subject: 'Русский язык', grade: 4 });
  const means = (factor: string) =>
    Object.fromEntries(fa.groups.filter((g) => g.factor === factor && g.measure === 'score').map((g) => [g.group, [g.n, g.value]]));
  // Class textbook = its participants' most frequent: 220001 4А Канакина (2 of 3), 220002 4А Рамзаева; 220003 4Б Канакина.
  expect(means('textbook')).toEqual({ Канакина: [4, (4 + 2 + 3 + 2) / 4], 'Рамзаева Т.Г., Русский язык': [2, (5 + 1) / 2] });
  expect(means('settlement_type')).toEqual({ город: [3, 3], село: [2, 3], пгт: [1, 2] });
});
