/**
 * Shared SQL builders for indicator definitions. Every builder returns one SELECT whose
 * columns are exactly the indicator table of data-contract.md, in contract order, so a
 * definition can run it with `rowsOf(ctx, sql)` and return the result unchanged.
 *
 * Municipal and per-school rows come from ONE query through GROUPING SETS: the set without
 * `school_id` is the municipality (school_id NULL in the output), the set with it gives the
 * schools. Source rows whose school_id is NULL count for the municipality only.
 *
 *   groupedSql({ id: 'PREP-16', from: resultsSql(ctx), procedure: 'procedure', subject: 'subject',
 *     grade: 'grade', numerator: 'count(*) FILTER (WHERE mark = journal_mark)',
 *     denominator: 'count(*)', where: 'mark IS NOT NULL AND journal_mark IS NOT NULL' })
 *
 * Conventions shared with H6's directions: shares are fractions (value = numerator/denominator,
 * NULL when the denominator is 0); means have numerator NULL and denominator = n; counts have
 * value = the count and numerator/denominator NULL.
 */
import { quoteIdent, quoteLiteral } from '../db/connector';
import type { IndicatorContext, IndicatorRow, SqlRows } from './types';

/** The table the runner materialises the computed rows into (notebooks and derived indicators read it). */
export const INDICATORS_TABLE = 'indicators';

export const INDICATOR_SELECT_COLUMNS =
  'indicator_id, year, procedure, subject, grade, school_id, dimension, dimension_value, numerator, denominator, value';

/** Default band edges used when `thresholds` has no value for a work (the ONE place for these numbers). */
export const DEFAULTS = {
  /** ЕГЭ high-scorer band start when thresholds.high_from is NULL. */
  highFrom: 81,
  /** GIA-02 ЕГЭ band edge between «min–60» and «61–80». */
  egeMiddleFrom: 61,
  /** PREP-07 / PREP-08 ЕГЭ score bands. */
  prep07From: 70,
  prep08Bands: [70, 80, 90, 100] as const,
  /** Mark considered «passed» for mark-based procedures. */
  passMark: 3,
} as const;

/** Procedures whose pass rule is known (all but PISA). */
export const MARKED_PROCEDURES = ['ВПР', 'ОГЭ', 'ЕГЭ', 'ГВЭ-9', 'ГВЭ-11', 'НИКО', 'РДР', 'ФГ'] as const;

/** Subjects compulsory at ГИА; every other subject of ЕГЭ/ОГЭ is an elective. */
export const isCompulsorySubjectSql = (col = 'subject') => `(${col} = 'Русский язык' OR ${col} LIKE 'Математика%')`;

export const lit = (v: string | number | null): string =>
  v === null ? 'NULL' : typeof v === 'number' ? (Number.isFinite(v) ? String(v) : 'NULL') : quoteLiteral(v);

export const inList = (values: readonly string[]): string => `(${values.map((v) => quoteLiteral(v)).join(', ')})`;

/** True when the loaded table has the column (absent tables/columns are reported by the runner). */
export function hasColumn(ctx: IndicatorContext, table: string, column: string): boolean {
  return !!ctx.tables.find((t) => t.name === table)?.columns.some((c) => c.name === column);
}
export function hasTable(ctx: IndicatorContext, table: string): boolean {
  return ctx.tables.some((t) => t.name === table && t.rowCount > 0);
}

/**
 * assessment_results joined to its thresholds, with the derived columns every assessment
 * indicator uses. Retakes are dropped unless `ctx.params.includeRetakes` (or `includeRetakes`).
 *  - score:   ЕГЭ test score where present, else the primary score (GIA-01)
 *  - passed:  ЕГЭ test_score >= min_test, otherwise mark >= 3; NULL when it cannot be decided
 *  - top:     ЕГЭ test_score >= high_from (default 81), otherwise mark = 5
 *  - min_test, high_from, mark3_from, mark4_from, mark5_from from `thresholds` (grade-specific row first)
 */
