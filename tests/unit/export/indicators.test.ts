import { describe, expect, test } from 'vitest';
import * as XLSX from 'xlsx';
import { buildIndicatorWorkbook, indicatorWorkbook } from '../../../src/export/indicators';
import { demoAvailable, openDemo } from '../indicators/demo';
import type { IndicatorRow } from '../../../src/indicators/types';

const row = (o: Partial<IndicatorRow>): IndicatorRow => ({
  indicator_id: 'PREP-14', year: 2025, procedure: null, subject: null, grade: null, school_id: null,
  dimension: null, dimension_value: null, numerator: null, denominator: null, value: null, ...o,
});

const ROWS: IndicatorRow[] = [
  row({ indicator_id: 'PED-01', school_id: 'ОО-2', numerator: 3, denominator: 12, value: 0.25 }),
  row({ indicator_id: 'PREP-14', school_id: 'ОО-10', procedure: 'ОГЭ', subject: 'Математика', grade: 9, numerator: 2, denominator: 40, value: 0.05 }),
  row({ indicator_id: 'PREP-14', school_id: 'ОО-2', procedure: 'ОГЭ', subject: 'Математика', grade: 9, numerator: 5, denominator: 50, value: 0.1 }),
  row({ indicator_id: 'PREP-14', school_id: null, procedure: 'ОГЭ', subject: 'Математика', grade: 9, numerator: 7, denominator: 90, value: 7 / 90 }),
  row({ indicator_id: 'GIA-01', school_id: 'ОО-2', procedure: 'ЕГЭ', subject: 'Химия', grade: 11, denominator: 14, value: 61.357 }),
  row({ indicator_id: 'GIA-07', school_id: null, procedure: 'ВПР', subject: 'Математика', grade: 5, dimension: 'icc|textbook', dimension_value: 'part 1', value: 0.12 }),
];

test('one sheet per direction in catalogue order; municipality first, schools in code order; values as numbers', async () => {
  const bytes = await indicatorWorkbook(ROWS, { titles: { 'PREP-14': 'Доля не преодолевших минимальный порог' }, schoolNames: { 'ОО-2': 'СОШ № 2', 'ОО-10': 'СОШ № 10' } });
  const wb = XLSX.read(bytes, { type: 'array', cellNF: true });
  expect(wb.SheetNames).toEqual(['PREP Подготовка обучающихся', 'GIA Статистика ГИА', 'PED Педагоги']);
  const prep = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets[wb.SheetNames[0]!]!, { defval: null });
  expect(prep.map((r) => r['Код ОО'])).toEqual([null, 'ОО-2', 'ОО-10']);
  expect(prep.map((r) => r['ОО'])).toEqual(['Муниципалитет (все ОО)', 'СОШ № 2', 'СОШ № 10']);
  expect(prep.map((r) => r['Значение'])).toEqual([7 / 90, 0.1, 0.05]);
  expect(prep[1]).toMatchObject({ 'Код показателя': 'PREP-14', Показатель: 'Доля не преодолевших минимальный порог', Год: 2025, Процедура: 'ОГЭ', Класс: 9, Числитель: 5, Знаменатель: 50 });
  const gia = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets[wb.SheetNames[1]!]!, { defval: null });
  expect(gia).toHaveLength(2);
  expect(gia[0]!['Значение']).toBe(61.357);
  // Dimensions read in Russian, their code beside; titles of indicators not passed come from the catalogue.
  expect(gia[1]).toMatchObject({ Разрез: 'Внутриклассовая корреляция (ICC): Учебник', 'Код разреза': 'icc|textbook', 'Значение разреза': 'part 1' });
  expect(gia[1]!['Показатель']).toMatch(/^Выполнение заданий каждой части КИМ в разрезе факторов/);
  expect(wb.Sheets[wb.SheetNames[0]!]!['C2']!.z).toBe('0');
});

describe.skipIf(!demoAvailable())('the demo municipality', () => {
  test('every school and direction in one workbook: a sheet per direction, rows as in the indicator table', { timeout: 240_000 }, async () => {
    const demo = await openDemo();
    try {
      // A few indicators of three directions stand in for the full table (all of them take minutes here).
      const ids = ['PREP-15', 'PREP-16', 'PED-01', 'TAL-01'];
      const bytes = await buildIndicatorWorkbook(demo.conn, { ids });
      const rows = (await demo.conn.query({ type: 'rows', sql: 'SELECT indicator_id, school_id, value FROM indicators' })).filter((r) => ids.includes(String(r.indicator_id)));
      const wb = XLSX.read(bytes, { type: 'array' });
      const dirs = [...new Set(rows.map((r) => String(r.indicator_id).split('-')[0]))];
      expect(wb.SheetNames.map((n) => n.split(' ')[0]).sort()).toEqual(dirs.sort());
      expect(dirs.sort()).toEqual(['PED', 'PREP', 'TAL']);
      let total = 0;
      for (const name of wb.SheetNames) {
        const sheet = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets[name]!, { defval: null });
        total += sheet.length;
        expect(new Set(sheet.map((r) => String(r['Код показателя']).split('-')[0]))).toEqual(new Set([name.split(' ')[0]]));
      }
      expect(total).toBe(rows.length);
      // Every school of the demo appears, with its name from the schools table.
      const prep = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets[wb.SheetNames.find((n) => n.startsWith('PREP'))!]!, { defval: null });
      for (const s of demo.rows.schools.filter((s) => s.school_type !== 'ДОО' && s.school_type !== 'УДО')) {
        const r = prep.find((x) => x['Код ОО'] === s.school_id);
        if (r) expect(r['ОО']).toBe(s.name);
      }
      expect(new Set(prep.map((r) => r['Код ОО'])).size).toBeGreaterThan(10);
    } finally {
      await demo.conn.close();
    }
  });
});
