import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import iconv from 'iconv-lite';
import * as XLSX from 'xlsx';
import { NodeConnector } from '../../../../src/db/node-connector';
import { readFile, type ReadSource } from '../../../../src/ingest/read';
import { UserError } from '../../../../src/errors';

const FIX = join(__dirname, '../../../fixtures/read');
const bytes = (name: string) => new Uint8Array(readFileSync(join(FIX, name)));

let conn: NodeConnector;
beforeAll(async () => {
  conn = await NodeConnector.open();
});
afterAll(async () => conn?.close());

const rows = (sql: string) => conn.query({ type: 'rows', sql });
const typesOf = (s: ReadSource) => Object.fromEntries((s.typedColumns ?? []).map((c) => [c.name, c.type]));

async function readError(name: string, data = bytes(name)): Promise<UserError> {
  try {
    await readFile(conn, name, data);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error(`${name} was read without an error`);
}

describe('CSV', () => {
  test('Windows-1251, `;`, decimal commas and a title row above the header', async () => {
    const [s] = await readFile(conn, 'vpr-cp1251.csv', bytes('vpr-cp1251.csv'));
    expect(s.encoding).toBe('windows-1251');
    expect(s.delimiter).toBe(';');
    expect(s.table).toBe('vpr_cp1251');
    expect(s.titleLines).toEqual(['ВПР 2021 Математика 4 класс']);
    expect(s.headers).toEqual(['Логин ОО', 'Класс', 'Пол', 'Первичный балл', 'Доля выполнения', 'Дата']);
    expect(s.firstDataRow).toBe(4);
    expect(s.rowCount).toBe(5);
    expect(typesOf(s)).toEqual({
      'Логин ОО': 'VARCHAR',
      Класс: 'VARCHAR',
      Пол: 'VARCHAR',
      'Первичный балл': 'INTEGER',
      'Доля выполнения': 'DOUBLE',
      Дата: 'DATE',
    });
    const raw = await rows('SELECT _row, "Класс", "Доля выполнения" FROM raw.vpr_cp1251 ORDER BY _row');
    expect(raw).toEqual([
      { _row: 4, Класс: '4А', 'Доля выполнения': '0,6' },
      { _row: 5, Класс: '4Б', 'Доля выполнения': '0,85' },
      { _row: 6, Класс: '4А', 'Доля выполнения': '0,45' },
      { _row: 7, Класс: '4В', 'Доля выполнения': null },
      { _row: 8, Класс: '4В', 'Доля выполнения': '1' },
    ]);
    const typed = await rows('SELECT * FROM vpr_cp1251');
    expect(typed.map((r) => r['Первичный балл'])).toEqual([12, 17, 9, null, 20]);
    expect(typed.map((r) => r['Доля выполнения'])).toEqual([0.6, 0.85, 0.45, null, 1]);
    expect(typed[0]['Дата']).toBe('2021-04-15');
    const sum = typed.reduce((a, r) => a + Number(r['Доля выполнения'] ?? 0), 0);
    expect(sum).toBeCloseTo(2.9, 10);
  });

  test('UTF-8 with BOM, commas, quoted commas/quotes/line breaks, codes with leading zeros stay text', async () => {
    const [s] = await readFile(conn, 'schools-utf8.csv', bytes('schools-utf8.csv'));
    expect(s.encoding).toBe('utf-8');
    expect(s.delimiter).toBe(',');
    expect(s.headers).toEqual(['Код', 'Название', 'Тип поселения', 'Учителей']);
    const typed = await rows('SELECT * FROM schools_utf8');
    expect(typed).toEqual([
      { Код: '0101', Название: 'МБОУ "СОШ №1", г. Барнаул', 'Тип поселения': 'Город', Учителей: 54 },
      { Код: '0102', Название: 'МБОУ СОШ №2\n(филиал)', 'Тип поселения': 'Село', Учителей: 12 },
      { Код: '0103', Название: 'Гимназия №3', 'Тип поселения': 'Город', Учителей: 71 },
    ]);
  });

  test('tab separated with decimal commas', async () => {
    const [s] = await readFile(conn, 'marks.tsv', bytes('marks.tsv'));
    expect(s.delimiter).toBe('\t');
    expect(await rows('SELECT "Балл" AS b FROM marks')).toEqual([{ b: 14.5 }, { b: 9 }, { b: 19.25 }]);
  });

  test('a comma-separated UTF-8 file without BOM and without a header gets numbered columns', async () => {
    const text = '1,2.5,3\n4,5.5,6\n7,8.5,9\n';
    const [s] = await readFile(conn, 'numbers.csv', new TextEncoder().encode(text));
    expect(s.headers).toEqual(['', '', '']);
    expect(s.columns).toEqual(['Столбец 1', 'Столбец 2', 'Столбец 3']);
    expect(s.firstDataRow).toBe(1);
    expect(await rows('SELECT sum("Столбец 2") AS s FROM numbers')).toEqual([{ s: 16.5 }]);
  });

  test('Windows-1251 with tab separators and a two-row header', async () => {
    const text = 'Школа\tЗадание\tЗадание\nКод\t1 (1б)\t2 (2б)\n0001\t1\t2\n0002\t0\t1\n';
    const [s] = await readFile(conn, 'two-rows.csv', iconv.encode(text, 'win1251'));
    expect(s.encoding).toBe('windows-1251');
    expect(s.headerRows).toEqual([
      ['Школа', 'Задание', 'Задание'],
      ['Код', '1 (1б)', '2 (2б)'],
    ]);
    expect(s.headers).toEqual(['Код', '1 (1б)', '2 (2б)']);
    expect(s.firstDataRow).toBe(3);
    expect(await rows('SELECT * FROM two_rows ORDER BY 1')).toEqual([
      { Код: '0001', '1 (1б)': 1, '2 (2б)': 2 },
      { Код: '0002', '1 (1б)': 0, '2 (2б)': 1 },
    ]);
  });

  test('re-importing a file replaces its tables', async () => {
    await readFile(conn, 'marks.tsv', bytes('marks.tsv'));
    await readFile(conn, 'marks.tsv', bytes('marks.tsv'));
    expect(await rows('SELECT count(*) AS n FROM marks')).toEqual([{ n: 3 }]);
  });
});

describe('XLSX', () => {
  test('every sheet with data; title row and a row of task levels above the header', async () => {
    const sources = await readFile(conn, 'vpr-protocol.xlsx', bytes('vpr-protocol.xlsx'));
    expect(sources.map((s) => [s.sheet, s.table, s.rowCount])).toEqual([
      ['Протокол', 'vpr_protocol_протокол', 4],
      ['Классы', 'vpr_protocol_классы', 2],
    ]);
    const [p, k] = sources;
    expect(p.titleLines).toEqual(['Индивидуальные результаты ВПР 2021, Математика, 4 класс']);
    expect(p.headers).toEqual(['Код ОО', 'Код участника', 'Класс', '1 (1б)', '2 (2б)', '3 (1б)', 'Первичный балл']);
    expect(p.headerRows).toEqual([
      ['', '', '', 'Б', 'Б', 'П', ''],
      ['Код ОО', 'Код участника', 'Класс', '1 (1б)', '2 (2б)', '3 (1б)', 'Первичный балл'],
    ]);
    expect(p.firstDataRow).toBe(5);
    expect(typesOf(p)).toMatchObject({ 'Код участника': 'VARCHAR', '2 (2б)': 'VARCHAR', 'Первичный балл': 'DOUBLE' });
    const raw = await rows('SELECT _row, "2 (2б)" AS t2 FROM raw."vpr_protocol_протокол" ORDER BY _row');
    expect(raw).toEqual([
      { _row: 5, t2: '2' },
      { _row: 6, t2: '1' },
      { _row: 7, t2: 'X' },
      { _row: 8, t2: '2' },
    ]);
    expect(await rows('SELECT sum("Первичный балл") AS s FROM "vpr_protocol_протокол"')).toEqual([{ s: 11.5 }]);
    expect(k.headers).toEqual(['Класс', 'Учебник']);
    expect(k.titleLines).toEqual([]);
    expect(await rows('SELECT * FROM "vpr_protocol_классы" ORDER BY 1')).toEqual([
      { Класс: '4а', Учебник: 'Моро М.И.' },
      { Класс: '4б', Учебник: 'Петерсон Л.Г.' },
    ]);
  });

  test('a title merged across the header width is one title line, not a header', async () => {
    const ws = XLSX.utils.aoa_to_sheet([['ВПР 2022 Математика 4 класс'], ['Класс', 'Балл', 'Отметка'], ['4А', 12, 4], ['4Б', 7, 3]]);
    ws['!merges'] = [{ s: { r: 0, c: 0 }, e: { r: 0, c: 2 } }];
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, 'Лист1');
    const data = new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer);
    const [s] = await readFile(conn, 'merged.xlsx', data);
    expect(s.titleLines).toEqual(['ВПР 2022 Математика 4 класс']);
    expect(s.headers).toEqual(['Класс', 'Балл', 'Отметка']);
    expect(s.firstDataRow).toBe(3);
    expect(await rows('SELECT sum("Балл") AS b FROM merged')).toEqual([{ b: 19 }]);
  });
});

