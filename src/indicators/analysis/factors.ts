/**
 * GIA-07: results of each work broken down by the factors of the teaching context.
 * Unit of analysis: the participant. For each KIM part the participant's solution rate is
 * sum(score)/sum(max_score) over the part's tasks; the group value is the mean of these rates
 * with a t interval, and the groups of a factor are compared by one-way ANOVA and Kruskal–Wallis.
 * The same factors are applied to the mean score (t interval, ANOVA/Kruskal–Wallis) and to the
 * share below the minimum (Wilson interval, χ² test).
 * Everything per participant stays in SQL (regional data: millions of rows); JavaScript gets one
 * summary row per group and computes the intervals and tests from it.
 */
import { quoteIdent, quoteLiteral, type Param } from '../../db/connector';
import { hasColumn, hasTable, resultsSql } from '../sql';
import { taskSpecTable } from '../stage';
import { anovaFromSummary, independenceTest, kruskalFromRanks, tIntervalFromSummary, wilson, type IndependenceMethod } from '../stats';
import type { IndicatorContext } from '../types';
import { filterSql, finite, groupBy, num, query, queryPaged, type WorkFilter } from './common';
import { mergeByCluster } from '../stats/clustered';
import { clusteredComparison, type ClusteredComparison, type SchoolCovariates } from './factor-clustered';
import { breathe } from '../yield';

export const FACTORS = [
  { key: 'settlement_type', title: 'Тип населённого пункта', needs: ['schools.settlement_type'] },
  { key: 'study_level', title: 'Уровень изучения предмета', needs: ['class_teaching.study_level'] },
  { key: 'hours_per_week', title: 'Часов в неделю', needs: ['class_teaching.hours_per_week'] },
  { key: 'months_with_class', title: 'Время работы педагога с классом', needs: ['class_teaching.months_with_class'] },
  { key: 'category', title: 'Квалификационная категория учителя', needs: ['class_teaching.teacher_id', 'staff.category'] },
  { key: 'experience', title: 'Педагогический стаж учителя', needs: ['class_teaching.teacher_id', 'staff.experience_years'] },
  { key: 'textbook', title: 'Учебник', needs: ['class_teaching.textbook'] },
] as const;
export type FactorKey = (typeof FACTORS)[number]['key'];

/** Bucket edges (catalogue defaults; editable as notebook parameters). */
export interface FactorBuckets {
  hours: number[];
  months: number[];
  experience: number[];
}
export const DEFAULT_BUCKETS: FactorBuckets = { hours: [1, 2, 3, 4, 5], months: [12, 24, 48], experience: [3, 10, 20] };

export function hoursBucket(h: number | null, edges = DEFAULT_BUCKETS.hours): string | null {
  if (h === null) return null;
  const top = edges[edges.length - 1];
  if (h >= top) return `${top}+`;
  return String(Math.max(edges[0], Math.floor(h)));
}

/** Ranges '<a', 'a–(b−1)', …, 'z+' for integer-valued edges. */
export function rangeBucket(v: number | null, edges: number[]): string | null {
  if (v === null) return null;
  if (v < edges[0]) return `<${edges[0]}`;
  for (let i = 1; i < edges.length; i++) if (v < edges[i]) return `${edges[i - 1]}–${edges[i] - 1}`;
  return `${edges[edges.length - 1]}+`;
}

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

/** The work, factor and measure a group or a test belongs to. */
export interface FactorKeyFields {
  /** NULL when works were pooled over years / grades. */
  year: number | null;
  procedure: string;
  subject: string;
  grade: number | null;
  factor: FactorKey;
  /** 'part': solution rate of one KIM part; 'score': mean score; 'below_min': share below the minimum. */
  measure: 'part' | 'score' | 'below_min';
  part: string | null;
}

export interface FactorGroup extends FactorKeyFields {
  group: string;
  n: number;
  value: number | null;
  ci_low: number | null;
  ci_high: number | null;
  /** share rows only */
  numerator: number | null;
  reliable: boolean;
}

export interface FactorTest extends FactorKeyFields {
  groups: number;
  /** χ² is replaced by an exact or Monte-Carlo test when an expected count is below 5. */
  test: 'ANOVA' | IndependenceMethod;
  statistic: number | null;
  p: number | null;
  kruskal_p: number | null;
  significant: boolean;
}

