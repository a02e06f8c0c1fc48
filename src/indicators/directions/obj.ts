import type { IndicatorContext, IndicatorDef, IndicatorRow } from '../types';
import { inList, lit, makeRow, monitoringRatioSql, resultsSql, shareSql, sqlRows } from '../sql';
import { objectivityOf, type Criterion } from '../analysis/objectivity';
import { olympiadObjectivity } from '../analysis/olympiads';
import { clusteringRows } from '../analysis/objectivity-clustering';
import { groupBy } from '../analysis/common';
import { breathe } from '../yield';

export { objectivityOf };

/** The headline value of each criterion (dimension NULL); the others become rows with dimension = value name. */
const HEADLINE: Record<Criterion['criterion'], string> = {
  'OBJ-01': 'higher',
  'OBJ-02': 'mean',
  'OBJ-03': 'rho',
  'OBJ-04': 'K',
  'OBJ-05': 'at_share',
  'OBJ-06': 'vpr_minus_oge',
};

/**
 * The rows of one criterion. A regional set has ≈25k criteria per id and ≈8 rows each: the loops
 * give the page a turn (`breathe`), and the schools are grouped per work by appending (a copy of the
 * work's list per school made the municipal rows quadratic: OBJ-05 held the tab's thread ≈200 ms).
 */
export async function criterionRows(id: Criterion['criterion'], criteria: Criterion[], withHeadline = true): Promise<IndicatorRow[]> {
  const rows: IndicatorRow[] = [];
  const mine = criteria.filter((c) => c.criterion === id);
  for (const c of mine) {
    await breathe();
    const key = { year: c.year, procedure: c.procedure, subject: c.subject, grade: Number.isFinite(c.grade) ? c.grade : null, school_id: c.school_id };
    for (const [name, v] of Object.entries(c.values)) {
      if (name === HEADLINE[id] && !withHeadline) continue;
      rows.push(makeRow(id, key, { dimension: name === HEADLINE[id] ? null : name, dimension_value: c.labels?.[name] ?? null, denominator: c.n, value: v }));
    }
    // NULL flag: the criterion could not be evaluated (nothing to compare), which is not «no sign».
    const flag = c.flagged === null ? null : c.flagged ? 1 : 0;
    rows.push(makeRow(id, key, { dimension: 'flag', dimension_value: c.reliable ? c.reason : 'ненадёжно (n < порога)', denominator: c.n, value: flag }));
  }
  // Municipal row: flagged / reliable schools per work.
  for (const list of groupBy(mine, (c) => `${c.year}|${c.procedure}|${c.subject}|${c.grade}`).values()) {
    await breathe();
    const c = list[0];
    const reliable = list.filter((x) => x.reliable && x.flagged !== null);
    const flagged = reliable.filter((x) => x.flagged).length;
    rows.push(
      makeRow(id, {
        year: c.year,
        procedure: c.procedure,
        subject: c.subject,
        grade: Number.isFinite(c.grade) ? c.grade : null,
        dimension: 'flagged_share',
        numerator: flagged,
        denominator: reliable.length,
        value: reliable.length ? flagged / reliable.length : null,
      }),
    );
  }
  return rows;
}

const journalReads = { assessment_results: ['mark', 'journal_mark'] };

