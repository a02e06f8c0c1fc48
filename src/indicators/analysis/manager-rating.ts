/**
 * MGR-08 — integral rating of a school's management (001 §4.2.2): per school and year, the
 * weighted mean of group scores, each group score the mean of its min–max normalised
 * indicators. Components are rows of indicators already computed (the `indicators` table).
 *
 *  - A component's school value: its rows without a breakdown (or with the named one) pooled as
 *    Σnumerator / Σdenominator when every row has both (shares over several works, e.g.
 *    PREP-14 over all procedures), otherwise the mean of the values.
 *  - Normalisation across the schools of the same year: (v − min) / (max − min), reversed for
 *    indicators where lower is better; an indicator equal in every school says nothing and is
 *    left out (not scored 0 or 1).
 *  - Group score: mean of the group's normalised indicators the school has. Integral: weighted
 *    mean of the group scores the school has (weights by group key; missing weight = 1, 0 drops
 *    a group). Rank 1 = best, among the schools with an integral.
 */
import type { IndicatorRow } from '../types';

export interface RatingComponent {
  id: string;
  /** true when a higher value is better. */
  higherIsBetter: boolean;
  /** Use the rows of this breakdown instead of those without one (e.g. PED-13 category 'высшая'). */
  dimension?: { name: string; value: string };
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
  { key: 'high', title: 'Высокий уровень', components: [up('PREP-05'), up('PREP-06'), up('PREP-18'), up('TAL-04')] },
  { key: 'objectivity', title: 'Объективность', components: [up('PREP-16')] },
  { key: 'conditions', title: 'Условия', components: [up('MGR-01'), up('PED-09'), down('MGR-04'), down('MGR-05'), down('MGR-06')] },
  { key: 'career', title: 'Профориентация и доп. образование', components: [up('CAR-01'), up('CAR-08'), up('CAR-10'), up('CAR-15'), up('TAL-02')] },
  { key: 'staff', title: 'Кадры', components: [up('PED-01'), up('PED-05'), up('PED-12'), up('PED-13', { name: 'category', value: 'высшая' })] },
];

export const MANAGER_COMPONENT_IDS = [...new Set(MANAGER_GROUPS.flatMap((g) => g.components.map((c) => c.id)))];

export interface SchoolRating {
  year: number;
  school_id: string;
  /** Group key → score in [0,1] (absent: no component of the group for that school). */
  groups: Record<string, number>;
  integral: number | null;
  /** Number of normalised indicators behind the integral. */
  n: number;
  rank: number | null;
}

/** A component's value per (year, school) from its indicator rows (see the file comment). */
export function componentValues(rows: IndicatorRow[], c: RatingComponent): Map<string, number> {
  const buckets = new Map<string, IndicatorRow[]>();
  for (const r of rows) {
    if (r.indicator_id !== c.id || r.school_id === null || r.year === null) continue;
    if (c.dimension ? r.dimension !== c.dimension.name || r.dimension_value !== c.dimension.value : r.dimension !== null) continue;
    const key = `${r.year}\u0000${r.school_id}`;
    let list = buckets.get(key);
    if (!list) buckets.set(key, (list = []));
    list.push(r);
  }
  const out = new Map<string, number>();
  for (const [key, list] of buckets) {
    const pooled = list.every((r) => r.numerator !== null && r.denominator !== null);
    let v: number | null = null;
    if (pooled) {
      const den = list.reduce((a, r) => a + r.denominator!, 0);
      v = den > 0 ? list.reduce((a, r) => a + r.numerator!, 0) / den : null;
    } else {
      const vals = list.map((r) => r.value).filter((x): x is number => x !== null && Number.isFinite(x));
      v = vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null;
    }
    if (v !== null) out.set(key, v);
  }
  return out;
}

export function managerRating(rows: IndicatorRow[], weights: Record<string, number> = {}, groups: RatingGroup[] = MANAGER_GROUPS): SchoolRating[] {
  // year|school → group → normalised component values
  const scores = new Map<string, Map<string, number[]>>();
  for (const g of groups) {
    for (const c of g.components) {
      const values = componentValues(rows, c);
      const byYear = new Map<number, [string, number][]>();
      for (const [key, v] of values) {
        const year = Number(key.split('\u0000')[0]);
        let list = byYear.get(year);
        if (!list) byYear.set(year, (list = []));
        list.push([key, v]);
      }
      for (const list of byYear.values()) {
        const min = Math.min(...list.map(([, v]) => v));
        const max = Math.max(...list.map(([, v]) => v));
        if (!(max > min)) continue;
        for (const [key, v] of list) {
          const norm = (v - min) / (max - min);
          let perGroup = scores.get(key);
          if (!perGroup) scores.set(key, (perGroup = new Map()));
          let arr = perGroup.get(g.key);
          if (!arr) perGroup.set(g.key, (arr = []));
          arr.push(c.higherIsBetter ? norm : 1 - norm);
        }
      }
    }
  }
  const out: SchoolRating[] = [];
  for (const [key, perGroup] of scores) {
    const [year, school_id] = key.split('\u0000');
    const groupScores: Record<string, number> = {};
    let wsum = 0;
    let acc = 0;
    let n = 0;
    for (const [g, arr] of perGroup) {
      groupScores[g] = arr.reduce((a, b) => a + b, 0) / arr.length;
      const w = weights[g] ?? 1;
      if (w > 0) {
        wsum += w;
        acc += w * groupScores[g];
        n += arr.length;
      }
    }
    out.push({ year: Number(year), school_id, groups: groupScores, integral: wsum > 0 ? acc / wsum : null, n, rank: null });
  }
  const byYear = new Map<number, SchoolRating[]>();
  for (const r of out) {
    let list = byYear.get(r.year);
    if (!list) byYear.set(r.year, (list = []));
    list.push(r);
  }
  for (const list of byYear.values()) {
    const ranked = list.filter((r) => r.integral !== null).sort((a, b) => b.integral! - a.integral! || a.school_id.localeCompare(b.school_id));
    ranked.forEach((r, i) => (r.rank = i + 1));
  }
  return out.sort((a, b) => a.year - b.year || a.school_id.localeCompare(b.school_id));
}
