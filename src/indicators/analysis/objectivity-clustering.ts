/**
 * How much the schools of a work differ on a criterion's share (OBJ-01 «повысили»/«понизили»,
 * OBJ-05 «у границы»): the school ICC of the 0/1 outcome (one-way ANOVA estimator) and the design
 * effect 1 + (m̄ − 1)·ICC, as municipal rows `icc` / `design_effect` (dimension_value = the value
 * name, denominator = schools). A pupil-level χ² of a school against the rest ignores this
 * clustering, which is why a criterion flags only beyond the far-out fence over the schools' own
 * values (a school-level rule) and never on the χ² alone.
 */
import { makeRow } from '../sql';
import { intraclassCorrelation } from '../stats/clustered';
import type { IndicatorRow } from '../types';
import { groupBy } from './common';
import type { Criterion } from './objectivity-common';

/** `counts` gives, per school, the pupils with the outcome (k) among n, or null when not applicable. */
export function clusteringRows(id: Criterion['criterion'], criteria: Criterion[], name: string, counts: (c: Criterion) => { k: number; n: number } | null): IndicatorRow[] {
  const rows: IndicatorRow[] = [];
  const mine = criteria.filter((c) => c.criterion === id);
  for (const list of groupBy(mine, (c) => `${c.year}|${c.procedure}|${c.subject}|${c.grade}`).values()) {
    const cells = list
      .map((c) => ({ c, x: counts(c) }))
      .filter((i): i is { c: Criterion; x: { k: number; n: number } } => i.x !== null && i.x.n > 0)
      .map(({ c, x }) => ({ cluster: c.school_id, n: x.n, sum: x.k, ss: x.k - (x.k * x.k) / x.n }));
    if (cells.length < 2) continue;
    const r = intraclassCorrelation(cells);
    const c0 = list[0];
    const key = { year: c0.year, procedure: c0.procedure, subject: c0.subject, grade: Number.isFinite(c0.grade) ? c0.grade : null, dimension_value: name, denominator: r.clusters };
    rows.push(makeRow(id, key, { dimension: 'icc', value: Number.isFinite(r.icc) ? r.icc : null }));
    rows.push(makeRow(id, key, { dimension: 'design_effect', value: Number.isFinite(r.designEffect) ? r.designEffect : null }));
  }
  return rows;
}
