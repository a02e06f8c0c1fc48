import { expect, test } from 'vitest';
import * as XLSX from 'xlsx';
import { indicatorWorkbook } from '../../../src/export/indicators';
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
  expect(gia).toHaveLength(1);
  expect(gia[0]!['Значение']).toBe(61.357);
  expect(wb.Sheets[wb.SheetNames[0]!]!['C2']!.z).toBe('0');
});
