import { expect, test } from 'vitest';
import { toCsv, toCsvString } from '../../../src/export/csv';
import { NodeConnector } from '../../../src/db/node-connector';
import { TABLE } from './fixtures';

test('bytes start with the UTF-8 BOM and fields are separated by semicolons', () => {
  const bytes = toCsv(TABLE());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder().decode(bytes);
  const lines = text.split('\r\n');
  expect(lines[0]).toBe('school_id;name;participants;mean_score;low_share;exam_date;shnor');
  expect(lines[1]).toBe('ОО-001;"МБОУ «СОШ № 1»; корпус 2";120;63.25;0.125;2025-05-21;false');
  expect(lines[2]).toBe('ОО-002;"Лицей ""Эврика""";45;71.5;0.0444;2025-05-22;true');
  expect(text.endsWith('\r\n')).toBe(true);
});

test('decimal comma and Russian titles on request', () => {
  const text = toCsvString(TABLE(), { decimalComma: true, titles: true });
  const lines = text.slice(1).split('\r\n');
  expect(lines[0]).toBe('Код ОО;Наименование;Участников;Средний балл;Доля не преодолевших порог;Дата;ШНОР');
  expect(lines[1]).toContain(';120;63,25;0,125;');
});

test('DuckDB reads the file back with the same values (quotes, newlines, BOM)', async () => {
  const conn = await NodeConnector.open();
  try {
    const path = await conn.registerFile('t.csv', toCsv(TABLE()));
    const rows = await conn.query({
      type: 'rows',
      sql: `SELECT school_id, name, participants, mean_score FROM read_csv($1, delim=';', header=true) ORDER BY school_id`,
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