export function resultsSql(ctx: IndicatorContext, opts: { includeRetakes?: boolean; inline?: boolean } = {}): string {
  const includeRetakes = opts.includeRetakes ?? ctx.params.includeRetakes;
  // Within a run on small data the same rows are a staged table (stage.ts, `stageResults`), unless
  // the caller's sums must keep the join's own row order (`inline`).
  const staged = opts.inline ? undefined : ctx.stagedResults?.get(includeRetakes);
  if (staged) return `(SELECT * FROM ${staged})`;
  const retake = !includeRetakes && hasColumn(ctx, 'assessment_results', 'retake') ? 'r.retake IS NOT TRUE' : 'TRUE';
  const col = (c: string, type: string) =>
    hasColumn(ctx, 'assessment_results', c) ? `r.${c}` : `CAST(NULL AS ${type})`;
  const thr = hasTable(ctx, 'thresholds');
  const th = (c: string) => (thr && hasColumn(ctx, 'thresholds', c) ? `coalesce(tg.${c}, tn.${c})` : 'CAST(NULL AS DOUBLE)');
  const joins = thr
    ? `LEFT JOIN thresholds tg ON tg.year = r.year AND tg.procedure = r.procedure AND tg.subject = r.subject AND tg.grade = r.grade
       LEFT JOIN thresholds tn ON tn.year = r.year AND tn.procedure = r.procedure AND tn.subject = r.subject AND tn.grade IS NULL`
    : '';
  const test = col('test_score', 'DOUBLE');
  const mark = col('mark', 'INTEGER');
  return `(SELECT r.year, r.procedure, r.subject, r.grade, r.school_id, ${col('class', 'VARCHAR')} AS class,
      r.student_id, ${col('primary_score', 'DOUBLE')} AS primary_score, ${test} AS test_score, ${mark} AS mark,
      ${col('journal_mark', 'INTEGER')} AS journal_mark,
      ${th('min_test')} AS min_test, ${th('min_primary')} AS min_primary, ${th('high_from')} AS high_from,
      ${th('mark3_from')} AS mark3_from, ${th('mark4_from')} AS mark4_from, ${th('mark5_from')} AS mark5_from,
      CASE WHEN r.procedure = 'ЕГЭ' AND ${test} IS NOT NULL THEN ${test} ELSE ${col('primary_score', 'DOUBLE')} END AS score,
      CASE WHEN r.procedure = 'ЕГЭ' AND ${test} IS NOT NULL THEN ${test} >= ${th('min_test')}
           WHEN r.procedure IN ${inList(MARKED_PROCEDURES)} AND ${mark} IS NOT NULL THEN ${mark} >= ${DEFAULTS.passMark}
      END AS passed,
      CASE WHEN r.procedure = 'ЕГЭ' AND ${test} IS NOT NULL THEN ${test} >= coalesce(${th('high_from')}, ${DEFAULTS.highFrom})
           WHEN ${mark} IS NOT NULL THEN ${mark} = 5
      END AS top
    FROM assessment_results r ${joins}
    WHERE ${retake})`;
}

/**
 * Maximum primary score of each work (year, procedure, subject, grade): the sum of
 * tasks.max_score where the specification is loaded, otherwise the largest primary score observed.
 */
export function workMaxSql(ctx: IndicatorContext): string {
  const observed = `SELECT year, procedure, subject, grade, max(primary_score) AS max_primary
    FROM assessment_results GROUP BY ALL`;
  if (!hasTable(ctx, 'tasks') || !hasColumn(ctx, 'tasks', 'max_score')) return `(${observed})`;
  return `(SELECT o.year, o.procedure, o.subject, o.grade, coalesce(t.max_primary, o.max_primary) AS max_primary
    FROM (${observed}) o
    LEFT JOIN (SELECT year, procedure, subject, grade, sum(max_score) AS max_primary FROM tasks GROUP BY ALL) t
      USING (year, procedure, subject, grade))`;
}

