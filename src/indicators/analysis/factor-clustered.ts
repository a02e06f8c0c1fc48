/**
 * GIA-07 comparisons that respect how pupils are grouped in schools. Textbook, settlement type and
 * the teacher vary between schools (or classes), not between pupils, so a pupil-level ANOVA on
 * thousands of pupils reports p ≈ 10⁻¹⁰⁰ for differences that school means barely support. Per
 * comparison (work × factor × measure) from per school × group sums:
 * - the school ICC and the design effect 1 + (m̄ − 1)·ICC;
 * - the raw group means with cluster-robust (CR1) intervals, and a clustered Wald test of the
 *   factor (`p_value|clustered|<factor>`);
 * - the adjusted effect: OLS of the measure on the factor (differences from the largest group) with
 *   settlement type, school size (students_total) and social index held equal, CR1 intervals and
 *   a clustered Wald test (`adjusted|<factor>`, `p_value|adjusted|<factor>`).
 * The share below the minimum is a linear probability model: differences are in shares. Groups seen
 * in fewer than 3 schools stay out of the clustered parts (no valid clustered variance).
 */
import { coefficient, clusteredOls, intraclassCorrelation, mergeByCluster, waldContrasts, waldTest, type DesignCell } from '../stats/clustered';
import { finite } from './common';

export interface SchoolCovariates {
  settlement_type: string | null;
  students_total: number | null;
  social_index: number | null;
}

/** One school × group cell of a comparison: n pupils, Σ measure and Σ(y − ȳ)² within the cell. */
export interface SchoolGroupCell {
  school: string | null;
  group: string;
  n: number;
  total: number;
  ss: number;
}

export interface ClusteredGroup {
  group: string;
  n: number;
  /** Raw mean with its cluster-robust interval. */
  mean: number | null;
  ci_low: number | null;
  ci_high: number | null;
}

export interface AdjustedGroup {
  group: string;
  n: number;
  /** Difference from the reference group with the covariates held equal; 0 for the reference. */
  estimate: number | null;
  ci_low: number | null;
  ci_high: number | null;
  reference: boolean;
}

export interface ClusteredComparison {
  icc: number | null;
  design_effect: number | null;
  schools: number;
  /** Unadjusted clustered Wald test of the factor. */
  clustered_p: number | null;
  groups: ClusteredGroup[];
  reference: string | null;
  adjusted: AdjustedGroup[];
  adjusted_p: number | null;
  /** Russian names of the covariates in the adjusted model. */
  adjusted_for: string[];
  adjusted_schools: number;
}

export const COVARIATE_TITLES = { settlement_type: 'тип населённого пункта', students_total: 'численность обучающихся', social_index: 'индекс социального благополучия' } as const;
type Covariate = keyof typeof COVARIATE_TITLES;

const NO_SCHOOL = '\u0000без ОО';
/** Schools a group must be seen in to enter the clustered comparison. */
export const MIN_SCHOOLS_PER_GROUP = 3;

