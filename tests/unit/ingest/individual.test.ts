import { afterAll, beforeAll, expect, test } from 'vitest';
import { NodeConnector } from '../../../src/db/node-connector';
import { applyMapping, ensureCanonicalTables } from '../../../src/ingest/apply';
import { proposeMapping } from '../../../src/ingest/mapping';
import { makeRaw } from './raw-helper';

let conn: NodeConnector;
beforeAll(async () => {
  conn = await NodeConnector.open();
  await ensureCanonicalTables(conn);
});
afterAll(() => conn.close());

test('«Индивидуальные результаты» without a name column: schools added with the names of their block rows; codes restart per block', async () => {
  const raw = await makeRaw(
    conn,
    'ВПР 2023 Математика 4 класс. Индивидуальные результаты.xlsx',
    ['ОО', 'Код участника', 'Класс', 'Вариант', '1 (1б)', '2 (2б)', 'Первичный балл'],
    [
      ['МБОУ «СОШ №7» (edu220007) | Кол-во участников: 2', null, null, null, null, null, null],
      [null, '40001', '4а', '1', '1', '2', '3'],
      [null, '40002', '4а', '2', '0', '1', '1'],
      ['МКОУ ООШ с. Луговое (edu220008) | Кол-во участников: 1', null, null, null, null, null, null],
      [null, '40001', '4', '1', '1', '1', '2'],
    ],
  );
  const m = proposeMapping(raw);
  expect([m.layout, m.schoolBlocks]).toEqual(['vpr-individual', true]);
  const report = await applyMapping(conn, raw, m, { salt: 's' });
  expect(report.counts).toEqual({ school_added: 2 });
  const schools = await conn.query({ type: 'rows', sql: `SELECT year, school_id, name FROM schools ORDER BY school_id` });
  expect(schools).toEqual([
    { year: 2023, school_id: '220007', name: 'МБОУ «СОШ №7»' },
    { year: 2023, school_id: '220008', name: 'МКОУ ООШ с. Луговое' },
  ]);
  const ar = await conn.query({ type: 'rows', sql: `SELECT school_id || '/' || student_id AS p FROM assessment_results ORDER BY 1` });
  expect(ar.map((r) => r.p)).toEqual(['220007/40001', '220007/40002', '220008/40001']);
});

test('an РЦОИ row without any personal data gets no shared pseudonym: listed as participant_missing, the others stay', async () => {
  const raw = await makeRaw(
    conn,
    'ОГЭ 2024 Математика протокол.csv',
    ['Код ОО', 'Класс', 'Фамилия', 'Имя', 'Отчество', 'Задания с кратким ответом', 'Задания с развёрнутым ответом', 'Первичный балл'],
    [
      ['220001', '9а', 'Иванов', 'Иван', 'Иванович', '++', '1(2)', '3'],
      ['220001', '9а', null, null, null, '+-', '0(2)', '1'],
      ['220001', '9а', null, null, null, '-+', '2(2)', '3'],
    ],
  );
  const m = proposeMapping(raw);
  expect(m.layout).toBe('rcoi');
  const report = await applyMapping(conn, raw, m, { salt: 's' });
  expect([report.counts.participant_missing, report.counts.duplicate, report.excludedRows]).toEqual([2, undefined, 2]);
  const [n] = await conn.query({ type: 'rows', sql: `SELECT count(*) AS n FROM assessment_results WHERE procedure = 'ОГЭ'` });
  expect(Number(n!.n)).toBe(1);
});