/**
 * Per work × task: max_score (tasks.max_score, else the largest score observed for the task), part,
 * section, level, metasubject. One row per task of task_scores (times its rows in `tasks`).
 */
export function taskSpecSql(ctx: IndicatorContext): string {
  // The observed maximum is an aggregate joined back, not a window: a window over every task row
  // sorts all of task_scores (npm run bench: 2× slower on ≈1.5M task rows).
  const hasTasks = hasTable(ctx, 'tasks');
  const t = (c: string, type: string) => (hasTasks && hasColumn(ctx, 'tasks', c) ? `sp.${c}` : `CAST(NULL AS ${type})`);
  const specJoin = hasTasks
    ? 'LEFT JOIN tasks sp ON sp.year = obs.year AND sp.procedure = obs.procedure AND sp.subject = obs.subject AND sp.grade = obs.grade AND sp.task = obs.task'
    : '';
  return `SELECT obs.year, obs.procedure, obs.subject, obs.grade, obs.task,
      coalesce(${t('max_score', 'DOUBLE')}, obs.max_observed) AS max_score,
      ${t('part', 'VARCHAR')} AS part, ${t('section', 'VARCHAR')} AS section, ${t('level', 'VARCHAR')} AS level,
      ${t('metasubject', 'BOOLEAN')} AS metasubject
    FROM (SELECT year, procedure, subject, grade, task, max(score) AS max_observed FROM task_scores GROUP BY ALL) obs
    ${specJoin}`;
}

/**
 * task_scores joined to the participant's school (from assessment_results, retakes filtered as in
 * resultsSql) and to the task specification `spec` (a table or subquery of taskSpecSql's columns).
 * max_score falls back to the largest observed score of the task when `tasks` lacks it.
 */
export function taskRowsFrom(ctx: IndicatorContext, spec: string): string {
  return `(SELECT ts.year, ts.procedure, ts.subject, ts.grade, r.school_id, r.class, ts.student_id, ts.task, ts.score,
      sp.max_score, sp.part, sp.section, sp.level, sp.metasubject
    FROM task_scores ts
    JOIN ${resultsSql(ctx)} r ON r.year = ts.year AND r.procedure = ts.procedure AND r.subject = ts.subject
      AND r.grade = ts.grade AND r.school_id = ts.school_id AND r.student_id = ts.student_id
    LEFT JOIN ${spec} sp ON sp.year = ts.year AND sp.procedure = ts.procedure AND sp.subject = ts.subject AND sp.grade = ts.grade AND sp.task = ts.task)`;
}

/** The task rows with the specification inlined (outside a run; a run stages it: stage.ts). */
export const taskRowsSql = (ctx: IndicatorContext): string => taskRowsFrom(ctx, `(${taskSpecSql(ctx)})`);

export interface GroupedSpec {
  id: string;
  /** Source rows: a table name or a parenthesised subquery exposing `year` and `school_id`. */
  from: string;
  where?: string;
  /** SQL expressions over the source for the key columns; omitted/null → NULL (not applicable). */
  procedure?: string | null;
  subject?: string | null;
  grade?: string | null;
  /** Breakdown: `name` goes to `dimension`, `expr` (evaluated per source row) to `dimension_value`. */
  dimension?: { name: string; expr: string };
  /** Aggregate expressions. numerator null → NULL (means, counts). */
  numerator: string | null;
  denominator: string | null;
  /** Aggregate expression for value; default numerator / denominator (NULL when denominator is 0). */
  value?: string;
  /** Emit per-school rows (default true) and the municipal row (default true). */
  perSchool?: boolean;
  municipality?: boolean;
}

