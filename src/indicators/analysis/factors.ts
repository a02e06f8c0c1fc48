/**
 * GIA-07: results of each work broken down by the factors of the teaching context.
 * Unit of analysis: the participant. For each KIM part the participant's solution rate is
 * sum(score)/sum(max_score) over the part's tasks; the group value is the mean of these rates
 * with a t interval, and the groups of a factor are compared by one-way ANOVA and Kruskal–Wallis.
 * The same factors are applied to the mean score (t interval, ANOVA/Kruskal–Wallis) and to the
 * share below the minimum (Wilson interval, χ² test).
 */
import { hasColumn, hasTable, resultsSql, taskRowsSql } from '../sql';
import { anova, chiSquare, kruskalWallis, tInterval, wilson } from '../stats';
import type { IndicatorContext } from '../types';
import { filterSql, finite, groupBy, num, query, workKey, type WorkFilter } from './common';

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

export interface FactorGroup {
  /** NULL when works were pooled over years / grades. */
  year: number | null;
  procedure: string;
  subject: string;
  grade: number | null;
  factor: FactorKey;
  /** 'part': solution rate of one KIM part; 'score': mean score; 'below_min': share below the minimum. */
  measure: 'part' | 'score' | 'below_min';
  part: string | null;
  group: string;
  n: number;
  value: number | null;
  ci_low: number | null;
  ci_high: number | null;
  /** share rows only */
  numerator: number | null;
  reliable: boolean;
}

export interface FactorTest {
  year: number | null;
  procedure: string;
  subject: string;
  grade: number | null;
  factor: FactorKey;
  measure: 'part' | 'score' | 'below_min';
  part: string | null;
  groups: number;
  test: 'ANOVA' | 'χ²';
  statistic: number | null;
  p: number | null;
  kruskal_p: number | null;
  significant: boolean;
}

export interface FactorAnalysis {
  groups: FactorGroup[];
  tests: FactorTest[];
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
  const keyOf = (r: Record<string, unknown>) => (options.pool ? `${r.procedure}\u0001${r.subject}` : workKey(r));
  const have = (ref: string) => {
    const [t, c] = ref.split('.');
    return hasTable(ctx, t) && hasColumn(ctx, t, c);
  };
  const missing = FACTORS.map((f) => ({ factor: f.key, inputs: f.needs.filter((n) => !have(n)) })).filter((m) => m.inputs.length);
  const available = FACTORS.filter((f) => !missing.some((m) => m.factor === f.key)).map((f) => f.key);
  const ct = hasTable(ctx, 'class_teaching');
  const col = (alias: string, table: string, c: string) => (hasTable(ctx, table) && hasColumn(ctx, table, c) ? `${alias}.${c}` : 'NULL');
  const ctCol = (c: string) => (ct && hasColumn(ctx, 'class_teaching', c) ? `CASE WHEN c1.class IS NOT NULL THEN c1.${c} ELSE c2.${c} END` : 'NULL');
  const ctJoin = ct
    ? `LEFT JOIN class_teaching c1 ON c1.year = r.year AND c1.school_id = r.school_id AND c1.class = r.class AND c1.subject = r.subject
       LEFT JOIN class_teaching c2 ON c1.class IS NULL AND c2.year = r.year AND c2.school_id = r.school_id AND c2.class = r.class
         AND c2.subject = regexp_replace(r.subject, '\\s*\\(.*\\)$', '')`
    : '';
  const staffJoin = hasTable(ctx, 'staff') && ct ? `LEFT JOIN staff st ON st.year = r.year AND st.staff_id = ${ctCol('teacher_id')}` : '';
  const schoolJoin = hasTable(ctx, 'schools') ? 'LEFT JOIN schools sc ON sc.year = r.year AND sc.school_id = r.school_id' : '';
  const f = filterSql({ ...filter, school_id: undefined }, 'r');
  const participantsAll = await query(
    ctx,
    `SELECT r.year, r.procedure, r.subject, r.grade, r.student_id, r.score, r.passed,
        ${col('sc', 'schools', 'settlement_type')} AS settlement_type, ${ctCol('study_level')} AS study_level,
        ${ctCol('hours_per_week')} AS hours_per_week, ${ctCol('months_with_class')} AS months_with_class,
        ${ctCol('textbook')} AS textbook, ${staffJoin ? col('st', 'staff', 'category') : 'NULL'} AS category,
        ${staffJoin ? col('st', 'staff', 'experience_years') : 'NULL'} AS experience_years
     FROM ${resultsSql(ctx)} r ${schoolJoin} ${ctJoin} ${staffJoin}
     WHERE TRUE ${f.sql}`,
    f.params,
  );
  const participants = options.grades ? participantsAll.filter((p) => options.grades!.includes(Number(p.grade))) : participantsAll;
  const partRates = hasTable(ctx, 'task_scores')
    ? await query(
        ctx,
        `SELECT year, procedure, subject, grade, student_id, coalesce(part, '—') AS part, sum(score) / sum(max_score) AS rate
         FROM ${taskRowsSql(ctx)} t WHERE max_score > 0 ${filterSql({ ...filter, school_id: undefined }, 't').sql}
         GROUP BY ALL`,
        filterSql({ ...filter, school_id: undefined }, 't').params,
      )
    : [];
  const ratesByStudent = groupBy(partRates, (r) => `${workKey(r)}\u0001${r.student_id}`);

