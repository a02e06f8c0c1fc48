import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { NodeConnector } from '../../../../src/db/node-connector';
import { readFile } from '../../../../src/ingest/read';
import { parseDelimited } from '../../../../src/ingest/read/delimited';
import { LIMITS } from '../../../../src/ingest/read/limits';
import { parseWorkbook, type ParsedSheet } from '../../../../src/ingest/read/workbook';
import { bombBook, hugeDimensionBook, manySheetsBook, pollutingBook, wideBook } from './hostile-books';

const csvText = (s: ParsedSheet) => new TextDecoder().decode(s.csv);

describe('hostile workbooks', () => {
  afterEach(() => {
    for (const k of ['c', 't', 'v', 'r', 'h', 'w']) delete (Object.prototype as Record<string, unknown>)[k];
  });

  test('a comment with ref="__proto__" does not pollute Object.prototype (CVE-2023-30533)', async () => {
    const parsed = parseWorkbook(await pollutingBook());
    const probe: Record<string, unknown> = {};
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(probe.c).toBeUndefined();
    // The data itself still reads.
    expect('sheets' in parsed && parsed.sheets[0].rowCount).toBe(1);
  });

  test('a sheet declaring A1:XFD1048576 reads its three real rows (the range comes from real cells)', async () => {
    const parsed = parseWorkbook(await hugeDimensionBook());
    if (!('sheets' in parsed)) throw new Error(parsed.problem);
    const [s] = parsed.sheets;
    expect([s.headers, s.rowCount, s.firstDataRow]).toEqual([['Класс', 'Балл'], 2, 2]);
    expect(csvText(s)).toBe('2;4А;7\n3;4Б;9\n');
  });

  test('16 384 columns are refused with a message naming the sheet, before any type inference', () => {
    expect(parseWorkbook(wideBook(16_384))).toEqual({
      problem: 'на листе 16384 столбцов (от A до XFD), а читается не больше 1000. Удалите лишние столбцы или проверьте, не повреждён ли файл.',
      sheet: 'Лист1',
    });
    expect('sheets' in parseWorkbook(wideBook(LIMITS.columns))).toBe(true);
  });

  test('a zip bomb is refused from its declared sizes, without unpacking', () => {
    expect(parseWorkbook(bombBook())).toEqual({
      problem:
        'книга слишком велика или повреждена: часть «xl/worksheets/sheet1.xml» распаковывается в 4096 МБ (допустимо не больше 400 МБ). Сохраните таблицу в формате CSV или разделите книгу на части.',
    });
  });

  test('too many sheets, too many cells', () => {
    expect(parseWorkbook(manySheetsBook(LIMITS.sheets + 1))).toEqual({
      problem: 'в книге 201 листов, а читается не больше 200. Оставьте в книге листы с данными или сохраните их в формате CSV.',
    });
    const cells = LIMITS.cells;
    LIMITS.cells = 5; // the test book has 6 real cells
    try {
      expect(parseWorkbook(manySheetsBook(3))).toMatchObject({ problem: expect.stringMatching(/^в книге больше 5 заполненных ячеек/), sheet: 'Л3' });
    } finally {
      LIMITS.cells = cells;
    }
  });
});

describe('hostile text files', () => {
  test('a CSV of 16 384 columns is refused', () => {
    const line = (v: (i: number) => string) => Array.from({ length: 16_384 }, (_, i) => v(i)).join(';');
    const bytes = new TextEncoder().encode(`${line((i) => `c${i}`)}\n${line(String)}\n`);
    expect(parseDelimited(bytes, false)).toEqual({
      problem: 'в файле 16384 столбцов, а читается не больше 1000. Проверьте разделитель столбцов или удалите лишние столбцы.',
    });
  });
});

describe('through readFile (native DuckDB)', () => {
  let conn: NodeConnector;
  beforeAll(async () => (conn = await NodeConnector.open()));
  afterAll(async () => conn?.close());

  test('the message names the file and the sheet', async () => {
    await expect(readFile(conn, 'Широкий.xlsx', wideBook(1500))).rejects.toThrow(
      /^Файл «Широкий\.xlsx», лист «Лист1»: на листе 1500 столбцов \(от A до BER\)/,
    );
    await expect(readFile(conn, 'bomb.xlsx', bombBook())).rejects.toThrow(/^Файл «bomb\.xlsx»: книга слишком велика или повреждена/);
  });
});
