/**
 * The shared setup of the result-import tests: fresh canonical tables, the task maxima of ВПР 2021
 * mathematics for the given grades, and one sheet named like a regional ФИС ОКО file, imported with
 * the proposed mapping (adjusted by `adjust`). The tests work out what must come out themselves.
 */
import { NodeConnector } from '../../../../src/db/node-connector';
import { applyMapping, ensureCanonicalTables } from '../../../../src/ingest/apply';
import { proposeMapping } from '../../../../src/ingest/mapping';
import { makeRaw } from '../raw-helper';

type Mapping = ReturnType<typeof proposeMapping>;

export async function importMath(
  maxima: Record<number, number[]>,
  headers: string[],
  rows: (string | null)[][],
  opts: { chunkCells?: number; stageRows?: number; adjust?: (m: Mapping) => void } = {},
) {
  const conn = await NodeConnector.open();
  await ensureCanonicalTables(conn);
  const values = Object.entries(maxima).flatMap(([grade, max]) => max.map((m, i) => `(2021, 'ВПР', 'Математика', ${grade}, '${i + 1}', ${m})`));
  await conn.query({ type: 'exec', sql: `INSERT INTO tasks (year, procedure, subject, grade, task, max_score) VALUES ${values.join(', ')}` });
  const raw = await makeRaw(conn, 'Проведение работы по Математике, 4 класс. ВПР 2021.csv', headers, rows);
  const mapping = proposeMapping(raw);
  opts.adjust?.(mapping);
  const report = await applyMapping(conn, raw, mapping, { salt: 's', chunkCells: opts.chunkCells, stageRows: opts.stageRows });
  return { conn, mapping, report };
}

/** `school|participant|task|score` of every written task score, sorted. */
export async function writtenScores(conn: NodeConnector): Promise<string[]> {
  const rows = await conn.query({ type: 'rows', sql: `SELECT school_id, student_id, task, score FROM task_scores` });
  return rows.map((r) => `${r.school_id}|${r.student_id}|${r.task}|${Number(r.score)}`).sort();
}