export interface FactorClustered extends FactorKeyFields, ClusteredComparison {}

export interface FactorAnalysis {
  groups: FactorGroup[];
  tests: FactorTest[];
  /** ICC, design effect, clustered and adjusted comparisons (factor-clustered.ts), one per test. */
  clustered: FactorClustered[];
  /** Factors that could not be computed, with the inputs they lack. */
  missing: { factor: FactorKey; inputs: string[] }[];
}

export interface FactorOptions {
  buckets?: FactorBuckets;
  /** Pool the works of the same procedure and subject over years and grades (solution rates are comparable; scores are not). */
  pool?: boolean;
  /** Only these grades (with or without pooling). */
  grades?: number[];
}

export async function factorAnalysis(ctx: IndicatorContext, filter?: WorkFilter, options: FactorOptions = {}): Promise<FactorAnalysis> {
  const buckets = options.buckets ?? DEFAULT_BUCKETS;
  const filled = await filledColumns(ctx, FACTORS.flatMap((f) => [...f.needs]));
  const have = (ref: string) => filled.has(ref);
  const missing = FACTORS.map((f) => ({ factor: f.key, inputs: f.needs.filter((n) => !have(n)) })).filter((m) => m.inputs.length);
  const available = FACTORS.filter((f) => !missing.some((m) => m.factor === f.key)).map((f) => f.key);
  if (!available.length) return { groups: [], tests: [], clustered: [], missing };
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
  const f = filterSql({ ...filter, school_id: undefined }, 'r');
  const grades = options.grades ? (options.grades.length ? `AND r.grade IN (${options.grades.map(Number).join(', ')})` : 'AND FALSE') : '';
  const participants = `SELECT row_number() OVER () AS pid, r.year, r.procedure, r.subject, r.grade, r.school_id, r.student_id, r.score, r.passed,
      ${available.map((k) => `CAST(${factorSql[k]} AS VARCHAR) AS ${k}`).join(', ')}
    FROM ${resultsSql(ctx)} r ${schoolJoin} ${ctJoin} ${staffJoin}
    WHERE TRUE ${f.sql} ${grades}`;
  // A missing task score counts as 0 points, also when the whole part is missing. The task rows
  // join the staged participants directly (their six keys carry the results' retake filter and the
  // work filter), so each participant's part rates are summed on one integer key, not on six columns.
  const spec = hasTable(ctx, 'task_scores') ? await taskSpecTable(ctx) : null;
  const keys = ['year', 'procedure', 'subject', 'grade', 'school_id', 'student_id'];
  const rates = (p: string) =>
    spec
      ? `SELECT p.pid, coalesce(sp.part, '—') AS part, coalesce(sum(ts.score) / sum(sp.max_score), 0) AS rate
         FROM task_scores ts
         JOIN ${p} p ON ${keys.map((k) => `p.${k} = ts.${k}`).join(' AND ')}
         JOIN ${spec} sp ON ${[...keys.slice(0, 4), 'task'].map((k) => `sp.${k} = ts.${k}`).join(' AND ')}
         WHERE sp.max_score > 0
         GROUP BY p.pid, coalesce(sp.part, '—')`
      : null;
  const covariatesOf = await schoolCovariates(ctx);
  const out: CellResult[] = [];
  // The participants and their part rates are staged once; then one factor at a time, so that the
  // engine never holds every factor's per-participant values at once (regional: ≈28M rows when the
  // seven factors were unpivoted together, more than a tab's wasm heap holds).
  await withTempTables(ctx, { p: () => ({ sql: participants, params: f.params }), rates: (names) => (rates(names.p!) ? { sql: rates(names.p!)!, params: [] } : null) }, async (names) => {
    for (const factor of available) {
      const { cells, rows: byCell } = await summaries(ctx, summarySql(names, factor, options.pool === true), options.pool === true);
      for (const [id, rows] of byCell) {
        // Thousands of comparisons, each a few small regressions: the page gets a turn between them.
        await breathe();
        out.push(analyseCell(ctx, cells.get(id)!, rows, options.pool === true, covariatesOf));
      }
    }
  });
  const order = (c: CellResult) => [c.base.procedure, c.base.subject, c.key.year, c.key.grade, available.indexOf(c.base.factor), ['part', 'score', 'below_min'].indexOf(c.base.measure), c.key.part];
  out.sort((a, b) => compare(order(a), order(b)));
  const groups = out.flatMap((c) => c.groups);
  const tests = out.flatMap((c) => c.tests);
  const clustered = out.flatMap((c) => c.clustered);
  return { groups, tests, clustered, missing };
}

