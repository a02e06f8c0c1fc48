/**
 * Writing a validated results sheet: added schools, assessment_results (marks from the file or
 * the scale), task_scores, task maxima named by the file into `tasks`, and each class's
 * textbook into `class_teaching`.
 */
import { compact, type Connector } from '../../db/connector';
import type { Mapping } from '../mapping';
import { q } from '../sql';
import { SCALES, addExtraColumns, extrasOf, fieldCol, tableCount } from '../tables';
import type { CellPlan } from './cells';
import type { ValidatedResults } from './validate';
import { addNewSchools } from './schools';

export interface ResultsWritten {
  assessment_results: number;
  task_scores: number;
  tasks: number;
  class_teaching: number;
  schoolsAdded: number;
}

const count = (conn: Connector, t: string) => tableCount(conn, `SELECT count(*) AS n FROM ${q(t)}`);
const NOT_EXCLUDED = `s._row NOT IN (SELECT _row FROM _imp_excluded)`;
/** Participants written between checkpoints (see writeParticipants). */
export const PARTICIPANTS_PER_WRITE = 250_000;

/**
 * `_imp_work_scale`: the scale each of the sheet's works takes its marks from when the file has no
 * mark column — the grade's own, else the one for every grade (grade empty), as the indicators
 * choose (src/indicators/sql.ts). Chosen once per work: one join on `grade IS NULL OR grade = …`
 * matched both kinds and wrote each participant twice.
 */
async function chooseScales(conn: Connector): Promise<void> {
  const pick = (c: string) => `CASE WHEN tg.year IS NOT NULL THEN tg.${c} ELSE tn.${c} END AS ${c}`;
  await conn.query({
    type: 'exec',
    sql: `CREATE OR REPLACE TEMP TABLE _imp_work_scale AS
      WITH scales AS (SELECT * FROM ${SCALES} QUALIFY row_number() OVER (PARTITION BY year, procedure, subject, grade) = 1)
      SELECT w.year, w.procedure, w.subject, w.grade, ${['mark3_from', 'mark4_from', 'mark5_from'].map(pick).join(', ')}
      FROM (SELECT DISTINCT year, procedure, subject, grade FROM _imp_stage) w
      LEFT JOIN scales tg ON tg.year = w.year AND tg.procedure = w.procedure AND tg.subject = w.subject AND tg.grade = w.grade
      LEFT JOIN scales tn ON tn.year = w.year AND tn.procedure = w.procedure AND tn.subject = w.subject AND tn.grade IS NULL`,
  });
}

async function writeParticipants(conn: Connector, m: Mapping): Promise<number> {
  const extras = extrasOf(m, 'assessment_results', 'r.');
  await addExtraColumns(conn, 'assessment_results', extras);
  const fromFile = !!fieldCol(m, 'mark');
  if (!fromFile) await chooseScales(conn);
  const derived = fromFile
    ? 's.mark'
    : `CASE WHEN s.primary_score IS NULL OR th.mark3_from IS NULL THEN NULL
            WHEN th.mark5_from IS NOT NULL AND s.primary_score >= th.mark5_from THEN 5
            WHEN th.mark4_from IS NOT NULL AND s.primary_score >= th.mark4_from THEN 4
            WHEN s.primary_score >= th.mark3_from THEN 3 ELSE 2 END`;
  const scale = fromFile
    ? ''
    : `LEFT JOIN _imp_work_scale th ON th.year = s.year AND th.procedure = s.procedure AND th.subject = s.subject AND th.grade IS NOT DISTINCT FROM s.grade`;
  const before = await count(conn, 'assessment_results');
  const [b] = await conn.query({ type: 'rows', sql: `SELECT min(_row) AS lo, max(_row) AS hi FROM _imp_stage` });
  const first = Number(b?.lo ?? 0);
  const last = Number(b?.hi ?? -1);
  for (let lo = first; lo <= last; lo += PARTICIPANTS_PER_WRITE) {
    // Compress what the previous slice appended: a million rows held uncompressed next to the
    // stage were the import's peak (the slices are consecutive, so the source order stays).
    if (lo > first) await compact(conn);
    // In the stage's (source) order without a sort: the joins keep the order of the stage they probe.
    await conn.query({
      type: 'exec',
      sql: `INSERT INTO assessment_results (year, procedure, subject, grade, school_id, class, student_id, variant, primary_score, test_score, mark, journal_mark, retake${extras.map((x) => `, ${q(x.name)}`).join('')})
        SELECT s.year, s.procedure, s.subject, s.grade, s.school_id, s.class, s.student_id, s.variant, s.primary_score, s.test_score,
               ${derived}, s.journal_mark, s.retake${extras.map((x) => `, s.${q(x.name)}`).join('')}
        FROM (SELECT * FROM _imp_stage WHERE _row >= ${lo} AND _row < ${lo + PARTICIPANTS_PER_WRITE}) s
        ${scale}
        WHERE NOT s._absent AND ${NOT_EXCLUDED}`,
    });
  }
  return (await count(conn, 'assessment_results')) - before;
}

/**
 * The task scores validation left to the end (`_imp_deferred`: rows whose exclusion depended on
 * other rows) for the rows still not excluded — usually none; their cells are built again.
 */
