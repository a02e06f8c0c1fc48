/**
 * MGR-08 — integral rating of a school's management (001 §4.2.2): per school and year, the
 * weighted mean of group scores, each group score the mean of its min–max normalised
 * indicators. Components are rows of indicators already computed (the `indicators` table), and
 * the whole rating is ONE windowed SQL query over them (no rows pass through JavaScript).
 *
 *  - A component's school value: its rows without a breakdown (or with the named breakdown, all
 *    its values unless one is named: TAL-04 pools its olympiad stages) pooled as Σnumerator /
 *    Σdenominator when every row has both (shares over several works, e.g. PREP-14 over all
 *    procedures), otherwise the mean of the values.
 *  - Normalisation across the rated schools of the same year: (v − min) / (max − min), reversed
 *    for indicators where lower is better; an indicator equal in every school says nothing and is
 *    left out (not scored 0 or 1).
 *  - Group score: mean of the group's normalised indicators the school has. Integral: weighted
 *    mean of the group scores the school has (weights by group key; missing weight = 1, 0 drops
 *    a group). Rank 1 = best among the schools with an integral, ties by the rule of sql.ts.
 */
import { lit, rankSql } from '../sql';

export interface RatingComponent {
  id: string;
  /** true when a higher value is better. */
  higherIsBetter: boolean;
  /**
   * Use the rows of this breakdown instead of those without one: PED-13 category 'высшая'; TAL-04
   * `stage` without a value pools every stage (its rows all carry the breakdown).
   */
  dimension?: { name: string; value?: string };
}

export interface RatingGroup {
  key: string;
  title: string;
  components: RatingComponent[];
}

const up = (id: string, dimension?: RatingComponent['dimension']): RatingComponent => ({ id, higherIsBetter: true, ...(dimension ? { dimension } : {}) });
const down = (id: string): RatingComponent => ({ id, higherIsBetter: false });

/** The default groups of MGR-08 (indicators.md F); weights come from `params.managerWeights`. */
export const MANAGER_GROUPS: RatingGroup[] = [
  { key: 'basic', title: 'Базовая подготовка', components: [up('PREP-03'), up('PREP-04'), down('PREP-14'), up('PREP-15')] },
  { key: 'high', title: 'Высокий уровень', components: [up('PREP-05'), up('PREP-06'), up('PREP-18'), up('TAL-04', { name: 'stage' })] },
  { key: 'objectivity', title: 'Объективность', components: [up('PREP-16')] },
  { key: 'conditions', title: 'Условия', components: [up('MGR-01'), up('PED-09'), down('MGR-04'), down('MGR-05'), down('MGR-06')] },
  { key: 'career', title: 'Профориентация и доп. образование', components: [up('CAR-01'), up('CAR-08'), up('CAR-10'), up('CAR-15'), up('TAL-02')] },
  { key: 'staff', title: 'Кадры', components: [up('PED-01'), up('PED-05'), up('PED-12'), up('PED-13', { name: 'category', value: 'высшая' })] },
];

export const MANAGER_COMPONENT_IDS = [...new Set(MANAGER_GROUPS.flatMap((g) => g.components.map((c) => c.id)))];

export interface RatingSqlOptions {
  id: string;
  /** Quoted table with the component rows. */
  from: string;
  groups?: RatingGroup[];
  weights?: Record<string, number>;
  /** SELECT of (year, school_id VARCHAR) pairs not rated (ДОО, УДО); none when absent. */
  excluded?: string;
  /** dimension_value of the 'missing' row emitted when no school has a component value. */
  missing: string;
}

/** The components and weights as a VALUES list joined to the indicator rows. */
function componentsSql(groups: RatingGroup[], weights: Record<string, number>): string {
  const rows = groups.flatMap((g) =>
    g.components.map((c) =>
      `(${[g.key, g.title, c.id].map(lit).join(', ')}, ${c.higherIsBetter}, ${lit(c.dimension?.name ?? null)}, ${lit(c.dimension?.value ?? null)}, ${lit(weights[g.key] ?? 1)})`,
    ),
  );
  return `SELECT * FROM (VALUES ${rows.join(', ')}) AS c(group_key, group_title, id, higher, dim_name, dim_value, w)`;
}

