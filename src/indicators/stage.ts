/**
 * Stages shared by the indicators of one run (issue #15): intermediate tables computed once, read
 * by several indicators and dropped after the last of them (at the latest when the run ends). The task rows are the largest input (16M on
 * a regional set): GIA-06 scanned their join with the results three times and PREP-19 once more,
 * each time with a second full scan of task_scores for the observed task maxima. Now:
 * - `taskSpecTable`: per work × task, the maximum (specification, else the largest observed score),
 *   part, section, level and metasubject flag — a few hundred rows, so every later join with
 *   task_scores builds on it instead of re-aggregating task_scores;
 * - `schoolTaskTable`: per work × school × task, counts and sums of the scores (the one pass over
 *   the task rows that GIA-06 and PREP-19 need; every figure they report is a sum of these).
 * Outside a run (a notebook calling an analysis, ctx.stage absent) a stage is its SELECT inlined.
 */
import { quoteIdent, type Connector, type TableInfo } from '../db/connector';
import { resultsSql, taskRowsFrom, taskSpecSql } from './sql';
import type { IndicatorContext } from './types';

/** The stages of one run: key → the quoted name of its temporary table (a promise: built once). */
export type RunStage = Map<string, Promise<string>>;

let stageSeq = 0;

/** A temporary table, or a plain one when two connections read the stages (`sharedStages`). */
const stageKind = (ctx: IndicatorContext): string => (ctx.sharedStages ? 'TABLE' : 'TEMP TABLE');

/** The table of `key`, created from `sql` at its first use in the run; the inlined subquery outside a run. */
async function staged(ctx: IndicatorContext, key: string, sql: () => Promise<string> | string): Promise<string> {
  if (!ctx.stage) return `(${await sql()})`;
  let name = ctx.stage.get(key);
  if (!name) {
    const table = quoteIdent(`indicators__stage_${key}_${++stageSeq}`);
    name = (async () => {
      await ctx.conn.query({ type: 'exec', sql: `CREATE ${stageKind(ctx)} ${table} AS ${await sql()}` });
      return table;
    })();
    ctx.stage.set(key, name);
    // A failed stage is not kept: the next indicator that needs it tries again (and reports its own error).
    name.catch(() => ctx.stage?.delete(key));
  }
  return name;
}

/**
 * The indicators that read each stage: after the last of them in a run the stage is dropped, so that
 * GIA-07 (the run's largest working set) does not run beside GIA-06's per school × task sums. An
 * indicator not listed that asks for a dropped stage gets it built again.
 */
const STAGE_USERS: Record<string, string[]> = {
  task_spec: ['PREP-19', 'GIA-06', 'GIA-07'],
  school_task: ['PREP-19', 'GIA-06'],
};

/** Drops the stages none of the `remaining` indicators of the run reads (a stage without listed users lives for the run). */
export async function releaseStages(conn: Connector, stage: RunStage, remaining: Set<string>): Promise<void> {
  for (const [key, name] of [...stage]) {
    const users = STAGE_USERS[key];
    if (!users || users.some((id) => remaining.has(id))) continue;
    stage.delete(key);
    const table = await name.catch(() => null);
    if (table) await conn.query({ type: 'exec', sql: `DROP TABLE IF EXISTS ${table}` });
  }
}

/** Drops every stage of a run (whatever state the engine is in: a failure here is not the run's). */
export async function dropStages(conn: Connector, stage: RunStage): Promise<void> {
  for (const name of stage.values()) {
    const table = await name.catch(() => null);
    if (table) await conn.query({ type: 'exec', sql: `DROP TABLE IF EXISTS ${table}` }).catch(() => undefined);
  }
  stage.clear();
}

export const taskSpecTable = (ctx: IndicatorContext): Promise<string> => staged(ctx, 'task_spec', () => taskSpecSql(ctx));

/** The task rows (`taskRowsFrom`) with the run's staged specification. */
export const taskRows = async (ctx: IndicatorContext): Promise<string> => taskRowsFrom(ctx, await taskSpecTable(ctx));

/**
 * Per work × school × task (with the task's max_score, section and metasubject flag): rows (`n_rows`),
 * scored rows (`n_scored`, Σ `score_all`), rows within the maximum (`n_ok`, Σ `score_ok`) and above
 * it (`n_above`). max_score is one value per task, so a sum of max_score over rows is n × max_score.
 */
export const schoolTaskTable = (ctx: IndicatorContext): Promise<string> =>
  staged(ctx, 'school_task', async () => `SELECT year, procedure, subject, grade, school_id, task, max_score, section, metasubject,
      count(*) AS n_rows, count(score) AS n_scored, sum(score) AS score_all,
      count(*) FILTER (WHERE score <= max_score) AS n_ok, sum(score) FILTER (WHERE score <= max_score) AS score_ok,
      count(*) FILTER (WHERE score > max_score) AS n_above
    FROM ${await taskRows(ctx)} t
    GROUP BY year, procedure, subject, grade, school_id, task, max_score, section, metasubject`);

/** Data is small when every input table has fewer rows (the demo: 183k task rows; regional: 16M). */
export const SMALL_DATA_ROWS = 1_000_000;

export const isSmallData = (tables: TableInfo[]): boolean => tables.every((t) => t.rowCount < SMALL_DATA_ROWS);

/**
 * The results joined with their thresholds (`resultsSql`), as a table for the whole run: ≈75 of the
 * demo's statements each joined and planned them again (3–5 ms a statement, natively). Small data
 * only: a temporary table is not compressed, and a regional tab (995k results) has no memory to
 * spare. The table is the same SELECT's rows, so every indicator reads the same values.
 */
export async function stageResults(ctx: IndicatorContext): Promise<void> {
  const info = ctx.tables.find((t) => t.name === 'assessment_results');
  if (!ctx.stage || !info || info.rowCount === 0 || !isSmallData(ctx.tables)) return;
  const staged = new Map<boolean, string>();
  for (const retakes of new Set([ctx.params.includeRetakes, false])) {
    const key = `results_${retakes ? 'all' : 'main'}`;
    const table = quoteIdent(`indicators__stage_${key}_${++stageSeq}`);
    const sql = `CREATE ${stageKind(ctx)} ${table} AS SELECT * FROM ${resultsSql(ctx, { includeRetakes: retakes })} r`;
    // Results without the contract's columns: no stage, each indicator reports its own error as before.
    if (!(await ctx.conn.query({ type: 'exec', sql }).then(() => true, () => false))) return;
    ctx.stage.set(key, Promise.resolve(table));
    staged.set(retakes, table);
  }
  ctx.stagedResults = staged;
}