describe('Parquet and JSON', () => {
  test('Parquet keeps its types; the raw copy is text', async () => {
    const [s] = await readFile(conn, 'scores.parquet', bytes('scores.parquet'));
    expect(s.rowCount).toBe(3);
    expect(s.columns).toEqual(['school_login', 'year', 'subject', 'mean_mark', 'held_on']);
    expect(await rows('SELECT * FROM scores ORDER BY school_login')).toEqual([
      { school_login: 'sch220001', year: 2023, subject: 'Математика', mean_mark: 3.75, held_on: '2023-04-20' },
      { school_login: 'sch220002', year: 2023, subject: 'Русский язык', mean_mark: 4.1, held_on: '2023-04-21' },
      { school_login: 'sch220003', year: 2024, subject: 'Математика', mean_mark: null, held_on: '2024-04-18' },
    ]);
    expect(await rows('SELECT _row, year FROM raw.scores ORDER BY _row LIMIT 1')).toEqual([{ _row: 1, year: '2023' }]);
  });

  test('JSON array of objects', async () => {
    const [s] = await readFile(conn, 'teachers.json', bytes('teachers.json'));
    expect(s.columns).toEqual(['school', 'name_hash', 'category', 'age']);
    expect(await rows('SELECT category, age FROM teachers ORDER BY age')).toEqual([
      { category: 'первая', age: 29 },
      { category: 'высшая', age: 45 },
      { category: null, age: 61 },
    ]);
  });
});