interface CellResult {
  base: FactorKeyFields;
  /** The cell's key as the engine returned it (the sort order of the former single query). */
  key: { year: unknown; grade: unknown; part: unknown };
  groups: FactorGroup[];
  tests: FactorTest[];
  clustered: FactorClustered[];
}

let tempSeq = 0;

/** Creates temporary tables for `fn` and drops them afterwards, whatever happens. */
async function withTempTables<K extends string>(
  ctx: IndicatorContext,
  defs: Record<K, (earlier: Record<K, string | null>) => { sql: string; params: Param[] } | null>,
  fn: (names: Record<K, string | null>) => Promise<void>,
): Promise<void> {
  const names = {} as Record<K, string | null>;
  const made: string[] = [];
  try {
    for (const [k, make] of Object.entries(defs) as [K, (earlier: Record<K, string | null>) => { sql: string; params: Param[] } | null][]) {
      const d = make(names);
      if (!d) {
        names[k] = null;
        continue;
      }
      const name = quoteIdent(`indicators__factors_${k}_${++tempSeq}`);
      await query(ctx, `CREATE TEMP TABLE ${name} AS ${d.sql}`, d.params);
      made.push(name);
      names[k] = name;
    }
    await fn(names);
  } finally {
    for (const name of made) await ctx.conn.query({ type: 'exec', sql: `DROP TABLE IF EXISTS ${name}` });
  }
}

/**
 * Per school × group of one factor and every work, measure and part: n, Σ, mean, Σ(y − ȳ)², and the
 * Kruskal–Wallis rank sums and tie term. One value per participant and measure (part rates, score,
 * below-minimum 1/0) counted per distinct value; a value's average rank is the count up to it minus
 * (ties − 1)/2.
 */
function summarySql(names: { p: string | null; rates: string | null }, factor: FactorKey, pool: boolean): string {
  // Pooled works share procedure and subject; year and grade still join a participant to their task rows.
  const key = pool ? 'procedure, subject' : 'year, procedure, subject, grade';
  const cell = `${key}, factor, measure, part`;
  const cellCols = cell.split(', ');
  const cellOf = (alias: string) => cellCols.map((k) => `${alias}.${k}`).join(', ');
  return `WITH pf AS (
      SELECT pid, year, procedure, subject, grade, school_id, score, passed, ${quoteLiteral(factor)} AS factor, ${factor} AS grp
      FROM ${names.p} WHERE ${factor} IS NOT NULL),
    vals AS (
      SELECT ${key}, school_id, factor, grp, 'below_min' AS measure, NULL AS part, CAST(CASE WHEN passed THEN 0 ELSE 1 END AS DOUBLE) AS value FROM pf WHERE passed IS NOT NULL
      ${pool ? '' : `UNION ALL SELECT ${key}, school_id, factor, grp, 'score', NULL, score FROM pf`}
      ${names.rates ? `UNION ALL SELECT ${key}, school_id, factor, grp, 'part', part, rate FROM pf JOIN ${names.rates} USING (pid)` : ''}),
    counts AS (
      SELECT ${cell}, school_id, grp, value, CAST(count(*) AS DOUBLE) AS c FROM vals WHERE isfinite(value) GROUP BY ALL),
    -- ties and average ranks per distinct value of a comparison, computed over the distinct values
    -- (far fewer rows than school × group × value) and joined back
    vr AS (
      SELECT ${cell}, value, ties, sum(ties) OVER (PARTITION BY ${cell} ORDER BY value) - (ties - 1) / 2 AS avg_rank
      FROM (SELECT ${cell}, value, sum(c) AS ties FROM counts GROUP BY ALL)),
    ranked AS (
      SELECT counts.*, vr.ties, vr.avg_rank,
        sum(c * counts.value) OVER (PARTITION BY ${cellOf('counts')}, school_id, grp) / sum(c) OVER (PARTITION BY ${cellOf('counts')}, school_id, grp) AS mean
      FROM counts JOIN vr ON ${cellCols.map((k) => `vr.${k} IS NOT DISTINCT FROM counts.${k}`).join(' AND ')} AND vr.value = counts.value)
    SELECT *, dense_rank() OVER (ORDER BY ${cell}) AS cell_id FROM (
      SELECT ${cell}, school_id, grp, sum(c) AS n, sum(c * value) AS total, any_value(mean) AS mean, sum(c * (value - mean) * (value - mean)) AS ss,
        sum(c * avg_rank) AS rank_sum, sum(c * (ties * ties - 1)) AS tie_term
      FROM ranked GROUP BY ALL)`;
}

