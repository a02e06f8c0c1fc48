import { expect, test } from 'vitest';
import { toCsv, toCsvString } from '../../../src/export/csv';
import { fromRows } from '../../../src/export/table';
import { NodeConnector } from '../../../src/db/node-connector';
import { TABLE } from './fixtures';

test('bytes start with the UTF-8 BOM, fields are separated by semicolons, numbers have decimal commas', () => {
  const bytes = toCsv(TABLE());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder().decode(bytes);
  const lines = text.split('\r\n');
  expect(lines[0]).toBe('school_id;name;participants;mean_score;low_share;exam_date;shnor');
  // Russian Excel reads 63,25 as a number; 63.25 (or 17.3) it turns into a date.
  expect(lines[1]).toBe('ОО-001;"МБОУ «СОШ № 1»; корпус 2";120;63,25;0,125;2025-05-21;false');
  expect(lines[2]).toBe('ОО-002;"Лицей ""Эврика""";45;71,5;0,0444;2025-05-22;true');
  expect(text.endsWith('\r\n')).toBe(true);
});

test('decimal point and Russian titles on request', () => {
  expect(toCsvString(TABLE(), { decimalComma: false }).split('\r\n')[1]).toContain(';120;63.25;0.125;');
  const text = toCsvString(TABLE(), { titles: true });
  const lines = text.slice(1).split('\r\n');
  expect(lines[0]).toBe('Код ОО;Наименование;Участников;Средний балл;Доля не преодолевших порог;Дата;ШНОР');
  expect(lines[1]).toContain(';120;63,25;0,125;');
});

test('DuckDB reads the file back with the same values (quotes, newlines, BOM, decimal commas)', async () => {
  const conn = await NodeConnector.open();
  try {
    const path = await conn.registerFile('t.csv', toCsv(TABLE()));
    const rows = await conn.query({
      type: 'rows',
      sql: `SELECT school_id, name, participants, mean_score FROM read_csv($1, delim=';', decimal_separator=',', header=true) ORDER BY school_id`,
      params: [path],
    });
    expect(rows.map((r) => r.school_id)).toEqual(['ОО-001', 'ОО-002', 'ОО-003']);
    expect(rows[2].name).toBe('ООШ с. Берёзовка\nфилиал');
    expect(rows.map((r) => r.participants)).toEqual([120, 45, 1234]);
    expect(rows.map((r) => r.mean_score)).toEqual([63.25, 71.5, 48.125]);
  } finally {
    await conn.close();
  }
});

test('cells a spreadsheet would run as formulas are written as text; numbers stay numbers', () => {
  const hostile = ['=HYPERLINK("http://127.0.0.1:9/?"&A1,"Открыть")', "=cmd|' /C calc'!A0", '+1+cmd|x', '-2+3', '@SUM(A1:A9)', '\t=1+1', '\r=1+1'];
  const table = fromRows([...hostile.map((s) => ({ '=col': s, n: -1.5, t: '-7' })), { '=col': 'обычный текст', n: 2, t: '+3,5' }]);
  const text = toCsvString(table, { bom: false });
  const lines = text.split('\r\n');
  expect(lines[0]).toBe("'=col;n;t");
  // Read the first field of every record back (quoted fields may hold separators, quotes, CR).
  const firsts: string[] = [];
  const body = text.slice(lines[0].length + 2);
  for (const m of body.matchAll(/(?:^|\r\n)("(?:[^"]|"")*"|[^;\r\n]*);/g)) firsts.push(m[1].startsWith('"') ? m[1].slice(1, -1).replaceAll('""', '"') : m[1]);
  expect(firsts).toEqual([...hostile.map((s) => `'${s}`), 'обычный текст']);
  // Numbers, and text that is a plain signed number, are left as they are.
  expect(lines[1].endsWith(';-1,5;-7')).toBe(true);
  expect(lines.at(-2)).toBe('обычный текст;2;+3,5');
});
