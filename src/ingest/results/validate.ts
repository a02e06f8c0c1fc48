/**
 * Validation of a staged results sheet: every rule of rules.ts that concerns participants,
 * recorded in `_imp_issues`; `_imp_excluded` ends with the rows an excluding rule hit and
 * `_imp_new_schools` with the schools the file adds. Nothing canonical is written here, so
 * the forecast runs exactly this.
 */
import { compact, type Connector } from '../../db/connector';
import type { RawSource } from '../read/types';
import { ROLE_IGNORE, type Mapping } from '../mapping';
import { EXCLUDING_SQL } from '../rules';
import { lit, q, txt } from '../sql';
import { fieldHeader, issueInto, tableCount, type ApplyOptions } from '../tables';
import { planCells, type CellPlan } from './cells';
import { findNewSchools, resolveSchools } from './schools';
import { planWide } from './wide';

const trimZero = (e: string) => `regexp_replace(CAST(${e} AS VARCHAR), '\\.0$', '')`;

/** Task scores written between checkpoints while importing (see validateCells). */
export const COMPACT_EVERY = 1_000_000;

const NOT_EXCLUDED_IN = (lo: number, hi: number) =>
  `_row NOT IN (SELECT "row" FROM _imp_issues WHERE code IN (${EXCLUDING_SQL}) AND "row" >= ${lo} AND "row" < ${hi})`;

/** The per-cell rules, per-row sums and per-task maxima of the chunk's long-form cells (`_imp_cells`). */
async function checkCells(conn: Connector, plan: CellPlan) {
  const issue = (sql: string) => issueInto(conn, sql);
  const { colOf } = plan;
  await issue(`SELECT _row, ${colOf('c')}, 'not_attempted', 'Задание ' || task || ' не выполнялось («' || val || '»): 0 баллов' FROM _imp_cells c WHERE not_attempted`);
  await issue(`SELECT _row, ${colOf('c')}, 'bad_value', 'Балл за задание ' || task || ' не число: «' || val || '»' FROM _imp_cells c WHERE score IS NULL`);
  await issue(
    `SELECT _row, ${colOf('c')}, 'task_out_of_range', 'Балл за задание ' || task || ' (' || val || ') вне диапазона 0…' || coalesce(${trimZero('mx')}, '∞')
     FROM _imp_cells c WHERE score < 0 OR score > mx`,
  );
  await conn.query({
    type: 'exec',
    sql: `INSERT INTO _imp_rowsum SELECT _row, sum(score), count(*), count(mx), sum(mx) FROM _imp_cells GROUP BY _row;
      INSERT INTO _imp_taskmax SELECT w.year, w.procedure, w.subject, w.grade, t.task, t.ord, t.pm, t.mx, t.part, t.lvl
      FROM (SELECT c._w, c.task, min(c.ord) AS ord, bool_and(c.pm) AS pm, max(c.mx) AS mx, any_value(c.part) AS part, any_value(n.lvl) AS lvl
            FROM _imp_cells c LEFT JOIN _imp_colnames n ON n.ord = c.ord GROUP BY c._w, c.task) t
      JOIN _imp_works w USING (_w)`,
  });
}

/**
 * Task cells, chunk by chunk: per-cell rules, per-row sums, the totals they check, per-task
 * maxima for `tasks`, and — when writing — the chunk's `task_scores` of every row no rule
 * excluded, except rows whose exclusion depends on other rows (`_imp_deferred`), which
 * `writeResults` writes once every rule ran. With task columns alone the chunk is checked in
 * wide form and only its rows with an unusual cell become long-form cells (wide.ts). Returns
 * the task scores written.
 */
