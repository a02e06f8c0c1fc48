/**
 * GIA-07's SQL (run by factors.ts): the participants staged once with their factor values, their
 * part rates, and per factor the per school × group sums of every comparison.
 *
 * Integer keys (issue #15): work, school, measure/part and group are small integers from the staged
 * participants' dictionaries, so that the groupings and windows over the ≈4M per-participant values
 * of a regional set carry five integers and a value, not seven text columns (work, factor, measure,
 * part, school, group); those rows were the largest working set of the run in the tab's wasm heap.
 * JavaScript reads the dictionaries once and the sums by their numbers.
 */
import { quoteLiteral } from '../../db/connector';
import { hasColumn, hasTable, resultsSql } from '../sql';
import type { IndicatorContext } from '../types';
import type { FactorBuckets, FactorKey } from './factors';

/** Measure codes of the summaries: part rates are PART_BASE + the part's number. */
export const MEASURE_BELOW_MIN = 0;
export const MEASURE_SCORE = 1;
export const PART_BASE = 2;

/** Columns that identify a comparison's work: pooled works share procedure and subject only. */
export const workColumns = (pool: boolean): string[] => (pool ? ['procedure', 'subject'] : ['year', 'procedure', 'subject', 'grade']);

/** SQL twins of the bucket functions: CASE branches with the same labels (x is a DOUBLE expression). */
function hoursBucketSql(x: string, edges: number[]): string {
  const top = edges[edges.length - 1];
  const whens = [`WHEN ${x} >= ${top} THEN ${quoteLiteral(`${top}+`)}`];
  // Below the top edge the label is the whole hour, but at least the first edge.
  for (let h = Math.ceil(top) - 1; h >= Math.ceil(edges[0]); h--) whens.push(`WHEN ${x} >= ${h} THEN ${quoteLiteral(String(h))}`);
  return `CASE WHEN ${x} IS NULL OR NOT isfinite(${x}) THEN NULL ${whens.join(' ')} ELSE ${quoteLiteral(String(edges[0]))} END`;
}

function rangeBucketSql(x: string, edges: number[]): string {
  const whens = edges.map((e, i) => `WHEN ${x} < ${e} THEN ${quoteLiteral(i === 0 ? `<${e}` : `${edges[i - 1]}–${e - 1}`)}`);
  return `CASE WHEN ${x} IS NULL OR NOT isfinite(${x}) THEN NULL ${whens.join(' ')} ELSE ${quoteLiteral(`${edges[edges.length - 1]}+`)} END`;
}

/**
 * One row per participant (results with their retake rule, the work filter `where`): the six keys
 * of their task rows, score, passed, each available factor as text, and the integer `pid`, `work`
 * (dictionary of `workColumns`) and `school` (0 = no school).
 */
export function participantsSql(ctx: IndicatorContext, factors: FactorKey[], buckets: FactorBuckets, where: string, pool: boolean): string {
  const ct = hasTable(ctx, 'class_teaching');
  const col = (alias: string, table: string, c: string) => (hasTable(ctx, table) && hasColumn(ctx, table, c) ? `${alias}.${c}` : 'NULL');
  const ctCol = (c: string) => (ct && hasColumn(ctx, 'class_teaching', c) ? `CASE WHEN c1.class IS NOT NULL THEN c1.${c} ELSE c2.${c} END` : 'NULL');
  // c2: the class's teaching of the base subject ('Математика' for 'Математика (профильная)') when
  // c1 found none; only equality conditions, so that DuckDB hash-joins (a nested loop took seconds).
  const ctJoin = ct
    ? `LEFT JOIN class_teaching c1 ON c1.year = r.year AND c1.school_id = r.school_id AND c1.class = r.class AND c1.subject = r.subject
       LEFT JOIN class_teaching c2 ON c2.year = r.year AND c2.school_id = r.school_id AND c2.class = r.class
         AND c2.subject = CASE WHEN c1.class IS NULL THEN regexp_replace(r.subject, '\\s*\\(.*\\)$', '') END`
    : '';
  const staffJoin = hasTable(ctx, 'staff') && ct ? `LEFT JOIN staff st ON st.year = r.year AND st.staff_id = ${ctCol('teacher_id')}` : '';
  const schoolJoin = hasTable(ctx, 'schools') ? 'LEFT JOIN schools sc ON sc.year = r.year AND sc.school_id = r.school_id' : '';
  const dbl = (x: string) => `TRY_CAST(${x} AS DOUBLE)`;
  const factorSql: Record<FactorKey, string> = {
    settlement_type: col('sc', 'schools', 'settlement_type'),
    study_level: ctCol('study_level'),
    hours_per_week: hoursBucketSql(dbl(ctCol('hours_per_week')), buckets.hours),
    months_with_class: rangeBucketSql(dbl(ctCol('months_with_class')), buckets.months),
    category: staffJoin ? col('st', 'staff', 'category') : 'NULL',
    experience: rangeBucketSql(dbl(staffJoin ? col('st', 'staff', 'experience_years') : 'NULL'), buckets.experience),
    textbook: ctCol('textbook'),
  };
  const key = workColumns(pool);
  // The results inline, not the run's staged table: GIA-07's sums follow this join's row order (read
  // from the staged table, 9 399 of its values moved at 1e-16).
  return `WITH base AS MATERIALIZED (
      SELECT r.year, r.procedure, r.subject, r.grade, r.school_id, r.student_id, r.score, r.passed,
        ${factors.map((k) => `CAST(${factorSql[k]} AS VARCHAR) AS ${k}`).join(', ')}
      FROM ${resultsSql(ctx, { inline: true })} r ${schoolJoin} ${ctJoin} ${staffJoin}
      WHERE TRUE ${where}),
    works AS (SELECT *, CAST(row_number() OVER (ORDER BY ${key.join(', ')}) AS INTEGER) AS work FROM (SELECT DISTINCT ${key.join(', ')} FROM base)),
    schools AS (SELECT school_id, CAST(row_number() OVER (ORDER BY school_id) AS INTEGER) AS school
      FROM (SELECT DISTINCT school_id FROM base WHERE school_id IS NOT NULL))
    SELECT row_number() OVER () AS pid, w.work, coalesce(s.school, 0) AS school, base.*
    FROM base JOIN works w ON ${key.map((k) => `w.${k} IS NOT DISTINCT FROM base.${k}`).join(' AND ')}
    LEFT JOIN schools s ON s.school_id = base.school_id`;
}