describe('bad input gives a Russian message naming the file', () => {
  test('empty file', async () => {
    expect((await readError('empty.csv')).message).toBe('Файл «empty.csv»: файл пуст (0 байт).');
  });
  test('whitespace-only file', async () => {
    const e = await readError('blank.csv', new TextEncoder().encode('\n \n'));
    expect(e.message).toBe('Файл «blank.csv»: файл пуст: в нём нет ни одной строки с данными.');
  });
  test('binary garbage', async () => {
    expect((await readError('garbage.csv')).message).toMatch(/^Файл «garbage\.csv»: не похож на таблицу/);
  });
  test('values spilled past the last header widen the sheet with an untitled column instead of failing it (issue #11)', async () => {
    // ragged.csv: «Класс;Отметка;Балл» and the row «5В;5;19;лишнее».
    const [src] = await readFile(conn, 'ragged.csv', bytes('ragged.csv'));
    expect(src!.columns.length).toBe(4);
    expect(src!.headers).toEqual(['Класс', 'Отметка', 'Балл', '']);
    const spilled = src!.columns[3]!;
    expect(await rows(`SELECT _row, "Класс" AS k, "${spilled}" AS v FROM raw."${src!.table}" ORDER BY _row`)).toEqual([
      { _row: 2, k: '5А', v: null },
      { _row: 3, k: '5Б', v: null },
      { _row: 4, k: '5В', v: 'лишнее' },
      { _row: 5, k: '5Г', v: null },
    ]);
  });
  test('a short row is reported too', async () => {
    const e = await readError('short.csv', new TextEncoder().encode('a;b;c\n1;2;3\n4;5;6\n7;8\n'));
    expect(e.place.row).toBe(4);
    expect(e.message).toMatch(/меньше столбцов.*ожидалось 3, найдено 2/);
  });
  test('a workbook with no data', async () => {
    expect((await readError('empty.xlsx')).message).toBe('Файл «empty.xlsx»: в книге нет ни одного листа с данными: все листы пусты.');
  });
  test('a workbook with only a header', async () => {
    expect((await readError('header-only.xlsx')).message).toBe(
      'Файл «header-only.xlsx»: в книге нет строк с данными: лист «Лист1» содержит только заголовки.',
    );
  });
  test('a text file named .xlsx', async () => {
    expect((await readError('not-really.xlsx')).message).toBe(
      'Файл «not-really.xlsx»: не является книгой Excel: файл повреждён или имеет другой формат.',
    );
  });
  test('a broken Parquet file', async () => {
    const e = await readError('broken.parquet', new TextEncoder().encode('PAR1 not really'));
    expect(e.message).toMatch(/^Файл «broken\.parquet»: файл Parquet не удалось прочитать/);
  });
  test('invalid JSON', async () => {
    expect((await readError('bad.json', new TextEncoder().encode('[{"a": 1},\n{"a": }]'))).message).toMatch(
      /^Файл «bad\.json»(, строка 2)?: файл не является корректным JSON\.$/,
    );
  });
  test('tables loaded before a failure are untouched', async () => {
    await readFile(conn, 'marks.tsv', bytes('marks.tsv'));
    await readError('short.csv', new TextEncoder().encode('a;b;c\n1;2;3\n7;8\n'));
    expect(await rows('SELECT count(*) AS n FROM marks')).toEqual([{ n: 3 }]);
  });
});