/** One aggregate indicator for the municipality and every school (see the file comment). */
export function groupedSql(spec: GroupedSpec): string {
  const keyExpr = (e: string | null | undefined) => e ?? 'NULL';
  const dimName = spec.dimension ? lit(spec.dimension.name) : 'NULL';
  const dimExpr = spec.dimension ? spec.dimension.expr : 'NULL';
  const perSchool = spec.perSchool ?? true;
  const municipality = spec.municipality ?? true;
  const keys = '_year, _procedure, _subject, _grade, _dv';
  const sets = [municipality ? `(${keys})` : null, perSchool ? `(${keys}, school_id)` : null].filter(Boolean).join(', ');
  const num = spec.numerator ?? 'NULL';
  const den = spec.denominator ?? 'NULL';
  const value = spec.value ?? `CASE WHEN (${den}) > 0 THEN (${num}) / (${den}) END`;
  return `SELECT ${lit(spec.id)} AS indicator_id, CAST(_year AS INTEGER) AS year, CAST(_procedure AS VARCHAR) AS procedure,
      CAST(_subject AS VARCHAR) AS subject, CAST(_grade AS INTEGER) AS grade,
      CAST(${perSchool ? 'CASE WHEN GROUPING(school_id) = 0 THEN school_id END' : 'NULL'} AS VARCHAR) AS school_id,
      CAST(${dimName} AS VARCHAR) AS dimension, CAST(_dv AS VARCHAR) AS dimension_value,
      CAST(${num} AS DOUBLE) AS numerator, CAST(${den} AS DOUBLE) AS denominator, CAST(${value} AS DOUBLE) AS value
    FROM (SELECT *, year AS _year, ${keyExpr(spec.procedure)} AS _procedure, ${keyExpr(spec.subject)} AS _subject,
            ${keyExpr(spec.grade)} AS _grade, ${dimExpr} AS _dv
          FROM ${spec.from} AS src WHERE ${spec.where ?? 'TRUE'}) AS g
    GROUP BY GROUPING SETS (${sets})
    ${perSchool ? 'HAVING GROUPING(school_id) = 1 OR school_id IS NOT NULL' : ''}`;
}

/** Share of rows (or of distinct `distinct` keys) satisfying `condition` among rows satisfying `base`. */
export function shareSql(
  spec: Omit<GroupedSpec, 'numerator' | 'denominator' | 'value'> & { condition: string; base?: string; distinct?: string },
): string {
  const base = spec.base ?? 'TRUE';
  const count = (cond: string) =>
    spec.distinct ? `count(DISTINCT ${spec.distinct}) FILTER (WHERE ${cond})` : `count(*) FILTER (WHERE ${cond})`;
  return groupedSql({ ...spec, numerator: count(`(${base}) AND (${spec.condition})`), denominator: count(base) });
}

/** Mean of `expr` (numerator NULL, denominator n). */
export function meanSql(spec: Omit<GroupedSpec, 'numerator' | 'denominator' | 'value'> & { expr: string }): string {
  return groupedSql({ ...spec, numerator: null, denominator: `count(${spec.expr})`, value: `avg(${spec.expr})` });
}

/**
 * Ratio of two monitoring codes. Per school: value(num) / value(den). Municipality: the sums over
 * the schools that report both codes; when no school reports them, the municipality-level row
 * (monitoring.school_id NULL) is used. `schoolWhere` restricts the schools (e.g. to ДОО), it may
 * refer to `m.year` and `m.school_id`.
 */
export function monitoringRatioSql(id: string, numCode: string, denCode: string, opts: { schoolWhere?: string; dimension?: { name: string; value: string } } = {}): string {
  return monitoringSql(id, 'ratio', numCode, denCode, opts);
}

/** Sum of one monitoring code: per school and for the municipality (schools' sum, else the municipal row). */
export function monitoringSumSql(id: string, code: string, opts: { schoolWhere?: string; dimension?: { name: string; value: string } } = {}): string {
  return monitoringSql(id, 'sum', code, null, opts);
}

