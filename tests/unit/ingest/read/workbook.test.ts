import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import * as XLSX from 'xlsx';
import { parseWorkbook, type ParsedSheet } from '../../../../src/ingest/read/workbook';

const FIX = join(__dirname, '../../../fixtures/read');
const fixture = (name: string) => new Uint8Array(readFileSync(join(FIX, name)));

function book(sheets: Record<string, XLSX.WorkSheet>): Uint8Array {
  const wb = XLSX.utils.book_new();
  for (const [name, ws] of Object.entries(sheets)) XLSX.utils.book_append_sheet(wb, ws, name);
  return new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer);
}

function sheetsOf(bytes: Uint8Array): ParsedSheet[] {
  const parsed = parseWorkbook(bytes);
  if (!('sheets' in parsed)) throw new Error(parsed.problem);
  return parsed.sheets;
}

const csvText = (s: ParsedSheet) => new TextDecoder().decode(s.csv);

describe('parseWorkbook (no database)', () => {
  test('a title, the header and the data rows as one CSV with sheet row numbers', () => {
    const ws = XLSX.utils.aoa_to_sheet([
      ['Итоги ВПР, 4 класс'],
      ['Класс', 'Балл', 'Комментарий', 'Дата'],
      ['4А', 12.5, 'нет; "да"', { t: 'n', v: 44301, z: 'dd.mm.yyyy' }],
      [],
      ['4Б', 0.1 + 0.2, '', { t: 'n', v: 44302, z: 'dd.mm.yyyy' }, 'лишнее'],
    ]);
    ws['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: 3 } }];
    const [s] = sheetsOf(book({ Результаты: ws }));
    expect(s.name).toBe('Результаты');
    expect(s.titleLines).toEqual(['Итоги ВПР, 4 класс']);
    // The row wider than the header adds an untitled fifth column.
    expect(s.headers).toEqual(['Класс', 'Балл', 'Комментарий', 'Дата', '']);
    expect(s.columns).toHaveLength(5);
    expect(s.columns.slice(0, 4)).toEqual(['Класс', 'Балл', 'Комментарий', 'Дата']);
    expect(s.firstDataRow).toBe(3);
    expect(s.rowCount).toBe(2);
    // 44301 is 2021-04-15 in Excel's 1900 date system; 0.1 + 0.2 is shown as Excel shows it.
    expect(csvText(s)).toBe('3;4А;12.5;"нет; ""да""";2021-04-15;\n5;4Б;0.3;;2021-04-16;лишнее\n');
  });

  test('every sheet with data, in order; the fixture the reader tests also load', () => {
    const parsed = parseWorkbook(fixture('vpr-protocol.xlsx'));
    expect('sheets' in parsed && parsed.nonEmptySheets).toBe(2);
    const [p, k] = sheetsOf(fixture('vpr-protocol.xlsx'));
    expect([p.name, p.rowCount, p.firstDataRow, k.name, k.rowCount]).toEqual(['Протокол', 4, 5, 'Классы', 2]);
    expect(p.headerRows).toEqual([
      ['', '', '', 'Б', 'Б', 'П', ''],
      ['Код ОО', 'Код участника', 'Класс', '1 (1б)', '2 (2б)', '3 (1б)', 'Первичный балл'],
    ]);
    expect(csvText(k)).toBe('2;4а;Моро М.И.\n3;4б;Петерсон Л.Г.\n');
  });

  test('a header-only sheet is left out but still counts for table names', () => {
    const parsed = parseWorkbook(
      book({ Данные: XLSX.utils.aoa_to_sheet([['Класс', 'Балл'], ['4А', 7]]), Шаблон: XLSX.utils.aoa_to_sheet([['Класс', 'Балл']]) }),
    );
    expect('sheets' in parsed && [parsed.sheets.map((s) => s.name), parsed.nonEmptySheets]).toEqual([['Данные'], 2]);
  });

  test('problems come back as Russian messages, not exceptions', () => {
    expect(parseWorkbook(fixture('not-really.xlsx'))).toEqual({ problem: 'не является книгой Excel: файл повреждён или имеет другой формат.' });
    expect(parseWorkbook(fixture('empty.xlsx'))).toEqual({ problem: 'в книге нет ни одного листа с данными: все листы пусты.' });
    expect(parseWorkbook(fixture('header-only.xlsx'))).toEqual({ problem: 'в книге нет строк с данными: лист «Лист1» содержит только заголовки.' });
    const broken = fixture('vpr-protocol.xlsx').slice(0, 300);
    expect(parseWorkbook(broken)).toMatchObject({ problem: expect.stringMatching(/^книгу Excel не удалось прочитать \(/) });
  });
});
