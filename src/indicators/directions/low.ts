import type { IndicatorContext, IndicatorDef, IndicatorRow, SqlRows } from '../types';
import { groupedSql, lit, makeRow, resultsSql, shareSql, sqlRows, workMaxSql } from '../sql';
import { flagGroupsOf, lowFlags, lowYearCriteria, partnerPairs, socialFlags, SOCIAL_INPUTS, withGroupsSql } from '../analysis/low';
import { riskProfile, RISK_FACTORS } from '../analysis/risk';
import { groupBy } from '../analysis/common';

/** Source rows of `from` joined to the ШНОР/ШФНСУ/остальные groups as column `grp`. */
async function withGroups(ctx: IndicatorContext, from: string): Promise<string> {
  return withGroupsSql(await flagGroupsOf(ctx), from);
}

const work = { procedure: 'procedure', subject: 'subject', grade: 'grade' };

/**
 * LOW-03/04/05 style: shares by group, per work and pooled per procedure (municipal rows only); SQL
 * the engine inserts. Several `labelled` conditions share one pass over the rows: each row is
 * repeated once per label, and the label joins the group in `dimension_value` (LOW-05's three
 * directions were six statements, each reading the results again).
 */
async function byGroup(ctx: IndicatorContext, id: string, base: string, condition: string | [label: string, condition: string][]): Promise<string[]> {
  const grouped = await withGroups(ctx, resultsSql(ctx));
  const labelled = typeof condition !== 'string';
  const from = labelled
    ? `(SELECT s.*, l.label FROM ${grouped} s CROSS JOIN (VALUES ${condition.map(([label]) => `(${lit(label)})`).join(', ')}) l(label))`
    : grouped;
  const cond = labelled ? `CASE label ${condition.map(([label, c]) => `WHEN ${lit(label)} THEN (${c})`).join(' ')} END` : condition;
  const dim = { name: labelled ? 'flag|direction' : 'flag', expr: labelled ? "grp || '|' || label" : 'grp' };
  return [
    shareSql({ id, from, ...work, base, condition: cond, dimension: dim, perSchool: false }),
    shareSql({ id, from, procedure: 'procedure', base, condition: cond, dimension: dim, perSchool: false }),
  ];
}

/** LOW-06/08/09: staff of the flagged schools (and the others, for comparison) with an activity. */
async function staffShare(ctx: IndicatorContext, id: string, activityCond: string): Promise<SqlRows> {
  const from = await withGroups(ctx, 'staff');
  return sqlRows(
    shareSql({
      id,
      from: `(SELECT g.*, EXISTS (SELECT 1 FROM staff_activities a WHERE a.year = g.year AND a.staff_id = g.staff_id AND ${activityCond}) AS did FROM ${from} g)`,
      dimension: { name: 'flag', expr: 'grp' },
      condition: 'did',
    }),
  );
}

const staffReads = { staff: ['staff_id', 'school_id'], staff_activities: ['staff_id', 'activity'] };