export const indicators: IndicatorDef[] = [
  {
    id: 'OBJ-01',
    direction: 'OBJ',
    title: 'Соответствие отметок ВПР и отметок по журналу по ОО',
    reads: journalReads,
    compute: async (ctx) => {
      // The shares are SQL the engine inserts; the criterion's statistics come from JavaScript.
      const share = (label: string, cond: string) =>
        shareSql({
          id: 'OBJ-01',
          from: resultsSql(ctx),
          where: `mark IS NOT NULL AND journal_mark IS NOT NULL AND procedure IN ${inList(ctx.params.objProcedures)}`,
          procedure: 'procedure',
          subject: 'subject',
          grade: 'grade',
          dimension: { name: 'direction', expr: lit(label) },
          condition: cond,
        });
      const sql = [
        share('понизили', 'mark < journal_mark'),
        share('подтвердили', 'mark = journal_mark'),
        share('повысили', 'mark > journal_mark'),
        share('разрыв ≥ 2', 'abs(mark - journal_mark) >= 2'),
      ];
      const { criteria } = await objectivityOf(ctx);
      const dev = (await criterionRows('OBJ-01', criteria, false)).filter((r) => ['lower_dev', 'higher_dev', 'flag', 'flagged_share'].includes(r.dimension ?? ''));
      const counts = (key: 'higher' | 'lower') => (c: Criterion) => (c.values[key] === null ? null : { k: Math.round(c.values[key]! * c.n), n: c.n });
      return { sql, rows: [...dev, ...clusteringRows('OBJ-01', criteria, 'higher', counts('higher')), ...clusteringRows('OBJ-01', criteria, 'lower', counts('lower'))] };
    },
  },
  {
    id: 'OBJ-02',
    direction: 'OBJ',
    title: 'Завышенный средний результат',
    reads: { assessment_results: ['primary_score'] },
    compute: async (ctx) => criterionRows('OBJ-02', (await objectivityOf(ctx)).criteria),
  },
  {
    id: 'OBJ-03',
    direction: 'OBJ',
    title: 'Несогласованность отметок и результатов',
    reads: { assessment_results: ['primary_score', 'journal_mark'] },
    compute: async (ctx) => criterionRows('OBJ-03', (await objectivityOf(ctx)).criteria),
  },
  {
    id: 'OBJ-04',
    direction: 'OBJ',
    title: 'Резкое изменение результатов когорты',
    reads: { assessment_results: ['primary_score'] },
    compute: async (ctx) => criterionRows('OBJ-04', (await objectivityOf(ctx)).criteria),
  },
  {
    id: 'OBJ-05',
    direction: 'OBJ',
    title: 'Аномалии распределения первичных баллов',
    reads: { assessment_results: ['primary_score'], thresholds: ['mark3_from'] },
    compute: async (ctx) => {
      const { criteria } = await objectivityOf(ctx);
      const atBoundary = (c: Criterion) => ({ k: c.values.at_boundary ?? 0, n: (c.values.at_boundary ?? 0) + (c.values.below_boundary ?? 0) });
      return [...(await criterionRows('OBJ-05', criteria)), ...clusteringRows('OBJ-05', criteria, 'at_share', atBoundary)];
    },
  },
  {
    id: 'OBJ-06',
    direction: 'OBJ',
    title: 'Расхождение результатов разных процедур',
    reads: { assessment_results: ['mark'] },
    compute: async (ctx) => criterionRows('OBJ-06', (await objectivityOf(ctx)).criteria),
  },
  {
    id: 'OBJ-07',
    direction: 'OBJ',
    title: 'Перечень ОО с признаками необъективности и уровень объективности муниципалитета',
    reads: { assessment_results: ['primary_score'] },
    compute: async (ctx) => {
      const { list, level } = await objectivityOf(ctx);
      const rows: IndicatorRow[] = list.map((l) =>
        makeRow('OBJ-07', { year: l.year, school_id: l.school_id, dimension: 'reasons', dimension_value: l.reasons.join('; ') || null, value: l.federal ? 1 : 0 }),
      );
      for (const l of list) rows.push(makeRow('OBJ-07', { year: l.year, school_id: l.school_id, dimension: 'all_criteria', value: l.any ? 1 : 0 }));
      for (const v of level) {
        rows.push(makeRow('OBJ-07', { year: v.year, numerator: v.flagged_federal, denominator: v.schools, value: v.level_federal }));
        rows.push(makeRow('OBJ-07', { year: v.year, dimension: 'all_criteria', numerator: v.flagged_any, denominator: v.schools, value: v.level_any }));
      }
      return rows;
    },
  },
  {
    id: 'OBJ-08',
    direction: 'OBJ',
    title: 'Объективность олимпиад в ОО',
    reads: { achievements: ['stage', 'status', 'school_id'] },
    compute: async (ctx) => {
      const rows: IndicatorRow[] = [];
      for (const s of await olympiadObjectivity(ctx)) {
        const key = { year: s.year, school_id: s.school_id };
        rows.push(makeRow('OBJ-08', key, { dimension: 'school_stage_winners', numerator: s.school_winners, denominator: s.school_entries, value: s.school_winner_share }));
        rows.push(makeRow('OBJ-08', key, { dimension: 'municipal_success', numerator: s.municipal_success, denominator: s.school_winners, value: s.municipal_success_share }));
        rows.push(makeRow('OBJ-08', key, { dimension: 'flag', dimension_value: s.reason, value: s.flagged ? 1 : 0 }));
      }
      return rows;
    },
  },
  {
    id: 'OBJ-09',
    direction: 'OBJ',
    title: 'Доля процедур с общественным наблюдением',
    reads: { monitoring: ['code', 'value'] },
    monitoringCodes: ['procedures_observed', 'procedures_total'],
    compute: () => sqlRows(monitoringRatioSql('OBJ-09', 'procedures_observed', 'procedures_total')),
  },
];
