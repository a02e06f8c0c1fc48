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
import { quoteIdent, type Param } from '../../db/connector';
import { hasColumn, hasTable } from '../sql';
import { taskSpecTable } from '../stage';
import { anovaFromSummary, independenceTest, kruskalFromRanks, tIntervalFromSummary, wilson, type IndependenceMethod } from '../stats';
import type { IndicatorContext } from '../types';
import { filterSql, finite, groupBy, num, query, queryPaged, type WorkFilter } from './common';
import { mergeByCluster } from '../stats/clustered';
import { clusteredComparison, type ClusteredComparison, type SchoolCovariates } from './factor-clustered';
import { breathe } from '../yield';
import { MEASURE_BELOW_MIN, MEASURE_SCORE, groupsSql, participantsSql, partsSql, ratesSql, summarySql, workColumns } from './factor-sql';

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
  const f = filterSql({ ...filter, school_id: undefined }, 'r');
  const grades = (alias: string) => (options.grades ? (options.grades.length ? `AND ${alias}.grade IN (${options.grades.map(Number).join(', ')})` : 'AND FALSE') : '');
  const pool = options.pool === true;
  const spec = hasTable(ctx, 'task_scores') ? await taskSpecTable(ctx) : null;
  // The task rows are narrowed as the participants are (the same filter, numbered from the same $1).
  const tsWhere = `${filterSql({ ...filter, school_id: undefined }, 'ts').sql} ${grades('ts')}`;
  const covariatesOf = await schoolCovariates(ctx);
  const out: CellResult[] = [];
  // The participants and their part rates are staged once; then one factor at a time, so that the
  // engine never holds every factor's per-participant values at once (regional: ≈28M rows when the
  // seven factors were unpivoted together, more than a tab's wasm heap holds).
  await withTempTables(
    ctx,
    {
      p: () => ({ sql: participantsSql(ctx, available, buckets, `${f.sql} ${grades('r')}`, pool), params: f.params }),
      parts: () => (spec ? { sql: partsSql(spec), params: [] } : null),
      rates: (t) => (spec ? { sql: ratesSql(t.p!, spec, t.parts!, tsWhere), params: f.params } : null),
    },
    async (t) => {
      const dict = await dictionaries(ctx, t.p!, t.parts, pool);
      for (const factor of available) {
        await withTempTables(ctx, { groups: () => ({ sql: groupsSql(t.p!, factor), params: [] }) }, async (g) => {
          const labels = new Map((await query(ctx, `SELECT g, grp FROM ${g.groups}`)).map((r) => [Number(r.g), String(r.grp)]));
          const byCell = await summaries(ctx, summarySql({ p: t.p!, groups: g.groups!, rates: t.rates }, factor, pool));
          for (const { work, m, rows } of byCell.values()) {
            // Thousands of comparisons, each a few small regressions: the page gets a turn between them.
            await breathe();
            const base = cellBase(dict, { work, m }, factor, pool);
            // Named fields, not a spread of the row: a spread with properties added is V8's slow copy.
            const cells = rows.map((r) => ({ school: dict.schools.get(r.school) ?? null, group: labels.get(r.g)!, n: r.n, total: r.total, ss: r.ss, rankSum: r.rankSum, tieTerm: r.tieTerm }));
            out.push(analyseCell(ctx, base, cells, covariatesOf));
          }
        });
      }
    },
  );
  const order = (c: CellResult) => [c.base.procedure, c.base.subject, c.base.year, c.base.grade, available.indexOf(c.base.factor), ['part', 'score', 'below_min'].indexOf(c.base.measure), c.base.part];
  // Each cell's sort key is built once (the same stable order): built inside the comparison, it
  // allocated two arrays per comparison, n·log n of them in one stretch of the tab's thread.
  const keys = new Map(out.map((c) => [c, order(c)]));
  out.sort((a, b) => compare(keys.get(a)!, keys.get(b)!));
  const groups: FactorGroup[] = [];
  const tests: FactorTest[] = [];
  const clustered: FactorClustered[] = [];
  for (const c of out) {
    await breathe();
    for (const g of c.groups) groups.push(g);
    for (const t of c.tests) tests.push(t);
    for (const x of c.clustered) clustered.push(x);
  }
  return { groups, tests, clustered, missing };
}