async function validateCells(conn: Connector, raw: RawSource, plan: CellPlan, m: Mapping, opts: ApplyOptions, write: boolean): Promise<number> {
  await conn.query({
    type: 'exec',
    sql: `CREATE OR REPLACE TEMP TABLE _imp_rowsum (_row INTEGER, task_sum DOUBLE, n BIGINT, n_max BIGINT, max_sum DOUBLE);
      CREATE OR REPLACE TEMP TABLE _imp_taskmax (year INTEGER, procedure VARCHAR, subject VARCHAR, grade INTEGER, task VARCHAR, ord INTEGER, pm BOOLEAN, mx DOUBLE, part VARCHAR, lvl VARCHAR)`,
  });
  const wide = await planWide(conn, raw, plan.taskCols, plan.longOnly);
  const before = write ? await tableCount(conn, `SELECT count(*) AS n FROM task_scores`) : 0;
  let compacted = before;
  for (const [i, [lo, hi]] of plan.chunks.entries()) {
    opts.onProgress?.(i / Math.max(1, plan.chunks.length), write ? 'Проверка и запись баллов за задания' : 'Проверка баллов за задания');
    let odd = true;
    if (wide) {
      await conn.query({ type: 'exec', sql: `${wide.build(lo, hi)};\n${wide.rowSums};\n${wide.taskMaxima}` });
      odd = (await tableCount(conn, `SELECT count(*) AS n FROM _imp_odd`)) > 0;
    }
    if (odd) {
      await conn.query({ type: 'exec', sql: plan.sql(lo, hi, wide ? '_imp_odd' : undefined) });
      await checkCells(conn, plan);
    }
    await validateTotals(conn, m, lo, hi);
    if (write) {
      const where = (a: string) => `${a}${NOT_EXCLUDED_IN(lo, hi)} AND ${a}_row NOT IN (SELECT _row FROM _imp_deferred)`;
      await conn.query({ type: 'exec', sql: wide ? wide.insertScores(where('')) : plan.insertScores(lo, hi, where('c.')) });
    }
    // The chunk's cells are not needed again (deferred rows build their own).
    await conn.query({ type: 'exec', sql: `DROP TABLE IF EXISTS _imp_cells; DROP TABLE IF EXISTS _imp_wide; DROP TABLE IF EXISTS _imp_odd` });
    if (!write) continue;
    // The workspace holds appended rows uncompressed until a checkpoint (≈ 140 bytes a task
    // score): compressing every few million keeps a million-participant sheet from holding
    // 20M of them at once; the checkpoints together cost what one at the end would.
    const written = await tableCount(conn, `SELECT count(*) AS n FROM task_scores`);
    if (written - compacted >= COMPACT_EVERY) {
      await compact(conn);
      compacted = written;
    }
  }
  return write ? (await tableCount(conn, `SELECT count(*) AS n FROM task_scores`)) - before : 0;
}

/** Rules on the row's own cells of the stage (not the task cells). */
async function validateRowValues(conn: Connector, m: Mapping) {
  const issue = (sql: string) => issueInto(conn, sql);
  const ps = lit(fieldHeader(m, 'primary_score'));
  await issue(
    `SELECT s._row, ${ps}, 'bad_value', 'Первичный балл не число: «' || s._ps_raw || '»'
     FROM _imp_stage s WHERE NOT s._absent AND s._ps_raw IS NOT NULL AND s.primary_score IS NULL`,
  );
  const jm = fieldHeader(m, 'journal_mark');
  if (jm) {
    await issue(
      `SELECT _row, ${lit(jm)}, 'journal_mark_invalid', 'Отметка по журналу «' || _jm_raw || '» не из 2–5: оставлена пустой'
       FROM _imp_stage WHERE NOT _absent AND _jm_raw IS NOT NULL AND journal_mark IS NULL`,
    );
  }
  const mark = fieldHeader(m, 'mark');
  if (mark) {
    await issue(
      `SELECT _row, ${lit(mark)}, 'mark_invalid', 'Отметка «' || _mark_raw || '» не из 2–5: оставлена пустой'
       FROM _imp_stage WHERE NOT _absent AND _mark_raw IS NOT NULL AND mark IS NULL`,
    );
  }
  await issueInto(
    conn,
    `SELECT _row, ${lit(fieldHeader(m, 'school_id'))}, 'school_missing', 'Не указана ОО' FROM _imp_stage WHERE NOT _absent AND school_id IS NULL`,
  );
  await issueInto(
    conn,
    `SELECT _row, NULL, 'participant_missing', 'Участник без кода и без данных для псевдонима: строка не включена' FROM _imp_stage WHERE NOT _absent AND student_id IS NULL`,
  );
}

/** The official total is kept; only a total outside 0…max excludes the row. Rows lo ≤ _row < hi (their sums are known). */
async function validateTotals(conn: Connector, m: Mapping, lo: number, hi: number) {
  const issue = (sql: string) => issueInto(conn, sql);
  const ps = lit(fieldHeader(m, 'primary_score'));
  const range = `s._row >= ${lo} AND s._row < ${hi}`;
  await issue(
    `SELECT s._row, ${ps}, 'total_out_of_range', 'Первичный балл ' || s._ps_raw || ' вне диапазона 0…' || coalesce(${trimZero('t.max_sum')}, '∞')
     FROM _imp_stage s LEFT JOIN _imp_rowsum t USING (_row)
     WHERE ${range} AND NOT s._absent AND (s.primary_score < 0 OR (t.n = t.n_max AND s.primary_score > t.max_sum))`,
  );
  await issue(
    `SELECT s._row, ${ps}, 'total_mismatch', 'Первичный балл ' || s._ps_raw || ' не равен сумме баллов за задания ' || ${trimZero('t.task_sum')} || ': оставлен балл из файла'
     FROM _imp_stage s JOIN _imp_rowsum t USING (_row)
     WHERE ${range} AND NOT s._absent AND s.primary_score IS NOT NULL AND t.task_sum IS NOT NULL AND abs(s.primary_score - t.task_sum) > 1e-9
       AND s.primary_score >= 0 AND NOT (t.n = t.n_max AND s.primary_score > t.max_sum)`,
  );
}

