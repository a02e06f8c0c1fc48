/**
 * Repeated participants in an import: the import looks for repeats only among the rows whose key
 * is shared (`_imp_deferred`), the forecast over the whole sheet; both must name the same rows.
 * A repeat whose first row another rule excluded is not a repeat; a key met three times names the
 * second and third row. Every expected value below is written out by hand.
 */
import { afterEach, expect, test } from 'vitest';
import { NodeConnector } from '../../../../src/db/node-connector';
import { forecastImport } from '../../../../src/ingest/forecast';
import { proposeMapping } from '../../../../src/ingest/mapping';
import { ensureCanonicalTables } from '../../../../src/ingest/apply';
import { makeRaw } from '../raw-helper';
import { importMath, writtenScores } from './math-import';

const headers = ['логин школы', 'код обучающегося', 'класс', 'всего баллов', 'балл за 1', 'балл за 2'];
// Maxima (tasks): 1, 2. Source rows are numbered from 2 (row 1 is the header).
const rows: (string | null)[][] = [
  ['sch220001', '1', '4а', '3', '1', '2'], // row 2: participant 1
  ['sch220001', '1', '4а', '2', '1', '1'], // row 3: participant 1 again → duplicate
  ['sch220002', '1', '4б', '1', '1', '0'], // row 4: code 1 in another school: another participant
  ['sch220001', '2', '4а', '9', '1', '2'], // row 5: participant 2, total 9 above 0…3 (excluded)
  ['sch220001', '2', '4а', '3', '1', '2'], // row 6: participant 2 again, first kept row of it → no duplicate
  ['sch220001', '1', '4а', '1', '1', '0'], // row 7: participant 1 a third time → duplicate
  ['sch220002', '3', '4б', '2', '0', '2'], // row 8: alone
];

const expectedIssues = [
  '3|duplicate|Повтор участника 1 в ОО 220001 (2021, ВПР, Математика, 4 класс)',
  '5|total_out_of_range|Первичный балл 9 вне диапазона 0…3',
  '7|duplicate|Повтор участника 1 в ОО 220001 (2021, ВПР, Математика, 4 класс)',
];

let conn: NodeConnector | undefined;
afterEach(async () => conn?.close());

test('repeated participants are found among the rows sharing a key, as over the whole sheet', async () => {
  for (const chunkCells of [undefined, 4]) {
    const run = await importMath({ 4: [1, 2] }, headers, rows, { chunkCells });
    conn = run.conn;
    const issues = (
      await conn.query({ type: 'rows', sql: `SELECT "row", code, message FROM import_issues WHERE code IN ('duplicate', 'total_out_of_range') ORDER BY "row"` })
    ).map((r) => `${r.row}|${r.code}|${r.message}`);
    expect(issues).toEqual(expectedIssues);
    expect(run.report.written.assessment_results).toBe(4);
    // Rows 2, 4, 6 and 8 are written, with their own scores.
    expect(await writtenScores(conn)).toEqual(
      ['220001|1|1|1', '220001|1|2|2', '220002|1|1|1', '220002|1|2|0', '220001|2|1|1', '220001|2|2|2', '220002|3|1|0', '220002|3|2|2'].sort(),
    );
    await conn.close();
    conn = undefined;
  }
});

test('the forecast names the same repeats over the whole sheet', async () => {
  conn = await NodeConnector.open();
  await ensureCanonicalTables(conn);
  await conn.query({ type: 'exec', sql: `INSERT INTO tasks (year, procedure, subject, grade, task, max_score) VALUES (2021, 'ВПР', 'Математика', 4, '1', 1), (2021, 'ВПР', 'Математика', 4, '2', 2)` });
  const raw = await makeRaw(conn, 'Проведение работы по Математике, 4 класс. ВПР 2021.csv', headers, rows);
  const fc = await forecastImport(conn, raw, proposeMapping(raw), { salt: 's' });
  const dup = fc.rules.find((r) => r.code === 'duplicate')!;
  expect(dup.rows).toBe(2);
});
