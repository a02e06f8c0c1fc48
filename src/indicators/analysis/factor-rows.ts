/**
 * GIA-07 indicator rows from a factor analysis (README «Rows that are not values»):
 * - `<measure>|<factor>` groups (`part|<factor>` = `<part>|<group>`), `ci_low|…`, `ci_high|…` (t / Wilson);
 * - `p_value|<factor>`: pupil-level ANOVA or χ² (dimension_value = the measure: `part 1`, `score`, `below_min`);
 * - clustering (dimension_value = the measure): `icc|<factor>`, `design_effect|<factor>` (denominator =
 *   schools), `p_value|clustered|<factor>`; `ci_low|clustered|<group dimension>`, `ci_high|clustered|…`
 *   beside each group row (same dimension_value);
 * - adjusted for settlement type, school size and social index: `adjusted|<factor>` with
 *   dimension_value `<measure>|<group>` (difference from the reference group — the largest — whose
 *   row has value 0 and no interval), `ci_low|adjusted|<factor>`, `ci_high|adjusted|<factor>`,
 *   `p_value|adjusted|<factor>` (dimension_value = the measure, denominator = schools in the model),
 *   `adjusted_for|<factor>` (dimension_value `<measure>|<covariates>`, value = schools in the model).
 */
import { makeRow } from '../sql';
import type { IndicatorRow } from '../types';
import type { FactorAnalysis, FactorKeyFields } from './factors';
import { breathe } from '../yield';

const measureOf = (t: Pick<FactorKeyFields, 'measure' | 'part'>) => (t.measure === 'part' ? `part ${t.part}` : t.measure);
const groupDimension = (g: Pick<FactorKeyFields, 'measure' | 'factor'>) => (g.measure === 'part' ? `part|${g.factor}` : `${g.measure}|${g.factor}`);
const groupValue = (g: Pick<FactorKeyFields, 'measure' | 'part'>, group: string) => (g.measure === 'part' ? `${g.part}|${group}` : group);

/** Async only to give the page a turn now and then (≈50k rows on the demo). */
export async function factorRows(fa: FactorAnalysis): Promise<IndicatorRow[]> {
  const rows: IndicatorRow[] = fa.missing.map((m) => makeRow('GIA-07', { dimension: 'missing', dimension_value: `${m.factor}: ${m.inputs.join(', ')}` }));
  for (const g of fa.groups) {
    await breathe();
    const key = { year: g.year, procedure: g.procedure, subject: g.subject, grade: g.grade };
    const dimension = groupDimension(g);
    const dimension_value = groupValue(g, g.group);
    rows.push(makeRow('GIA-07', key, { dimension, dimension_value, numerator: g.numerator, denominator: g.n, value: g.value }));
    rows.push(makeRow('GIA-07', key, { dimension: `ci_low|${dimension}`, dimension_value, denominator: g.n, value: g.ci_low }));
    rows.push(makeRow('GIA-07', key, { dimension: `ci_high|${dimension}`, dimension_value, denominator: g.n, value: g.ci_high }));
  }
  for (const t of fa.tests) {
    const key = { year: t.year, procedure: t.procedure, subject: t.subject, grade: t.grade };
    // The test is said on the row when χ² was replaced (expected counts below 5).
    const what = t.test === 'ANOVA' || t.test === 'χ²' ? measureOf(t) : `${measureOf(t)} (${t.test})`;
    rows.push(makeRow('GIA-07', key, { dimension: `p_value|${t.factor}`, dimension_value: what, denominator: t.groups, value: t.p }));
  }
  for (const c of fa.clustered) {
    await breathe();
    const key = { year: c.year, procedure: c.procedure, subject: c.subject, grade: c.grade };
    const measure = measureOf(c);
    const f = c.factor;
    rows.push(makeRow('GIA-07', key, { dimension: `icc|${f}`, dimension_value: measure, denominator: c.schools, value: c.icc }));
    rows.push(makeRow('GIA-07', key, { dimension: `design_effect|${f}`, dimension_value: measure, denominator: c.schools, value: c.design_effect }));
    rows.push(makeRow('GIA-07', key, { dimension: `p_value|clustered|${f}`, dimension_value: measure, denominator: c.schools, value: c.clustered_p }));
    for (const g of c.groups) {
      const dv = groupValue(c, g.group);
      rows.push(makeRow('GIA-07', key, { dimension: `ci_low|clustered|${groupDimension(c)}`, dimension_value: dv, denominator: g.n, value: g.ci_low }));
      rows.push(makeRow('GIA-07', key, { dimension: `ci_high|clustered|${groupDimension(c)}`, dimension_value: dv, denominator: g.n, value: g.ci_high }));
    }
    if (!c.adjusted.length) continue;
    for (const a of c.adjusted) {
      const dv = `${measure}|${a.group}`;
      rows.push(makeRow('GIA-07', key, { dimension: `adjusted|${f}`, dimension_value: dv, denominator: a.n, value: a.estimate }));
      rows.push(makeRow('GIA-07', key, { dimension: `ci_low|adjusted|${f}`, dimension_value: dv, denominator: a.n, value: a.ci_low }));
      rows.push(makeRow('GIA-07', key, { dimension: `ci_high|adjusted|${f}`, dimension_value: dv, denominator: a.n, value: a.ci_high }));
    }
    rows.push(makeRow('GIA-07', key, { dimension: `p_value|adjusted|${f}`, dimension_value: measure, denominator: c.adjusted_schools, value: c.adjusted_p }));
    rows.push(makeRow('GIA-07', key, { dimension: `adjusted_for|${f}`, dimension_value: `${measure}|${c.adjusted_for.join(', ') || 'без поправок'}`, value: c.adjusted_schools }));
  }
  return rows;
}