/**
 * Rows whose exclusion depends on other rows: a key shared by several present rows (which one is
 * the duplicate depends on every other rule), or a participant already loaded. Their task scores
 * are written after validation; every other row's as its chunk is validated.
 */
async function deferRows(conn: Connector) {
  await conn.query({
    type: 'exec',
    sql: `CREATE OR REPLACE TEMP TABLE _imp_deferred AS
      SELECT _row FROM (SELECT _row, count(*) OVER (PARTITION BY year, procedure, subject, grade, school_id, student_id) AS k
                        FROM _imp_stage WHERE NOT _absent) WHERE k > 1
      UNION
      SELECT s._row FROM _imp_stage s JOIN assessment_results a ON a.year = s.year AND a.procedure = s.procedure AND a.subject = s.subject
        AND a.grade IS NOT DISTINCT FROM s.grade AND a.school_id = s.school_id AND a.student_id = s.student_id
      WHERE NOT s._absent`,
  });
}

/**
 * A participant is (work, school, code): the same code in two schools is two participants. With
 * `deferred` (the import: `_imp_deferred` holds every present row of a key shared by several), a
 * repeated key can only be among those rows, so the window sorts them instead of the whole sheet.
 */
async function validateDuplicates(conn: Connector, deferred: boolean) {
  const issue = (sql: string) => issueInto(conn, sql);
  const notExcluded = `_row NOT IN (SELECT "row" FROM _imp_issues WHERE code IN (${EXCLUDING_SQL}))`;
  const among = deferred ? ' AND _row IN (SELECT _row FROM _imp_deferred)' : '';
  await issue(
    `SELECT _row, NULL, 'duplicate', 'Повтор участника ' || student_id || ' в ОО ' || school_id || ' (' || concat_ws(', ', year, procedure, subject, grade || ' класс') || ')'
     FROM (SELECT s.*, row_number() OVER (PARTITION BY year, procedure, subject, grade, school_id, student_id ORDER BY _row) AS k
           FROM _imp_stage s WHERE NOT _absent AND ${notExcluded}${among})
     WHERE k > 1`,
  );
  await issue(
    `SELECT s._row, NULL, 'duplicate', 'Участник ' || s.student_id || ' ОО ' || s.school_id || ' уже загружен из другого файла'
     FROM _imp_stage s JOIN assessment_results a ON a.year = s.year AND a.procedure = s.procedure AND a.subject = s.subject
       AND a.grade IS NOT DISTINCT FROM s.grade AND a.school_id = s.school_id AND a.student_id = s.student_id
     WHERE NOT s._absent AND s.${notExcluded}`,
  );
}

/** Values in untitled columns past the last titled one: listed with their column, the row stays. */
async function validateSpill(conn: Connector, raw: RawSource, m: Mapping) {
  const lastTitled = raw.headers.reduce((last, h, i) => (h.trim() ? i : last), -1);
  const spilled = raw.columns.filter((_, i) => i > lastTitled && !raw.headers[i]?.trim());
  for (const c of spilled) {
    if (m.columns.find((x) => x.column === c && x.field !== ROLE_IGNORE && x.field !== 'extra')) continue;
    await issueInto(
      conn,
      `SELECT r._row, ${lit(c)}, 'spill', ${lit(`Значение в столбце без заголовка «${c}»: «`)} || ${txt(`r.${q(c)}`)} || '»'
       FROM raw.${q(raw.table)} r JOIN _imp_stage s USING (_row) WHERE ${txt(`r.${q(c)}`)} IS NOT NULL`,
    );
  }
}

export interface ValidatedResults {
  cells: CellPlan;
  /** Task scores written while validating (`write`); the deferred rows' follow in writeResults. */
  scoresWritten: number;
}

/**
 * Every rule of a staged results sheet. With `write` (the import, not the forecast) the task
 * cells are built once: each chunk's scores go to `task_scores` as soon as the chunk is checked.
 */
export async function validateResults(conn: Connector, raw: RawSource, m: Mapping, opts: ApplyOptions, write = false): Promise<ValidatedResults> {
  await issueInto(conn, `SELECT _row, NULL, 'absent', 'Участник отсутствовал: не включён в результаты' FROM _imp_stage WHERE _absent`);
  // Schools first: the cells carry the resolved school of their row.
  await resolveSchools(conn);
  await validateRowValues(conn, m);
  const plan = await planCells(conn, raw, m, opts.chunkCells);
  if (write) await deferRows(conn);
  const scoresWritten = await validateCells(conn, raw, plan, m, opts, write);
  await findNewSchools(conn, m);
  await validateDuplicates(conn, write);
  await validateSpill(conn, raw, m);
  await conn.query({
    type: 'exec',
    sql: `CREATE OR REPLACE TEMP TABLE _imp_excluded AS SELECT DISTINCT "row" AS _row FROM _imp_issues WHERE code IN (${EXCLUDING_SQL})`,
  });
  return { cells: plan, scoresWritten };
}