export function clusteredComparison(
  factor: string,
  cells: SchoolGroupCell[],
  covariatesOf: (school: string) => SchoolCovariates | undefined,
): ClusteredComparison {
  const all = cells.filter((c) => c.n > 0);
  const cluster = (c: SchoolGroupCell) => c.school ?? NO_SCHOOL;
  const icc = intraclassCorrelation(all.map((c) => ({ cluster: cluster(c), n: c.n, sum: c.total, ss: c.ss })));
  // A group seen in only one or two schools has no clustered variance worth the name (in one school
  // its residuals sum to 0 by construction, giving a zero standard error): it is left out of the
  // clustered intervals, tests and the adjusted model.
  const schoolsOf = new Map<string, Set<string>>();
  for (const c of all) schoolsOf.set(c.group, (schoolsOf.get(c.group) ?? new Set()).add(cluster(c)));
  const live = all.filter((c) => schoolsOf.get(c.group)!.size >= MIN_SCHOOLS_PER_GROUP);
  const sizes = mergeByCluster(live.map((c) => ({ cluster: c.group, n: c.n, sum: c.total, ss: 0 })));
  // Reference: the largest group (ties by name), so that differences are measured from the usual case.
  const groupNames = sizes.sort((a, b) => b.n - a.n || (a.cluster < b.cluster ? -1 : 1)).map((g) => g.cluster);
  const reference = groupNames[0] ?? null;
  const others = groupNames.slice(1);

  // Raw means with clustered intervals: one indicator column per group, no intercept.
  const meansFit = !groupNames.length ? null : clusteredOls(live.map((c) => ({ cluster: cluster(c), n: c.n, sum: c.total, x: groupNames.map((g) => (g === c.group ? 1 : 0)) })));
  const groups = groupNames.map((g, j) => {
    const co = meansFit ? coefficient(meansFit, j) : null;
    return { group: g, n: sizes.find((s) => s.cluster === g)!.n, mean: finite(co?.estimate), ci_low: finite(co?.low), ci_high: finite(co?.high) };
  });
  const testCols = others.map((_, i) => 1 + i);
  // The factor's clustered test: every group mean equal to the reference's (contrasts of the means
  // fit; the same F as the intercept-and-dummies fit of the same cells, one fit fewer per comparison).
  const contrasts = others.map((_, i) => groupNames.map((__, j) => (j === 0 ? -1 : j === i + 1 ? 1 : 0)));
  const clusteredP = meansFit && others.length ? finite(waldContrasts(meansFit, contrasts).p) : null;

  const adj = adjustedModel(factor, live, groupNames, covariatesOf);
  const adjusted: AdjustedGroup[] = adj.fit
    ? groupNames.map((g, j) => {
        const n = sizes.find((s) => s.cluster === g)!.n;
        if (j === 0) return { group: g, n, estimate: 0, ci_low: null, ci_high: null, reference: true };
        const co = coefficient(adj.fit!, j);
        return { group: g, n, estimate: finite(co.estimate), ci_low: finite(co.low), ci_high: finite(co.high), reference: false };
      })
    : [];
  return {
    icc: finite(icc.icc),
    design_effect: finite(icc.designEffect),
    schools: icc.clusters,
    clustered_p: clusteredP,
    groups,
    reference,
    adjusted,
    adjusted_p: adj.fit && others.length ? finite(waldTest(adj.fit, testCols).p) : null,
    adjusted_for: adj.covariates.map((c) => COVARIATE_TITLES[c]),
    adjusted_schools: adj.fit?.clusters ?? 0,
  };
}

/**
 * Design: intercept, the factor's dummies (reference first in `groupNames`), then the covariates.
 * A covariate known for fewer than 80 % of the schools is left out (said in `adjusted_for`); schools
 * lacking an included one are left out of the model. The factor itself is not its own covariate.
 */
function adjustedModel(factor: string, cells: SchoolGroupCell[], groupNames: string[], lookup: (school: string) => SchoolCovariates | undefined) {
  const schools = [...new Set(cells.map((c) => c.school).filter((s): s is string => s !== null))];
  // Each school's covariates looked up once (below they are read per cell and per covariate).
  const bySchool = new Map(schools.map((s) => [s, lookup(s)]));
  const covariatesOf = (school: string) => bySchool.get(school);
  const known = (k: Covariate) => schools.filter((s) => {
    const v = covariatesOf(s)?.[k];
    return v !== null && v !== undefined && (typeof v === 'string' || Number.isFinite(v));
  }).length;
  const covariates = (Object.keys(COVARIATE_TITLES) as Covariate[]).filter((k) => k !== factor && schools.length > 0 && known(k) >= 0.8 * schools.length);
  const usable = cells.filter((c) => c.school !== null && covariates.every((k) => {
    const v = covariatesOf(c.school!)?.[k];
    return v !== null && v !== undefined;
  }));
  const settlements = covariates.includes('settlement_type')
    ? [...new Set(usable.map((c) => String(covariatesOf(c.school!)!.settlement_type)))].sort()
    : [];
  // Settlement reference: the first type in the order (its dummy is left out).
  const design = (c: SchoolGroupCell): number[] => {
    const cov = covariatesOf(c.school!)!;
    const x = [1, ...groupNames.slice(1).map((g) => (g === c.group ? 1 : 0))];
    for (const s of settlements.slice(1)) x.push(cov.settlement_type === s ? 1 : 0);
    if (covariates.includes('students_total')) x.push(Number(cov.students_total) / 100);
    if (covariates.includes('social_index')) x.push(Number(cov.social_index));
    return x;
  };
  const present = new Set(usable.map((c) => c.group));
  if (!usable.length || groupNames.some((g) => !present.has(g))) return { fit: null, covariates };
  const designCells: DesignCell[] = usable.map((c) => ({ cluster: c.school!, n: c.n, sum: c.total, x: design(c) }));
  // A factor level aliased with the covariates (e.g. a textbook used only in villages) gets no
  // adjusted effect (NaN → NULL) and makes the factor's Wald test NaN.
  return { fit: clusteredOls(designCells), covariates };
}