export const indicators: IndicatorDef[] = [
  {
    id: 'LOW-01',
    direction: 'LOW',
    title: 'Выявление ШНОР по муниципальным критериям',
    reads: { assessment_results: ['school_id', 'primary_score'] },
    compute: async (ctx) => {
      const criteria = await lowYearCriteria(ctx);
      const flags = lowFlags(ctx, criteria);
      const rows: IndicatorRow[] = [];
      for (const c of criteria) {
        const key = { year: c.year, school_id: c.school_id };
        rows.push(makeRow('LOW-01', key, { dimension: 'below_min_share', numerator: c.below, denominator: c.n, value: c.below_share }));
        rows.push(makeRow('LOW-01', key, { dimension: 'below_min_cutoff', value: c.below_cutoff }));
        rows.push(makeRow('LOW-01', key, { dimension: 'mean_z', value: c.mean_z }));
        rows.push(makeRow('LOW-01', key, { dimension: 'criterion_met', value: c.reliable ? (c.meets ? 1 : 0) : null }));
      }
      for (const f of flags) {
        rows.push(makeRow('LOW-01', { year: f.year, school_id: f.school_id, dimension_value: f.reasons.join('; ') || null, value: f.flagged === null ? null : f.flagged ? 1 : 0 }));
      }
      for (const year of new Set(flags.map((f) => f.year))) {
        const evaluated = flags.filter((f) => f.year === year && f.flagged !== null);
        const flagged = evaluated.filter((f) => f.flagged).length;
        rows.push(makeRow('LOW-01', { year, numerator: flagged, denominator: evaluated.length, value: evaluated.length ? flagged / evaluated.length : null }));
      }
      return rows;
    },
  },
  {
    id: 'LOW-02',
    direction: 'LOW',
    title: 'Выявление ШФНСУ (неблагоприятные социальные условия)',
    reads: { schools: ['school_id'] },
    compute: async (ctx) => {
      const flags = await socialFlags(ctx);
      // A flag is 1, 0 or NULL (unknown: not counted as «no», and out of the municipal denominator).
      const rows: IndicatorRow[] = flags.flatMap((f) => [
        makeRow('LOW-02', { year: f.year, school_id: f.school_id, dimension_value: f.reason, value: f.flagged === null ? null : f.flagged ? 1 : 0 }),
        makeRow('LOW-02', { year: f.year, school_id: f.school_id, dimension: 'social_index', value: f.social_index }),
      ]);
      for (const year of new Set(flags.map((f) => f.year))) {
        const list = flags.filter((f) => f.year === year && f.flagged !== null);
        const n = list.filter((f) => f.flagged).length;
        rows.push(makeRow('LOW-02', { year, numerator: n, denominator: list.length, value: list.length ? n / list.length : null }));
        rows.push(makeRow('LOW-02', { year, dimension: 'cutoff', value: flags.find((f) => f.year === year)?.cutoff ?? null }));
      }
      for (const year of flags.emptyYears ?? []) rows.push(makeRow('LOW-02', { year, dimension: 'missing', dimension_value: SOCIAL_INPUTS }));
      return rows;
    },
  },
  {
    id: 'LOW-03',
    direction: 'LOW',
    title: 'Доля не преодолевших минимальный порог — в ШНОР/ШФНСУ и в остальных',
    reads: { assessment_results: ['school_id'] },
    compute: async (ctx) => ({ sql: await byGroup(ctx, 'LOW-03', 'passed IS NOT NULL', 'NOT passed') }),
  },
  {
    id: 'LOW-04',
    direction: 'LOW',
    title: 'Доля успешно справившихся — в ШНОР и остальных',
    reads: { assessment_results: ['school_id'] },
    compute: async (ctx) => ({ sql: await byGroup(ctx, 'LOW-04', 'passed IS NOT NULL', 'passed') }),
  },
  {
    id: 'LOW-05',
    direction: 'LOW',
    title: 'Доля подтвердивших / понизивших итоги промежуточной аттестации — в ШНОР и остальных',
    reads: { assessment_results: ['mark', 'journal_mark'] },
    compute: async (ctx) => {
      const base = 'mark IS NOT NULL AND journal_mark IS NOT NULL';
      return {
        sql: await byGroup(ctx, 'LOW-05', base, [
          ['подтвердили', 'mark = journal_mark'],
          ['понизили', 'mark < journal_mark'],
          ['повысили', 'mark > journal_mark'],
        ]),
      };
    },
  },
  {
    id: 'LOW-06',
    direction: 'LOW',
    title: 'Доля педагогов ШНОР и ШФНСУ, прошедших диагностику профессиональных дефицитов',
    reads: staffReads,
    compute: (ctx) => staffShare(ctx, 'LOW-06', "a.activity = 'deficit_diagnostics'"),
  },
  {
    id: 'LOW-07',
    direction: 'LOW',
    title: 'Количество мероприятий с участием педагогов ШНОР и ШФНСУ',
    reads: { ...staffReads, staff_activities: ['staff_id', 'activity', 'event_id'] },
    compute: async (ctx) => {
      const from = await withGroups(ctx, 'staff');
      return sqlRows(
        groupedSql({
          id: 'LOW-07',
          from: `(SELECT a.year, g.school_id, g.grp, a.event_id FROM staff_activities a JOIN ${from} g ON g.year = a.year AND g.staff_id = a.staff_id
                  WHERE a.activity = 'methodical_event' AND a.event_id IS NOT NULL)`,
          dimension: { name: 'flag', expr: 'grp' },
          numerator: null,
          denominator: null,
          value: 'count(DISTINCT event_id)',
        }),
      );
    },
  },
  {
    id: 'LOW-08',
    direction: 'LOW',
    title: 'Доля педагогов ШНОР и ШФНСУ, принявших участие в мероприятиях',
    reads: staffReads,
    compute: (ctx) => staffShare(ctx, 'LOW-08', "a.activity = 'methodical_event'"),
  },
  {
    id: 'LOW-09',
    direction: 'LOW',
    title: 'Доля педагогов ШНОР и ШФНСУ, прошедших курсовую подготовку',
    reads: staffReads,
    compute: (ctx) => staffShare(ctx, 'LOW-09', "a.activity = 'pk_course'"),
  },
  {
    id: 'LOW-10',
    direction: 'LOW',
    title: 'Динамика образовательных результатов ШНОР (ГИА, ВПР)',
    reads: { assessment_results: ['school_id', 'primary_score'] },
    // The measures per group and procedure, and their change from the year before: one statement the engine inserts.
    compute: async (ctx) => {
      const from = await withGroups(ctx, `(SELECT r.*, r.primary_score / NULLIF(w.max_primary, 0) AS pct FROM ${resultsSql(ctx)} r JOIN ${workMaxSql(ctx)} w USING (year, procedure, subject, grade))`);
      const measure = (name: string, spec: { numerator: string | null; denominator: string; value?: string }) =>
        `SELECT * FROM (${groupedSql({ id: 'LOW-10', from, procedure: 'procedure', perSchool: false, dimension: { name: `flag|${name}`, expr: 'grp' }, ...spec })})`;
      const measures = [
        measure('below_min', { numerator: 'count(*) FILTER (WHERE NOT passed)', denominator: 'count(passed)' }),
        measure('passed', { numerator: 'count(*) FILTER (WHERE passed)', denominator: 'count(passed)' }),
        measure('mean_pct', { numerator: null, denominator: 'count(pct)', value: 'avg(pct)' }),
      ];
      return sqlRows(`WITH m AS (${measures.join(' UNION ALL ')})
        SELECT * FROM m
        UNION ALL
        SELECT 'LOW-10', c.year, c.procedure, NULL, NULL, NULL, c.dimension || '_change', c.dimension_value, p.value, c.value, c.value - p.value
        FROM m c JOIN m p ON p.year = c.year - 1 AND p.procedure IS NOT DISTINCT FROM c.procedure AND p.dimension = c.dimension
          AND p.dimension_value IS NOT DISTINCT FROM c.dimension_value
        WHERE p.value IS NOT NULL AND c.value IS NOT NULL`);
    },
  },
  {
    id: 'LOW-11',
    direction: 'LOW',
    title: 'База ОО с высокими результатами и пары «ШНОР — сильная школа»',
    reads: { assessment_results: ['school_id', 'primary_score'] },
    compute: async (ctx) => {
      const { strong, pairs } = await partnerPairs(ctx);
      return [
        ...strong.map((s) => makeRow('LOW-11', { year: s.year, school_id: s.school_id, dimension: 'strong', denominator: s.n, value: s.mean_z })),
        ...pairs.map((p) => makeRow('LOW-11', { year: Number.isFinite(p.year) ? p.year : null, school_id: p.school_id, dimension: 'partner', dimension_value: p.partner, value: p.partner_mean_z })),
      ];
    },
  },
  {
    id: 'LOW-12',
    direction: 'LOW',
    title: 'Рисковый профиль ОО',
    reads: { schools: ['school_id'] },
    compute: async (ctx) => {
      const values = await riskProfile(ctx);
      const rows = values.map((v) =>
        makeRow('LOW-12', { year: v.year, school_id: v.school_id, dimension: v.factor, dimension_value: v.flagged ? 'риск' : null, numerator: v.numerator, denominator: v.denominator, value: v.value }),
      );
      // Appended per school (a copy of the list per value was quadratic in the school's factors).
      for (const list of groupBy(values, (v) => `${v.year}|${v.school_id}`).values()) {
        const flagged = list.filter((v) => v.flagged);
        rows.push(
          makeRow('LOW-12', {
            year: list[0].year,
            school_id: list[0].school_id,
            dimension: 'risk_count',
            dimension_value: flagged.map((v) => RISK_FACTORS[v.factor]).join('; ') || null,
            numerator: flagged.length,
            denominator: list.length,
            value: flagged.length,
          }),
        );
      }
      return rows;
    },
  },
];