  const bucketOf = (p: Record<string, unknown>, key: FactorKey): string | null => {
    switch (key) {
      case 'hours_per_week':
        return hoursBucket(num(p.hours_per_week), buckets.hours);
      case 'months_with_class':
        return rangeBucket(num(p.months_with_class), buckets.months);
      case 'experience':
        return rangeBucket(num(p.experience_years), buckets.experience);
      default:
        return p[key] === null || p[key] === undefined ? null : String(p[key]);
    }
  };

  const groups: FactorGroup[] = [];
  const tests: FactorTest[] = [];
  const alpha = ctx.params.alpha;
  for (const workRows of groupBy(participants, keyOf).values()) {
    const w0 = workRows[0];
    const base = {
      year: options.pool ? null : Number(w0.year),
      procedure: String(w0.procedure),
      subject: String(w0.subject),
      grade: options.pool ? null : Number(w0.grade),
    };
    // Per participant: their part rates plus the whole-work rate.
    const partsOf = (p: Record<string, unknown>): Map<string, number> => {
      const list = ratesByStudent.get(`${workKey(p)}\u0001${p.student_id}`) ?? [];
      const m = new Map<string, number>();
      for (const r of list) m.set(String(r.part), Number(r.rate));
      return m;
    };
    const parts = [...new Set(workRows.flatMap((p) => [...partsOf(p).keys()]))].sort();
    for (const factor of available) {
      const byGroup = groupBy(
        workRows.filter((p) => bucketOf(p, factor) !== null),
        (p) => bucketOf(p, factor) as string,
      );
      if (byGroup.size === 0) continue;
      const names = [...byGroup.keys()].sort();
      const meanMeasure = (measure: 'part' | 'score', part: string | null, valueOf: (p: Record<string, unknown>) => number | null) => {
        const samples = names.map((g) => (byGroup.get(g) ?? []).map(valueOf).filter((v): v is number => v !== null && Number.isFinite(v)));
        names.forEach((g, i) => {
          const t = tInterval(samples[i]);
          if (t.n === 0) return;
          groups.push({ ...base, factor, measure, part, group: g, n: t.n, value: finite(t.estimate), ci_low: finite(t.low), ci_high: finite(t.high), numerator: null, reliable: t.n >= ctx.params.minGroupSize });
        });
        const nonEmpty = samples.filter((s) => s.length > 0);
        if (nonEmpty.length >= 2) {
          const a = anova(nonEmpty);
          const k = kruskalWallis(nonEmpty);
          tests.push({ ...base, factor, measure, part, groups: nonEmpty.length, test: 'ANOVA', statistic: finite(a.statistic), p: finite(a.p), kruskal_p: finite(k.p), significant: a.p < alpha });
        }
      };
      for (const part of parts) meanMeasure('part', part, (p) => partsOf(p).get(part) ?? null);
      if (!options.pool) meanMeasure('score', null, (p) => num(p.score));
      // share below the minimum
      const table: number[][] = [];
      names.forEach((g) => {
        const decided = (byGroup.get(g) ?? []).filter((p) => p.passed !== null && p.passed !== undefined);
        if (!decided.length) return;
        const below = decided.filter((p) => p.passed === false).length;
        const w = wilson(below, decided.length);
        groups.push({ ...base, factor, measure: 'below_min', part: null, group: g, n: decided.length, value: w.estimate, ci_low: w.low, ci_high: w.high, numerator: below, reliable: decided.length >= ctx.params.minGroupSize });
        table.push([below, decided.length - below]);
      });
      if (table.length >= 2) {
        const c = chiSquare(table);
        tests.push({ ...base, factor, measure: 'below_min', part: null, groups: table.length, test: 'χ²', statistic: finite(c.statistic), p: finite(c.p), kruskal_p: null, significant: c.p < alpha });
      }
    }
  }
  return { groups, tests, missing };
}