interface CellResult {
  base: FactorKeyFields;
  groups: FactorGroup[];
  tests: FactorTest[];
  clustered: FactorClustered[];
}

let tempSeq = 0;

type TempDefs<K extends string> = Record<K, (earlier: Record<K, string | null>) => { sql: string; params: Param[] } | null>;

/** Creates temporary tables for `fn` (in the order given, each seeing the earlier ones) and drops them afterwards, whatever happens. */
async function withTempTables<K extends string>(ctx: IndicatorContext, defs: TempDefs<K>, fn: (names: Record<K, string | null>) => Promise<void>): Promise<void> {
  const names = {} as Record<K, string | null>;
  const made: string[] = [];
  try {
    for (const [k, make] of Object.entries(defs) as [K, TempDefs<K>[K]][]) {
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

/** What the integer keys of the summaries stand for (factor-sql.ts). */
interface Dictionaries {
  works: Map<number, Record<string, unknown>>;
  /** School number → school_id (0, no school, is absent: null). */
  schools: Map<number, string>;
  parts: Map<number, string>;
}

async function dictionaries(ctx: IndicatorContext, p: string, parts: string | null, pool: boolean): Promise<Dictionaries> {
  const works = await query(ctx, `SELECT DISTINCT work, ${workColumns(pool).join(', ')} FROM ${p}`);
  const schools = await query(ctx, `SELECT DISTINCT school, school_id FROM ${p} WHERE school > 0`);
  const partRows = parts ? await query(ctx, `SELECT m, part FROM ${parts}`) : [];
  return {
    works: new Map(works.map((w) => [Number(w.work), w])),
    schools: new Map(schools.map((r) => [Number(r.school), String(r.school_id)])),
    parts: new Map(partRows.map((r) => [Number(r.m), String(r.part)])),
  };
}

/** The work, factor, measure and part of a comparison (work × measure code). */
function cellBase(dict: Dictionaries, cell: { work: number; m: number }, factor: FactorKey, pool: boolean): FactorKeyFields {
  const w = dict.works.get(cell.work)!;
  const measure = cell.m === MEASURE_BELOW_MIN ? 'below_min' : cell.m === MEASURE_SCORE ? 'score' : 'part';
  return {
    year: pool ? null : Number(w.year),
    procedure: String(w.procedure),
    subject: String(w.subject),
    grade: pool ? null : Number(w.grade),
    factor,
    measure,
    part: measure === 'part' ? dict.parts.get(cell.m)! : null,
  };
}

/** One summary row: a school × group of a comparison. */
interface SummaryRow {
  school: number;
  g: number;
  n: number;
  total: number;
  ss: number;
  rankSum: number;
  tieTerm: number;
}

/**
 * The summary rows grouped by comparison (work × measure code). Numbers only cross to JavaScript
 * (the keys are the dictionaries' numbers), a page at a time.
 */
async function summaries(ctx: IndicatorContext, sql: string): Promise<Map<string, { work: number; m: number; rows: SummaryRow[] }>> {
  const out = new Map<string, { work: number; m: number; rows: SummaryRow[] }>();
  const rows = await queryPaged(ctx, sql);
  for (let i = 0; i < rows.length; i++) {
    // Regional: tens of thousands of rows; a turn for the page every slice.
    if (i % 1024 === 1023) await breathe();
    const r = rows[i]!;
    const key = `${r.work}|${r.m}`;
    let cell = out.get(key);
    if (!cell) out.set(key, (cell = { work: Number(r.work), m: Number(r.m), rows: [] }));
    cell.rows.push({ school: Number(r.school), g: Number(r.g), n: Number(r.n), total: Number(r.total), ss: Number(r.ss), rankSum: Number(r.rank_sum), tieTerm: Number(r.tie_term) });
  }
  return out;
}

/** One school × group cell with its labels. */
interface LabelledCell {
  school: string | null;
  group: string;
  n: number;
  total: number;
  ss: number;
  rankSum: number;
  tieTerm: number;
}

/**
 * The comparison's key fields with `x`'s: a fresh literal of the key, then the rest assigned. A
 * literal spreading the key and adding seven properties took V8 ≈15 µs (its slow generic copy).
 */
const keyed = <T extends object>(b: FactorKeyFields, x: T): FactorKeyFields & T =>
  Object.assign({ year: b.year, procedure: b.procedure, subject: b.subject, grade: b.grade, factor: b.factor, measure: b.measure, part: b.part }, x);

/** Groups with intervals, the pupil-level test and the clustered comparison of one cell. */
function analyseCell(
  ctx: IndicatorContext,
  base: FactorKeyFields,
  rows: LabelledCell[],
  covariatesOf: (year: number | null, school: string) => SchoolCovariates | undefined,
): CellResult {
  const res: CellResult = { base, groups: [], tests: [], clustered: [] };
  const alpha = ctx.params.alpha;
  // Rows are per school × group: the groups merge them, the clustered comparison keeps them.
  const rankSums = new Map<string, number>();
  for (const r of rows) rankSums.set(r.group, (rankSums.get(r.group) ?? 0) + r.rankSum);
  const gs = mergeByCluster(rows.map((c) => ({ cluster: c.group, n: c.n, sum: c.total, ss: c.ss })))
    .map((g) => ({ group: g.cluster, n: g.n, total: g.sum, mean: g.sum / g.n, ss: g.ss, rankSum: rankSums.get(g.cluster) ?? 0 }))
    .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0));
  if (gs.length >= 2) res.clustered.push(keyed(base, clusteredComparison(base.factor, rows, (s) => covariatesOf(base.year, s))));
  if (base.measure === 'below_min') {
    for (const g of gs) {
      const w = wilson(g.total, g.n);
      res.groups.push(keyed(base, { group: g.group, n: g.n, value: w.estimate, ci_low: w.low, ci_high: w.high, numerator: g.total, reliable: g.n >= ctx.params.minGroupSize }));
    }
    if (gs.length >= 2) {
      const c = independenceTest(gs.map((g) => [g.total, g.n - g.total]));
      res.tests.push(keyed(base, { groups: gs.length, test: c.method, statistic: finite(c.statistic), p: finite(c.p), kruskal_p: null, significant: c.p < alpha }));
    }
    return res;
  }
  for (const g of gs) {
    const t = tIntervalFromSummary(g.n, g.mean, Math.sqrt(g.ss / (g.n - 1)));
    res.groups.push(keyed(base, { group: g.group, n: t.n, value: finite(t.estimate), ci_low: finite(t.low), ci_high: finite(t.high), numerator: null, reliable: t.n >= ctx.params.minGroupSize }));
  }
  if (gs.length >= 2) {
    const a = anovaFromSummary(gs);
    const k = kruskalFromRanks(gs, rows.reduce((s, r) => s + r.tieTerm, 0));
    res.tests.push(keyed(base, { groups: gs.length, test: 'ANOVA', statistic: finite(a.statistic), p: finite(a.p), kruskal_p: finite(k.p), significant: a.p < alpha }));
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
  // Nested by year, then school: no key string is built per lookup (thousands of comparisons × their schools).
  const byYear = new Map<number, Map<string, SchoolCovariates>>();
  const bySchool = new Map<string, SchoolCovariates>();
  for (const [school, list] of groupBy(rows, (r) => String(r.school_id))) {
    const avg = (k: 'students_total' | 'social_index') => {
      const xs = list.map((r) => num(r[k])).filter((v): v is number => v !== null);
      return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
    };
    const settled = list.filter((r) => r.settlement_type !== null);
    bySchool.set(school, { settlement_type: settled.length ? String(settled[settled.length - 1].settlement_type) : null, students_total: avg('students_total'), social_index: avg('social_index') });
    for (const r of list) {
      let ofYear = byYear.get(Number(r.year));
      if (!ofYear) byYear.set(Number(r.year), (ofYear = new Map()));
      ofYear.set(school, { settlement_type: r.settlement_type === null ? null : String(r.settlement_type), students_total: num(r.students_total), social_index: num(r.social_index) });
    }
  }
  return (year, school) => (year === null ? bySchool.get(school) : byYear.get(year)?.get(school));
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