/** The KIM parts of the specification, numbered from PART_BASE (a task without a part is in '—'). */
export const partsSql = (spec: string): string =>
  `SELECT part, CAST(row_number() OVER (ORDER BY part) + ${PART_BASE - 1} AS INTEGER) AS m FROM (SELECT DISTINCT coalesce(part, '—') AS part FROM ${spec})`;

/**
 * Each participant's solution rate of each part: Σ score / Σ max_score over the part's tasks (a
 * missing task score counts as 0 points, also when the whole part is missing). The task rows are
 * summed per participant key × part first and joined to the participants after: joined first, the
 * engine built its hash table on participants × tasks (16M rows on a regional set).
 * `where` narrows the task rows as the participants were (alias ts).
 */
export function ratesSql(p: string, spec: string, parts: string, where: string): string {
  const keys = ['year', 'procedure', 'subject', 'grade', 'school_id', 'student_id'];
  return `SELECT p.pid, t.m, coalesce(t.s / t.mx, 0) AS rate
    FROM (SELECT ${keys.map((k) => `ts.${k}`).join(', ')}, pt.m, sum(ts.score) AS s, sum(sp.max_score) AS mx
          FROM task_scores ts
          JOIN ${spec} sp ON ${[...keys.slice(0, 4), 'task'].map((k) => `sp.${k} = ts.${k}`).join(' AND ')}
          JOIN ${parts} pt ON pt.part = coalesce(sp.part, '—')
          WHERE sp.max_score > 0 ${where}
          GROUP BY ALL) t
    JOIN ${p} p ON ${keys.map((k) => `p.${k} = t.${k}`).join(' AND ')}`;
}

/** The groups of one factor numbered 1… (`g`), from the staged participants. */
export const groupsSql = (p: string, factor: FactorKey): string =>
  `SELECT grp, CAST(row_number() OVER (ORDER BY grp) AS INTEGER) AS g FROM (SELECT DISTINCT ${factor} AS grp FROM ${p} WHERE ${factor} IS NOT NULL)`;

/**
 * Per work × measure × school × group of one factor: n, Σ, Σ(y − ȳ)² and the Kruskal–Wallis rank
 * sums and tie term. One value per participant and measure (below-minimum 1/0, score unless pooled,
 * part rates) counted per distinct value; a value's average rank within its work × measure is the
 * count up to it minus (ties − 1)/2. The school × group means are a grouping joined back (a window
 * partitioned by school × group sorted every value).
 */
export function summarySql(t: { p: string; groups: string; rates: string | null }, factor: FactorKey, pool: boolean): string {
  return `WITH pf AS (
      SELECT p.pid, p.work, p.school, p.score, p.passed, d.g FROM ${t.p} p JOIN ${t.groups} d ON d.grp = p.${factor}),
    vals AS (
      SELECT work, ${MEASURE_BELOW_MIN} AS m, school, g, CAST(CASE WHEN passed THEN 0 ELSE 1 END AS DOUBLE) AS value FROM pf WHERE passed IS NOT NULL
      ${pool ? '' : `UNION ALL SELECT work, ${MEASURE_SCORE}, school, g, score FROM pf`}
      ${t.rates ? `UNION ALL SELECT pf.work, r.m, pf.school, pf.g, r.rate FROM pf JOIN ${t.rates} r ON r.pid = pf.pid` : ''}),
    counts AS MATERIALIZED (
      SELECT work, m, school, g, value, CAST(count(*) AS DOUBLE) AS c FROM vals WHERE isfinite(value) GROUP BY ALL),
    vr AS (
      SELECT work, m, value, ties, sum(ties) OVER (PARTITION BY work, m ORDER BY value) - (ties - 1) / 2 AS avg_rank
      FROM (SELECT work, m, value, sum(c) AS ties FROM counts GROUP BY ALL)),
    means AS (SELECT work, m, school, g, sum(c * value) / sum(c) AS mean FROM counts GROUP BY ALL)
    SELECT work, m, school, g, sum(c) AS n, sum(c * value) AS total, sum(c * (value - mean) * (value - mean)) AS ss,
      sum(c * avg_rank) AS rank_sum, sum(c * (ties * ties - 1)) AS tie_term
    FROM counts JOIN vr USING (work, m, value) JOIN means USING (work, m, school, g)
    GROUP BY work, m, school, g`;
}