/**
 * Every MGR-08 row (see directions/mgr.ts): per school the integral, the group scores and the
 * rank; per year the municipal means; or one 'missing' row when nothing can be rated.
 */
export function managerRatingSql(o: RatingSqlOptions): string {
  const groups = o.groups ?? MANAGER_GROUPS;
  const id = lit(o.id);
  const excluded = o.excluded ? `AND NOT EXISTS (SELECT 1 FROM (${o.excluded}) x WHERE x.year = r.year AND x.school_id = r.school_id)` : '';
  const out = (school: string, dim: string, dv: string, den: string, value: string) =>
    `${id} AS indicator_id, CAST(year AS INTEGER) AS year, CAST(NULL AS VARCHAR) AS procedure, CAST(NULL AS VARCHAR) AS subject,
     CAST(NULL AS INTEGER) AS grade, CAST(${school} AS VARCHAR) AS school_id, CAST(${dim} AS VARCHAR) AS dimension,
     CAST(${dv} AS VARCHAR) AS dimension_value, CAST(NULL AS DOUBLE) AS numerator, CAST(${den} AS DOUBLE) AS denominator,
     CAST(${value} AS DOUBLE) AS value`;
  return `WITH c AS (${componentsSql(groups, o.weights ?? {})}),
    src AS (SELECT c.*, r.year, r.school_id, r.numerator, r.denominator, r.value
            FROM ${o.from} r JOIN c ON r.indicator_id = c.id
              AND (CASE WHEN c.dim_name IS NULL THEN r.dimension IS NULL
                        ELSE r.dimension = c.dim_name AND (c.dim_value IS NULL OR r.dimension_value = c.dim_value) END)
            WHERE r.school_id IS NOT NULL AND r.year IS NOT NULL ${excluded}),
    val AS (SELECT group_key, group_title, id, higher, w, year, school_id,
              CASE WHEN bool_and(numerator IS NOT NULL AND denominator IS NOT NULL)
                   THEN CASE WHEN sum(denominator) > 0 THEN sum(numerator) / sum(denominator) END
                   ELSE avg(value) FILTER (WHERE isfinite(value)) END AS v
            FROM src GROUP BY ALL),
    norm AS (SELECT *, min(v) OVER cy AS lo, max(v) OVER cy AS hi FROM val WHERE v IS NOT NULL WINDOW cy AS (PARTITION BY id, year)),
    grp AS (SELECT year, school_id, group_key, group_title, w,
              avg(CASE WHEN higher THEN (v - lo) / (hi - lo) ELSE 1 - (v - lo) / (hi - lo) END) AS score, count(*) AS k
            FROM norm WHERE hi > lo GROUP BY ALL),
    integ AS (SELECT year, school_id, sum(w * score) FILTER (WHERE w > 0) / sum(w) FILTER (WHERE w > 0) AS integral,
                coalesce(sum(k) FILTER (WHERE w > 0), 0) AS n
              FROM grp GROUP BY ALL),
    ranked AS (SELECT *, CASE WHEN integral IS NOT NULL THEN ${rankSql('integral', { partitionBy: 'year' })} END AS rnk,
                 count(integral) OVER (PARTITION BY year) AS ranked_n
               FROM integ)
    SELECT ${out('school_id', 'NULL', 'NULL', 'n', 'integral')} FROM ranked
    UNION ALL SELECT ${out('school_id', "'group'", 'group_title', 'NULL', 'score')} FROM grp
    UNION ALL SELECT ${out('school_id', "'rank'", 'NULL', 'ranked_n', 'rnk')} FROM ranked WHERE rnk IS NOT NULL
    UNION ALL SELECT ${out('NULL', 'NULL', 'NULL', 'count(integral)', 'avg(integral)')} FROM integ GROUP BY year
    UNION ALL SELECT ${out('NULL', "'group'", 'group_title', 'count(*)', 'avg(score)')} FROM grp GROUP BY year, group_title
    UNION ALL SELECT ${id}, NULL, NULL, NULL, NULL, NULL, 'missing', ${lit(o.missing)}, NULL, NULL, NULL
      WHERE NOT EXISTS (SELECT 1 FROM integ)`;
}