let summarySeq = 0;

/**
 * The summary rows of each comparison (work × factor × measure × part) together, and each
 * comparison's key once: the rows carry only the comparison's number (`cell_id`), school, group and
 * sums. Seven key columns repeated on each of ≈50k rows (demo) were most of the cost of reading them.
 */
async function summaries(ctx: IndicatorContext, sql: string, pool: boolean): Promise<{ cells: Map<number, Record<string, unknown>>; rows: Map<number, Record<string, unknown>[]> }> {
  const table = quoteIdent(`indicators__factors_summary_${++summarySeq}`);
  await query(ctx, `CREATE TEMP TABLE ${table} AS ${sql}`);
  try {
    const keys = await query(ctx, `SELECT DISTINCT cell_id, ${pool ? '' : 'year, grade, '}procedure, subject, factor, measure, part FROM ${table}`);
    const cells = new Map(keys.map((k) => [Number(k.cell_id), k]));
    const rows = new Map<number, Record<string, unknown>[]>();
    for (const r of await queryPaged(ctx, `SELECT cell_id, school_id, grp, n, total, ss, rank_sum, tie_term FROM ${table}`)) {
      const id = Number(r.cell_id);
      let list = rows.get(id);
      if (!list) rows.set(id, (list = []));
      list.push(r);
    }
    return { cells, rows };
  } finally {
    await ctx.conn.query({ type: 'exec', sql: `DROP TABLE IF EXISTS ${table}` });
  }
}

/** Groups with intervals, the pupil-level test and the clustered comparison of one cell. */
function analyseCell(
  ctx: IndicatorContext,
  r0: Record<string, unknown>,
  rows: Record<string, unknown>[],
  pool: boolean,
  covariatesOf: (year: number | null, school: string) => SchoolCovariates | undefined,
): CellResult {
  const base: FactorKeyFields = {
    year: pool ? null : Number(r0.year),
    procedure: String(r0.procedure),
    subject: String(r0.subject),
    grade: pool ? null : Number(r0.grade),
    factor: r0.factor as FactorKey,
    measure: r0.measure as FactorGroup['measure'],
    part: r0.part === null ? null : String(r0.part),
  };
  const res: CellResult = { base, key: { year: r0.year, grade: r0.grade, part: r0.part }, groups: [], tests: [], clustered: [] };
  const alpha = ctx.params.alpha;
  // Rows are per school × group: the groups merge them, the clustered comparison keeps them.
  const schoolCells = rows.map((r) => ({ school: r.school_id === null ? null : String(r.school_id), group: String(r.grp), n: Number(r.n), total: Number(r.total), ss: Number(r.ss) }));
  const rankSums = new Map<string, number>();
  for (const r of rows) rankSums.set(String(r.grp), (rankSums.get(String(r.grp)) ?? 0) + Number(r.rank_sum));
  const gs = mergeByCluster(schoolCells.map((c) => ({ cluster: c.group, n: c.n, sum: c.total, ss: c.ss })))
    .map((g) => ({ group: g.cluster, n: g.n, total: g.sum, mean: g.sum / g.n, ss: g.ss, rankSum: rankSums.get(g.cluster) ?? 0 }))
    .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
  if (gs.length >= 2) res.clustered.push({ ...base, ...clusteredComparison(base.factor, schoolCells, (s) => covariatesOf(base.year, s)) });
  if (base.measure === 'below_min') {
    for (const g of gs) {
      const w = wilson(g.total, g.n);
      res.groups.push({ ...base, group: g.group, n: g.n, value: w.estimate, ci_low: w.low, ci_high: w.high, numerator: g.total, reliable: g.n >= ctx.params.minGroupSize });
    }
    if (gs.length >= 2) {
      const c = independenceTest(gs.map((g) => [g.total, g.n - g.total]));
      res.tests.push({ ...base, groups: gs.length, test: c.method, statistic: finite(c.statistic), p: finite(c.p), kruskal_p: null, significant: c.p < alpha });
    }
    return res;
  }
  for (const g of gs) {
    const t = tIntervalFromSummary(g.n, g.mean, Math.sqrt(g.ss / (g.n - 1)));
    res.groups.push({ ...base, group: g.group, n: t.n, value: finite(t.estimate), ci_low: finite(t.low), ci_high: finite(t.high), numerator: null, reliable: t.n >= ctx.params.minGroupSize });
  }
  if (gs.length >= 2) {
    const a = anovaFromSummary(gs);
    const k = kruskalFromRanks(gs, rows.reduce((s, r) => s + Number(r.tie_term), 0));
    res.tests.push({ ...base, groups: gs.length, test: 'ANOVA', statistic: finite(a.statistic), p: finite(a.p), kruskal_p: finite(k.p), significant: a.p < alpha });
  }
  return res;
}