function monitoringSql(
  id: string,
  kind: 'ratio' | 'sum',
  numCode: string,
  denCode: string | null,
  opts: { schoolWhere?: string; dimension?: { name: string; value: string } },
): string {
  const codes = denCode ? [numCode, denCode] : [numCode];
  const dimName = opts.dimension ? lit(opts.dimension.name) : 'NULL';
  const dimValue = opts.dimension ? lit(opts.dimension.value) : 'NULL';
  const den = denCode ? `max(value) FILTER (WHERE code = ${lit(denCode)})` : 'CAST(NULL AS DOUBLE)';
  const both = kind === 'ratio' ? 'n IS NOT NULL AND d IS NOT NULL' : 'n IS NOT NULL';
  const out = (n: string, d: string) =>
    kind === 'ratio'
      ? `CAST(${n} AS DOUBLE) AS numerator, CAST(${d} AS DOUBLE) AS denominator, CAST(CASE WHEN ${d} > 0 THEN ${n} / ${d} END AS DOUBLE) AS value`
      : `CAST(NULL AS DOUBLE) AS numerator, CAST(NULL AS DOUBLE) AS denominator, CAST(${n} AS DOUBLE) AS value`;
  return `WITH m AS (
      SELECT year, school_id, max(value) FILTER (WHERE code = ${lit(numCode)}) AS n, ${den} AS d
      FROM monitoring m WHERE code IN ${inList(codes)} AND (school_id IS NULL OR (${opts.schoolWhere ?? 'TRUE'}))
      GROUP BY year, school_id),
    s AS (SELECT year, sum(n) AS n, sum(d) AS d, count(*) AS k FROM m WHERE school_id IS NOT NULL AND ${both} GROUP BY year),
    mr AS (SELECT year, n, d FROM m WHERE school_id IS NULL)
    SELECT ${lit(id)} AS indicator_id, CAST(year AS INTEGER) AS year, CAST(NULL AS VARCHAR) AS procedure,
      CAST(NULL AS VARCHAR) AS subject, CAST(NULL AS INTEGER) AS grade, CAST(school_id AS VARCHAR) AS school_id,
      CAST(${dimName} AS VARCHAR) AS dimension, CAST(${dimValue} AS VARCHAR) AS dimension_value, ${out('n', 'd')}
    FROM m WHERE school_id IS NOT NULL AND n IS NOT NULL
    UNION ALL
    SELECT ${lit(id)}, CAST(year AS INTEGER), NULL, NULL, NULL, NULL, ${dimName}, ${dimValue},
      ${out('CASE WHEN s.k > 0 THEN s.n ELSE mr.n END', 'CASE WHEN s.k > 0 THEN s.d ELSE mr.d END')}
    FROM s FULL JOIN mr USING (year)`;
}

/**
 * The one tie rule for every rank of the indicator table (README «Ranks»): competition ranking
 * «1, 2, 2, 4» — equal values share the best rank of their group and the next rank is skipped;
 * never ordered by school code. Values equal to TIE_DECIMALS decimals are equal, so that two
 * sums of the same numbers in a different order still tie.
 */
export const TIE_DECIMALS = 9;

/** SQL window expression ranking `expr` by the tie rule; NULLs are ranked last (callers drop them). */
export function rankSql(expr: string, opts: { partitionBy?: string; descending?: boolean } = {}): string {
  const partition = opts.partitionBy ? `PARTITION BY ${opts.partitionBy} ` : '';
  return `rank() OVER (${partition}ORDER BY round(${expr}, ${TIE_DECIMALS}) ${opts.descending === false ? 'ASC' : 'DESC'} NULLS LAST)`;
}

/** The same rule in TypeScript: rank of each value (1 = highest unless `descending` is false). */
export function competitionRanks(values: readonly number[], descending = true): number[] {
  const scale = 10 ** TIE_DECIMALS;
  const key = values.map((v) => Math.round(v * scale) / scale);
  const sorted = [...key].sort((a, b) => (descending ? b - a : a - b));
  return key.map((k) => sorted.indexOf(k) + 1);
}

