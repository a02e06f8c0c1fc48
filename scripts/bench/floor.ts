/**
 * The floor of the data contract's stored form: what storing a ВПР CSV costs when the task rows
 * must be the contract's `task_scores` (year, procedure, subject, grade, school, participant,
 * task as text, score as DOUBLE) rather than the limit's narrow `(code, task TINYINT, score)`.
 * Like the limit (limit.ts) it knows the layout and checks nothing; unlike it, it keeps the
 * app's memory discipline — task rows appended `CELLS_PER_CHUNK` cells at a time, each slice
 * compressed (CHECKPOINT) before the next, since one statement for 20M contract rows peaks at
 * ≈ 2.4 GB natively (measured), twice the memory goal. It runs unchanged on both engines
 * (no Node modules: the bench page runs it in the tab), so the import's ratio to it says how much
 * of the gap to the limit is the contract's form and how much the app's own work.
 */
import { compact, quoteIdent as q, quoteLiteral, type Connector } from '../../src/db/connector';
import { CONTRACT, createTableSql } from '../../src/model/contract';
import { CELLS_PER_CHUNK } from '../../src/ingest/results/cells';
import { cp1251ToUtf8 } from '../../src/ingest/read/transcode';

export interface FloorResult {
  totalMs: number;
  transcodeMs: number;
  sqlMs: number;
  counts: { results: number; tasks: number; sumMismatches: number };
}

/** What a limit pipeline stored: participants, task rows, and participants whose tasks do not add up to the total (`sum_ok`). */
export async function countStored(conn: Connector, results: string, tasks: string): Promise<FloorResult['counts']> {
  const [c] = await conn.query({
    type: 'rows',
    sql: `SELECT (SELECT count(*) FROM ${results})::DOUBLE AS r, (SELECT count(*) FROM ${tasks})::DOUBLE AS t,
                 (SELECT count(*) FILTER (WHERE NOT sum_ok) FROM ${results})::DOUBLE AS m`,
  });
  return { results: Number(c?.r), tasks: Number(c?.t), sumMismatches: Number(c?.m) };
}

/** The work of the generated files (datasets/regional/vpr.ts), as the app reads it from the file name. */
const WORK = { year: 2024, procedure: 'ВПР', subject: 'Математика', grade: 8 };

export async function floorImport(conn: Connector, bytes: Uint8Array, cellsPerSlice = CELLS_PER_CHUNK): Promise<FloorResult> {
  const ex = (sql: string) => conn.query({ type: 'exec', sql });
  for (const t of ['fl_stage', 'fl_results', 'fl_tasks']) await ex(`DROP TABLE IF EXISTS ${t}`);
  const name = `floor.${Date.now()}.csv`;
  const t0 = performance.now();
  const utf8 = cp1251ToUtf8(bytes);
  const header = new TextDecoder().decode(utf8.subarray(0, utf8.indexOf(10))).replace(/\r$/, '').split(';');
  const t1 = performance.now();
  const path = await conn.registerFile(name, utf8);
  try {
    const isTask = (h: string) => h.startsWith('балл за ');
    const types: Record<string, string> = { 'всего баллов': 'SMALLINT', 'отметка за предыдущую четверть/триместр': 'TINYINT' };
    const columns = `{${header.map((h) => `${quoteLiteral(h)}: '${isTask(h) ? 'TINYINT' : (types[h] ?? 'VARCHAR')}'`).join(', ')}}`;
    const tasks = header.filter(isTask).map(q);
    await ex(`CREATE TABLE fl_stage AS SELECT substr(${q('логин школы')}, 4) AS school_id, ${q('код обучающегося')} AS student_id,
                ${q('класс')} AS class, ${q('вариант')} AS variant, ${q('всего баллов')} AS total,
                ${q('отметка за предыдущую четверть/триместр')} AS journal_mark, ${tasks.join(', ')}
              FROM read_csv(${quoteLiteral(path)}, delim = ';', header = true, auto_detect = false, columns = ${columns})`);
    await compact(conn);
    const work = `${WORK.year}, ${quoteLiteral(WORK.procedure)}, ${quoteLiteral(WORK.subject)}, ${WORK.grade}`;
    await ex(`${createTableSql('fl_results', [...CONTRACT.assessment_results.columns, { name: 'sum_ok', type: 'BOOLEAN', title: '' }])};
              INSERT INTO fl_results SELECT ${work}, school_id, class, student_id, variant, total, NULL, NULL, journal_mark, false,
                (${tasks.join(' + ')}) = total FROM fl_stage`);
    await compact(conn);
    await ex(createTableSql('fl_tasks', CONTRACT.task_scores.columns));
    const [n] = await conn.query({ type: 'rows', sql: 'SELECT count(*)::DOUBLE AS n FROM fl_stage' });
    const step = Math.max(1, Math.floor(cellsPerSlice / Math.max(1, tasks.length)));
    // rowid follows the file's order in a table created by one statement.
    for (let lo = 0; lo < Number(n?.n ?? 0); lo += step) {
      await ex(`INSERT INTO fl_tasks SELECT ${work}, school_id, student_id, substr(task, 9), score
                FROM (UNPIVOT (SELECT school_id, student_id, ${tasks.join(', ')} FROM fl_stage WHERE rowid >= ${lo} AND rowid < ${lo + step})
                      ON ${tasks.join(', ')} INTO NAME task VALUE score)`);
      await compact(conn);
    }
    await ex('DROP TABLE fl_stage');
    const t2 = performance.now();
    return { totalMs: t2 - t0, transcodeMs: t1 - t0, sqlMs: t2 - t1, counts: await countStored(conn, 'fl_results', 'fl_tasks') };
  } finally {
    await conn.dropFile(name);
  }
}