async function writeDeferredScores(conn: Connector, plan: CellPlan, onProgress?: (f: number, stage: string) => void): Promise<number> {
  await conn.query({
    type: 'exec',
    sql: `CREATE OR REPLACE TEMP TABLE _imp_late AS SELECT _row FROM _imp_deferred s WHERE ${NOT_EXCLUDED}`,
  });
  const late = await conn.query({ type: 'rows', sql: `SELECT min(_row) AS lo, max(_row) AS hi FROM _imp_late` });
  if (late[0]?.lo == null) return 0;
  const before = await count(conn, 'task_scores');
  const chunks = plan.chunks.filter(([lo, hi]) => hi > Number(late[0].lo) && lo <= Number(late[0].hi));
  for (const [i, [lo, hi]] of chunks.entries()) {
    onProgress?.(i / chunks.length, 'Запись баллов за задания');
    await conn.query({ type: 'exec', sql: plan.sql(lo, hi, '_imp_late') });
    await conn.query({ type: 'exec', sql: plan.insertScores(lo, hi, 'true') });
  }
  return (await count(conn, 'task_scores')) - before;
}

/** Task maxima named by the file (headers `1 (1б)`, part-2 `score(max)`, part-1 `+/-`) go to `tasks` unless already there. */
async function writeTaskMaxima(conn: Connector): Promise<number> {
  const before = await count(conn, 'tasks');
  await conn.query({
    type: 'exec',
    sql: `INSERT INTO tasks (year, procedure, subject, grade, task, max_score, part, level)
      SELECT year, procedure, subject, grade, task, mx, part, level FROM (
        SELECT year, procedure, subject, grade, task, min(ord) AS ord,
          CASE WHEN any_value(part) = '1' AND bool_and(pm) THEN 1
               WHEN any_value(part) = '1' THEN NULL ELSE max(mx) END AS mx,
          any_value(part) AS part, any_value(lvl) AS level
        FROM _imp_taskmax GROUP BY year, procedure, subject, grade, task) n
      WHERE (mx IS NOT NULL OR level IS NOT NULL OR part IS NOT NULL) AND year IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.year = n.year AND t.procedure = n.procedure AND t.subject = n.subject
                        AND t.grade IS NOT DISTINCT FROM n.grade AND t.task = n.task)
      ORDER BY year, procedure, subject, grade, ord`,
  });
  return (await count(conn, 'tasks')) - before;
}

/** A participant's textbook: `Учебник`, or for «Другой» the other textbook's author and title. */
export function textbookExpr(m: Mapping, s = 's.'): string | null {
  const has = (f: string) => !!fieldCol(m, f);
  if (!has('textbook') && !has('textbook_other') && !has('textbook_author') && !has('textbook_title')) return null;
  const main = has('textbook') ? `${s}textbook` : 'NULL';
  const parts = ['textbook_author', 'textbook_title'].filter(has).map((f) => `${s}${f}`);
  const other = `coalesce(${parts.length ? `NULLIF(concat_ws(', ', ${parts.join(', ')}), '')` : 'NULL'}, ${has('textbook_other') ? `${s}textbook_other` : 'NULL'})`;
  return `(CASE WHEN ${main} IS NULL OR lower(${main}) SIMILAR TO '(друг|иное|другое).*' THEN coalesce(${other}, ${main}) ELSE ${main} END)`;
}

/**
 * Per-participant textbooks make the class's textbook in `class_teaching`: the most frequent one
 * among the class's participants (ties: alphabetically first). A class already described keeps
 * its textbook; one without gets it.
 */
async function writeClassTextbooks(conn: Connector, m: Mapping): Promise<number> {
  const tb = textbookExpr(m);
  if (!tb) return 0;
  await conn.query({
    type: 'exec',
    sql: `CREATE OR REPLACE TEMP TABLE _imp_class_tb AS
      SELECT year, school_id, class, subject, textbook FROM (
        SELECT s.year, s.school_id, s.class, s.subject, ${tb} AS textbook, count(*) AS n
        FROM _imp_stage s WHERE NOT s._absent AND ${NOT_EXCLUDED} AND s.class IS NOT NULL AND s.school_id IS NOT NULL AND s.year IS NOT NULL
        GROUP BY ALL HAVING textbook IS NOT NULL)
      QUALIFY row_number() OVER (PARTITION BY year, school_id, class, subject ORDER BY n DESC, textbook) = 1;
      UPDATE class_teaching t SET textbook = x.textbook FROM _imp_class_tb x
      WHERE t.year = x.year AND t.school_id = x.school_id AND t.class = x.class AND t.subject = x.subject AND t.textbook IS NULL`,
  });
  const before = await count(conn, 'class_teaching');
  await conn.query({
    type: 'exec',
    sql: `INSERT INTO class_teaching (year, school_id, class, subject, textbook)
      SELECT year, school_id, class, subject, textbook FROM _imp_class_tb x
      WHERE NOT EXISTS (SELECT 1 FROM class_teaching t WHERE t.year = x.year AND t.school_id = x.school_id AND t.class = x.class AND t.subject = x.subject)
      ORDER BY school_id, class`,
  });
  return (await count(conn, 'class_teaching')) - before;
}

/** Writes what validateResults(…, write = true) checked; most task scores are already written by it. */
export async function writeResults(conn: Connector, m: Mapping, v: ValidatedResults, onProgress?: (f: number, stage: string) => void): Promise<ResultsWritten> {
  const schoolsAdded = await addNewSchools(conn);
  const out: ResultsWritten = {
    schoolsAdded,
    assessment_results: await writeParticipants(conn, m),
    task_scores: v.scoresWritten + (await writeDeferredScores(conn, v.cells, onProgress)),
    tasks: await writeTaskMaxima(conn),
    class_teaching: await writeClassTextbooks(conn, m),
  };
  return out;
}