/**
 * Leading parts of `dimension` (before the first '|') of rows that are statistics about a value,
 * not a measure (README «Conventions»): intervals, p-values, ranks, cluster labels, clustering
 * diagnostics, model estimates and data-quality counts (GIA-06 `above_max`). GIA-08 reports
 * year-over-year changes of measures only.
 */
export const NON_MEASURE_DIMENSIONS = [
  'ci_low', 'ci_high', 'welch_p', 'p_value', 'spearman_p', 'spearman_schools', 'rank', 'cluster', 'cluster_profile',
  'icc', 'design_effect', 'adjusted', 'above_max',
] as const;

/**
 * SELECTs with the indicator columns for the runner to insert itself: the rows never pass through
 * JavaScript (issue #15). Use `rowsOf` only where a JS-only statistic needs the rows.
 */
export const sqlRows = (...sql: string[]): Promise<SqlRows> => Promise.resolve({ sql });

/** Runs a SELECT with the indicator columns and types the rows as IndicatorRow. */
export async function rowsOf(ctx: IndicatorContext, sql: string): Promise<IndicatorRow[]> {
  const rows = await ctx.conn.query({ type: 'rows', sql });
  return rows.map(toIndicatorRow);
}

export function toIndicatorRow(r: Record<string, unknown>): IndicatorRow {
  const num = (v: unknown) => (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? null : Number(v));
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    indicator_id: String(r.indicator_id),
    year: num(r.year),
    procedure: str(r.procedure),
    subject: str(r.subject),
    grade: num(r.grade),
    school_id: str(r.school_id),
    dimension: str(r.dimension),
    dimension_value: str(r.dimension_value),
    numerator: num(r.numerator),
    denominator: num(r.denominator),
    value: num(r.value),
  };
}

type RowFields = Partial<Omit<IndicatorRow, 'indicator_id'>>;

/** The field of `more` when it has one, else of `f`; NULL when neither has. */
const pick = <K extends keyof RowFields>(f: RowFields, more: RowFields | undefined, k: K): IndicatorRow[K] =>
  ((more !== undefined && more[k] !== undefined ? more[k] : f[k]) ?? null) as IndicatorRow[K];

/**
 * A row built in TypeScript (analysis results), with NULL for everything not given; `more` adds to
 * (and overrides) `f`, so that a row's key and its values need not be spread into one object: an
 * object literal spreading the key and adding the values took V8 ≈5–10 µs a row (GIA-07 builds ≈50k
 * rows on the demo), the columns named one by one take well under 1 µs.
 */
export function makeRow(id: string, f: RowFields, more?: RowFields): IndicatorRow {
  return {
    indicator_id: id,
    year: pick(f, more, 'year'),
    procedure: pick(f, more, 'procedure'),
    subject: pick(f, more, 'subject'),
    grade: pick(f, more, 'grade'),
    school_id: pick(f, more, 'school_id'),
    dimension: pick(f, more, 'dimension'),
    dimension_value: pick(f, more, 'dimension_value'),
    numerator: pick(f, more, 'numerator'),
    denominator: pick(f, more, 'denominator'),
    value: pick(f, more, 'value'),
  };
}

/** The quoted table holding the rows computed so far in this run (derived indicators read it). */
export const indicatorsTableSql = (ctx: IndicatorContext): string => quoteIdent(ctx.table ?? INDICATORS_TABLE);

/** Rows of already computed indicators (materialised by the runner), for derived indicators. */
export async function computedRows(ctx: IndicatorContext, id: string): Promise<IndicatorRow[]> {
  const rows = await ctx.conn.query({
    type: 'rows',
    sql: `SELECT ${INDICATOR_SELECT_COLUMNS} FROM ${indicatorsTableSql(ctx)} WHERE indicator_id = $1`,
    params: [id],
  });
  return rows.map(toIndicatorRow);
}
