import { expect, test } from 'vitest';
import ExcelJS from 'exceljs';
import * as XLSX from 'xlsx';
import { sheetName, toXlsx, toXlsxWorkbook } from '../../../src/export/xlsx';
import { ROWS, TABLE } from './fixtures';

test('XLSX read back (SheetJS) gives the same values', async () => {
  const bytes = await toXlsx(TABLE(), 'Результаты');
  const wb = XLSX.read(bytes, { type: 'array', cellDates: true });
  expect(wb.SheetNames).toEqual(['Результаты']);
  const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets['Результаты']!, { defval: null });
  expect(rows.map((r) => r['Код ОО'])).toEqual(ROWS.map((r) => r.school_id));
  expect(rows.map((r) => r['Наименование'])).toEqual(ROWS.map((r) => r.name));
  expect(rows.map((r) => r['Участников'])).toEqual([120, 45, 1234]);
  expect(rows.map((r) => r['Средний балл'])).toEqual([63.25, 71.5, 48.125]);
  expect(rows.map((r) => r['Доля не преодолевших порог'])).toEqual([0.125, 0.0444, 0.31]);
  expect(rows.map((r) => r['ШНОР'])).toEqual(['нет', 'да', null]);
  expect((rows[0]!['Дата'] as Date).toISOString().slice(0, 10)).toBe('2025-05-21');
});

test('the header is bold, filled and frozen; numbers carry formats', async () => {
  const bytes = await toXlsx(TABLE(), 'Результаты');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('Результаты')!;
  const h = ws.getCell('A1');
  expect(h.value).toBe('Код ОО');
  expect(h.font?.bold).toBe(true);
  expect((h.fill as ExcelJS.FillPattern).pattern).toBe('solid');
  expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  expect(ws.getCell('C2').numFmt).toBe('#,##0');
  expect(ws.getCell('D2').numFmt).toBe('#,##0.00');
  expect(ws.getCell('E2').numFmt).toBe('0.0%');
  expect(ws.getCell('F2').numFmt).toBe('dd.mm.yyyy');
  expect(ws.getColumn(2).width).toBeGreaterThan(20);
});

test('several sheets, with names Excel accepts', async () => {
  const taken = new Set<string>();
  expect(sheetName('PREP: подготовка/качество [итог]', taken)).toBe('PREP  подготовка качество  итог');
  expect(sheetName('A'.repeat(40), taken)).toHaveLength(31);
  expect(sheetName('a'.repeat(40), taken)).toBe(`${'a'.repeat(29)}_2`);
  const bytes = await toXlsxWorkbook([
    { name: 'Первый', table: TABLE() },
    { name: 'Второй', table: TABLE(), caption: 'Справка' },
  ]);
  const wb = XLSX.read(bytes, { type: 'array' });
  expect(wb.SheetNames).toEqual(['Первый', 'Второй']);
  const second = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets['Второй']!, { header: 1, defval: null });
  expect(second[0]?.[0]).toBe('Справка');
  expect(second[2]?.[0]).toBe('Код ОО');
  expect(second[3]?.[2]).toBe(120);
});

test('a result exported to XLSX has Russian headers and the school name beside its code', async () => {
  const { setSchoolNames } = await import('../../../src/format');
  const { toXlsx } = await import('../../../src/export/xlsx');
  const { fromRows } = await import('../../../src/export/table');
  const XLSX = await import('xlsx');
  setSchoolNames(new Map([['220005', 'СОШ № 5']]));
  try {
    const bytes = await toXlsx(fromRows([{ school_id: '220005', n: 12, low_share: 0.25 }, { school_id: '999', n: 3, low_share: 0.5 }]));
    const wb = XLSX.read(bytes, { type: 'array' });
    const rows = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[wb.SheetNames[0]!]!, { header: 1, defval: null });
    expect(rows[0]).toEqual(['ОО', 'Наименование ОО', 'Число участников', 'low_share']);
    expect(rows[1]).toEqual(['220005', 'СОШ № 5', 12, 0.25]);
    expect(rows[2]).toEqual(['999', null, 3, 0.5]);
  } finally {
    setSchoolNames(new Map());
  }
});
