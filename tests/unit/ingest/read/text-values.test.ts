/** Values that must survive reading unchanged: long codes, and text in a file of mixed encodings. */
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NodeConnector } from '../../../../src/db/node-connector';
import { readFile } from '../../../../src/ingest/read';
import { decodeText } from '../../../../src/ingest/read/text';

let conn: NodeConnector;
beforeAll(async () => (conn = await NodeConnector.open()));
afterAll(async () => conn?.close());

const utf8 = (s: string) => new TextEncoder().encode(s);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
};

describe('long digit strings and codes stay text', () => {
  test('two different 20-digit numbers stay two different values', async () => {
    const a = '12345678901234567890';
    const b = '12345678901234567891';
    expect(Number(a)).toBe(Number(b)); // what a DOUBLE column would make of them
    const [s] = await readFile(conn, 'long.csv', utf8(`Номер;Балл\n${a};5\n${b};7\n`));
    expect(s.typedColumns).toEqual([
      { name: 'Номер', type: 'VARCHAR' },
      { name: 'Балл', type: 'INTEGER' },
    ]);
    expect(await conn.query({ type: 'rows', sql: 'SELECT "Номер" AS n FROM main.long ORDER BY 1' })).toEqual([{ n: a }, { n: b }]);
  });

  test('a 16-digit value makes its column text; 15 digits stay a number', async () => {
    const [s] = await readFile(conn, 'digits.csv', utf8('Сумма;Длинное\n123456789012345;1234567890123456\n7;8\n'));
    expect(s.typedColumns?.map((c) => c.type)).toEqual(['BIGINT', 'VARCHAR']);
  });

  test('columns titled as codes stay text whatever their values (the contract keeps codes VARCHAR)', async () => {
    const [s] = await readFile(conn, 'codes.csv', utf8('Код ОО;Код участника;school_id;СНИЛС;Кодировка;Балл\n220001;30001;5;123;1;9\n220002;30002;6;456;2;8\n'));
    expect(s.typedColumns?.map((c) => `${c.name}:${c.type}`)).toEqual([
      'Код ОО:VARCHAR',
      'Код участника:VARCHAR',
      'school_id:VARCHAR',
      'СНИЛС:VARCHAR',
      'Кодировка:INTEGER',
      'Балл:INTEGER',
    ]);
  });
});

describe('a UTF-8 file with Windows-1251 lines', () => {
  const head = utf8('Класс;Фамилия учителя;Балл\n4А;Иванова;5\n');
  const foreign = iconv.encode('4Б;Петрова;7\n', 'win1251');
  const tail = utf8('4В;Сидорова;9\n');

  test('is read as UTF-8, the foreign line in its own encoding, and named', () => {
    const d = decodeText(concat(head, foreign, tail));
    expect(d.encoding).toBe('utf-8');
    expect(d.foreignLines).toEqual([3]);
    expect(d.text).toBe('Класс;Фамилия учителя;Балл\n4А;Иванова;5\n4Б;Петрова;7\n4В;Сидорова;9\n');
  });

  test('a whole Windows-1251 file is still Windows-1251, without warnings', () => {
    const d = decodeText(iconv.encode('Класс;Балл\n4А;5\n4Б;7\n', 'win1251'));
    expect([d.encoding, d.foreignLines, d.text]).toEqual(['windows-1251', undefined, 'Класс;Балл\n4А;5\n4Б;7\n']);
  });

  test('readFile loads the text intact and warns with file and row', async () => {
    const [s] = await readFile(conn, 'mixed.csv', concat(head, foreign, tail, iconv.encode('4Г;Орлова;6\n', 'win1251')));
    expect(s.encoding).toBe('utf-8');
    expect(s.warnings).toEqual([
      'Файл «mixed.csv»: строки 3, 5 записаны в кодировке Windows-1251, а не UTF-8, как остальной файл; прочитано в Windows-1251 — проверьте текст.',
    ]);
    expect(await conn.query({ type: 'rows', sql: 'SELECT "Фамилия учителя" AS f FROM raw.mixed ORDER BY _row' })).toEqual([
      { f: 'Иванова' },
      { f: 'Петрова' },
      { f: 'Сидорова' },
      { f: 'Орлова' },
    ]);
    const [one] = await readFile(conn, 'mixed1.csv', concat(head, foreign, tail));
    expect(one.warnings).toEqual([
      'Файл «mixed1.csv», строка 3: строка записана в кодировке Windows-1251, а не UTF-8, как остальной файл; прочитано в Windows-1251 — проверьте текст.',
    ]);
  });
});
