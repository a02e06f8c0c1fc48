/**
 * КИМ descriptions list a task once per КЭС × КТ pair (48 rows for 15 tasks), often with the
 * task's own cells only on its first row (merged cells). The staged rows collapse to one per
 * task: КЭС and КТ codes joined, `section` = the КЭС codes when the sheet has no section of its own.
 */
import type { Connector } from '../db/connector';
import { CONTRACT } from '../model/contract';
import { q } from './sql';
import type { Extra } from './tables';

const JOINED = new Set(['kes', 'kt']);

export async function collapseSpecRows(conn: Connector, extras: Extra[]): Promise<void> {
  const names = [...CONTRACT.tasks.columns.map((c) => c.name), ...extras.map((x) => x.name)];
  const hasSeq = names.includes('seq');
  const keys = ['year', 'procedure', 'subject', 'grade', 'task', ...(hasSeq ? ['seq'] : [])];
  // Continuation rows (no task number of their own) belong to the task above.
  const own = `(task IS NOT NULL${hasSeq ? ' OR seq IS NOT NULL' : ''})`;
  const fill = (c: string) => `CASE WHEN ${own} THEN ${q(c)} ELSE last_value(${q(c)} IGNORE NULLS) OVER w END AS ${q(c)}`;
  const agg = names
    .filter((n) => !keys.includes(n))
    .map((n) => {
      if (JOINED.has(n)) return `string_agg(DISTINCT ${q(n)}, ', ' ORDER BY ${q(n)}) AS ${q(n)}`;
      if (n === 'section' && names.includes('kes')) return `coalesce(arg_min(section, _row) FILTER (WHERE section IS NOT NULL), string_agg(DISTINCT kes, ', ' ORDER BY kes)) AS section`;
      return `arg_min(${q(n)}, _row) FILTER (WHERE ${q(n)} IS NOT NULL) AS ${q(n)}`;
    });
  await conn.query({
    type: 'exec',
    sql: `CREATE OR REPLACE TEMP TABLE _imp_stage AS
      WITH f AS (SELECT * REPLACE (${['task', ...(hasSeq ? ['seq'] : [])].map(fill).join(', ')}) FROM _imp_stage WINDOW w AS (ORDER BY _row ROWS UNBOUNDED PRECEDING))
      SELECT min(_row) AS _row, ${keys.map(q).join(', ')}, ${agg.join(', ')}
      FROM f GROUP BY ${keys.map(q).join(', ')}`,
  });
}

/**
 * A КИМ description loaded after the results it describes (another import): scores whose labels
 * are the sequential `балл за N` get the printed numbers. A work is sequential when one of its
 * labels is a `seq` of the description but no printed task number (`6` where the printed tasks
 * are 5.1, 5.2, 6 … 14 and seq runs to 15) — then all its labels are; otherwise nothing changes.
 * Returns the number of relabelled scores.
 */
export async function relabelLoadedScores(conn: Connector): Promise<number> {
  const work = `t.year = s.year AND t.procedure = s.procedure AND t.subject = s.subject AND t.grade IS NOT DISTINCT FROM s.grade`;
  const [r] = await conn.query({
    type: 'rows',
    sql: `CREATE OR REPLACE TEMP TABLE _imp_seq_works AS
        SELECT DISTINCT s.year, s.procedure, s.subject, s.grade FROM _imp_stage s
        WHERE s.seq IS NOT NULL AND EXISTS (
          SELECT 1 FROM task_scores t WHERE ${work} AND t.task = CAST(s.seq AS VARCHAR)
            AND NOT EXISTS (SELECT 1 FROM tasks p WHERE p.year = t.year AND p.procedure = t.procedure AND p.subject = t.subject
                              AND p.grade IS NOT DISTINCT FROM t.grade AND p.task = t.task));
      SELECT count(*) AS n FROM task_scores t JOIN _imp_seq_works s ON ${work}`,
  });
  if (!Number(r?.n)) return 0;
  await conn.query({
    type: 'exec',
    sql: `UPDATE task_scores t SET task = s.task FROM _imp_stage s
      WHERE ${work} AND t.task = CAST(s.seq AS VARCHAR) AND s.seq IS NOT NULL
        AND EXISTS (SELECT 1 FROM _imp_seq_works w WHERE w.year = t.year AND w.procedure = t.procedure AND w.subject = t.subject AND w.grade IS NOT DISTINCT FROM t.grade)`,
  });
  return Number(r?.n);
}