/**
 * The school covariates of the adjusted comparisons, per year; for works pooled over years
 * (year null) the school's mean size and index and its latest settlement type.
 */
async function schoolCovariates(ctx: IndicatorContext): Promise<(year: number | null, school: string) => SchoolCovariates | undefined> {
  if (!hasTable(ctx, 'schools')) return () => undefined;
  const col = (c: string, type: string) => (hasColumn(ctx, 'schools', c) ? `TRY_CAST(${c} AS ${type})` : `CAST(NULL AS ${type})`);
  const rows = await query(
    ctx,
    `SELECT year, school_id, ${col('settlement_type', 'VARCHAR')} AS settlement_type, ${col('students_total', 'DOUBLE')} AS students_total,
       ${col('social_index', 'DOUBLE')} AS social_index FROM schools ORDER BY school_id, year`,
  );
  const byYear = new Map<string, SchoolCovariates>();
  const bySchool = new Map<string, SchoolCovariates>();
  for (const [school, list] of groupBy(rows, (r) => String(r.school_id))) {
    const avg = (k: 'students_total' | 'social_index') => {
      const xs = list.map((r) => num(r[k])).filter((v): v is number => v !== null);
      return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
    };
    const settled = list.filter((r) => r.settlement_type !== null);
    bySchool.set(school, { settlement_type: settled.length ? String(settled[settled.length - 1].settlement_type) : null, students_total: avg('students_total'), social_index: avg('social_index') });
    for (const r of list)
      byYear.set(`${r.year}|${school}`, { settlement_type: r.settlement_type === null ? null : String(r.settlement_type), students_total: num(r.students_total), social_index: num(r.social_index) });
  }
  return (year, school) => (year === null ? bySchool.get(school) : byYear.get(`${year}|${school}`));
}

/**
 * The `table.column` references that exist and hold at least one value: the import keeps an absent
 * column as NULL, and an empty factor must be reported missing, not silently dropped.
 */
async function filledColumns(ctx: IndicatorContext, refs: string[]): Promise<Set<string>> {
  const byTable = groupBy(
    [...new Set(refs)].map((r) => r.split('.') as [string, string]).filter(([t, c]) => hasTable(ctx, t) && hasColumn(ctx, t, c)),
    ([t]) => t,
  );
  const out = new Set<string>();
  for (const [table, cols] of byTable) {
    const [counts] = await query(ctx, `SELECT ${cols.map(([, c], i) => `count(${quoteIdent(c)}) AS c${i}`).join(', ')} FROM ${quoteIdent(table)}`);
    cols.forEach(([, c], i) => {
      if (Number(counts[`c${i}`]) > 0) out.add(`${table}.${c}`);
    });
  }
  return out;
}

function compare(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}
