/**
 * LOW-12 risk profile: per school and year, each risk factor's value and whether it is in the
 * unfavourable quartile of the schools (social index ≤ Q25, shares ≥ Q75, confirmation ≤ Q25;
 * vacancies > 0). Factors whose inputs are absent are simply not listed.
 */
import { hasColumn, hasTable, resultsSql } from '../sql';
import { quantile } from '../stats';
import type { IndicatorContext } from '../types';
import { groupBy, num, query } from './common';

export const RISK_FACTORS = {
  social_index: 'Низкий индекс социального благополучия',
  teacher_vacancies: 'Вакансии педагогов',
  no_category: 'Доля учителей без категории',
  load_over_30: 'Доля учителей с нагрузкой более 30 ч',
  young: 'Доля молодых учителей',
  below_min: 'Доля не преодолевших минимальный порог',
  confirmation: 'Низкая доля подтвердивших отметку',
} as const;
export type RiskFactor = keyof typeof RISK_FACTORS;

export interface RiskValue {
  year: number;
  school_id: string;
  factor: RiskFactor;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  flagged: boolean;
}

export async function riskProfile(ctx: IndicatorContext): Promise<RiskValue[]> {
  const values: RiskValue[] = [];
  const push = (rows: Record<string, unknown>[], factor: RiskFactor) => {
    for (const r of rows)
      values.push({ year: Number(r.year), school_id: String(r.school_id), factor, value: num(r.value), numerator: num(r.num), denominator: num(r.den), flagged: false });
  };
  if (hasTable(ctx, 'schools') && hasColumn(ctx, 'schools', 'social_index'))
    push(await query(ctx, "SELECT year, school_id, social_index AS value FROM schools WHERE social_index IS NOT NULL AND coalesce(school_type, '') NOT IN ('ДОО', 'УДО')"), 'social_index');
  if (hasTable(ctx, 'monitoring'))
    push(await query(ctx, "SELECT year, school_id, value FROM monitoring WHERE code = 'teacher_vacancies' AND school_id IS NOT NULL"), 'teacher_vacancies');
  if (hasTable(ctx, 'staff')) {
    const share = async (factor: RiskFactor, cond: string, col: string) => {
      if (!hasColumn(ctx, 'staff', col)) return;
      push(
        await query(
          ctx,
          `SELECT year, school_id, count(*) FILTER (WHERE ${cond}) AS num, count(${col}) AS den,
             count(*) FILTER (WHERE ${cond}) / NULLIF(count(${col}), 0) AS value
           FROM staff WHERE position = 'учитель' AND school_id IS NOT NULL GROUP BY ALL`,
        ),
        factor,
      );
    };
    await share('no_category', "category = 'без категории'", 'category');
    await share('load_over_30', 'weekly_load_hours > 30', 'weekly_load_hours');
    await share('young', `experience_years <= ${Number(ctx.params.youngTeacherYears)}`, 'experience_years');
  }
  if (hasTable(ctx, 'assessment_results')) {
    push(
      await query(
        ctx,
        `SELECT year, school_id, count(*) FILTER (WHERE NOT passed) AS num, count(passed) AS den,
           count(*) FILTER (WHERE NOT passed) / NULLIF(count(passed), 0) AS value
         FROM ${resultsSql(ctx)} WHERE school_id IS NOT NULL GROUP BY ALL HAVING count(passed) > 0`,
      ),
      'below_min',
    );
    push(
      await query(
        ctx,
        `SELECT year, school_id, count(*) FILTER (WHERE mark = journal_mark) AS num, count(*) AS den,
           count(*) FILTER (WHERE mark = journal_mark) / count(*) AS value
         FROM ${resultsSql(ctx)} WHERE school_id IS NOT NULL AND mark IS NOT NULL AND journal_mark IS NOT NULL GROUP BY ALL`,
      ),
      'confirmation',
    );
  }
  for (const list of groupBy(values, (v) => `${v.year}|${v.factor}`).values()) {
    const factor = list[0].factor;
    const xs = list.map((v) => v.value ?? NaN);
    if (factor === 'teacher_vacancies') list.forEach((v) => (v.flagged = (v.value ?? 0) > 0));
    else if (factor === 'social_index' || factor === 'confirmation') {
      const q = quantile(xs, 0.25);
      list.forEach((v) => (v.flagged = v.value !== null && v.value <= q));
    } else {
      const q = quantile(xs, 0.75);
      list.forEach((v) => (v.flagged = v.value !== null && v.value >= q && v.value > 0));
    }
  }
  return values;
}
