/**
 * School clusters by result profile (000 2.4.6 «кластерный подход»): per year, k-means
 * (`params.clusters`) on z-standardised school features — the mean % of maximum over all works,
 * the mean % of maximum per procedure, the share below the minimum and the share of top results.
 * Schools with fewer than minGroupSize participants are left out. Cluster 1 has the highest
 * overall mean; each cluster is described by its centroid in the original units.
 */
import { resultsSql, workMaxSql } from '../sql';
import { kmeansClusters } from '../stats';
import type { IndicatorContext } from '../types';
import { groupBy, num, query } from './common';
import { breathe } from '../yield';

export interface ClusterResult {
  year: number;
  features: string[];
  schools: { school_id: string; cluster: number; values: (number | null)[] }[];
  centroids: { cluster: number; n: number; values: number[]; label: string }[];
}

export const FEATURE_TITLES: Record<string, string> = {
  mean_pct: 'средний % от максимума',
  below_min: 'доля ниже порога',
  top: 'доля высоких результатов',
};

export async function schoolClusters(ctx: IndicatorContext): Promise<ClusterResult[]> {
  const rows = await query(
    ctx,
    `SELECT r.year, r.school_id, r.procedure, count(*) AS n, avg(r.primary_score / NULLIF(w.max_primary, 0)) AS pct,
        count(*) FILTER (WHERE NOT r.passed) AS below, count(r.passed) AS decided,
        count(*) FILTER (WHERE r.top) AS top, count(r.top) AS top_decided
     FROM ${resultsSql(ctx)} r JOIN ${workMaxSql(ctx)} w USING (year, procedure, subject, grade)
     WHERE r.school_id IS NOT NULL GROUP BY ALL ORDER BY ALL`,
  );
  const out: ClusterResult[] = [];
  for (const [year, list] of groupBy(rows, (r) => String(r.year))) {
    await breathe();
    const procedures = [...new Set(list.map((r) => String(r.procedure)))].sort();
    const features = ['mean_pct', ...procedures.map((p) => `mean_pct:${p}`), 'below_min', 'top'];
    const bySchool = [...groupBy(list, (r) => String(r.school_id))]
      .map(([school, rs]) => {
        const n = rs.reduce((a, r) => a + Number(r.n), 0);
        const wmean = (xs: Record<string, unknown>[]) => {
          const w = xs.filter((r) => num(r.pct) !== null);
          const tot = w.reduce((a, r) => a + Number(r.n), 0);
          return tot ? w.reduce((a, r) => a + Number(r.n) * Number(r.pct), 0) / tot : null;
        };
        const sum = (k: string) => rs.reduce((a, r) => a + Number(r[k] ?? 0), 0);
        const values = [
          wmean(rs),
          ...procedures.map((p) => wmean(rs.filter((r) => r.procedure === p))),
          sum('decided') ? sum('below') / sum('decided') : null,
          sum('top_decided') ? sum('top') / sum('top_decided') : null,
        ];
        return { school_id: school, n, values };
      })
      .filter((s) => s.n >= ctx.params.minGroupSize && s.values[0] !== null)
      // k-means depends on input order; a fixed order makes the browser and native runs agree.
      .sort((a, b) => a.school_id.localeCompare(b.school_id));
    if (bySchool.length < 2) continue;
    const k = Math.max(1, Math.min(ctx.params.clusters, bySchool.length));
    const res = kmeansClusters(bySchool.map((s) => s.values), k);
    const schools = bySchool.map((s, i) => ({ school_id: s.school_id, cluster: res.clusters[i] + 1, values: s.values }));
    const centroids = res.centroids.map((c, i) => {
      const n = schools.filter((s) => s.cluster === i + 1).length;
      const label = `кластер ${i + 1}: средний % от максимума ${(c[0] * 100).toFixed(0)}, ниже порога ${(c[features.length - 2] * 100).toFixed(0)}%, высокие результаты ${(c[features.length - 1] * 100).toFixed(0)}% (ОО: ${n})`;
      return { cluster: i + 1, n, values: c, label };
    });
    out.push({ year: Number(year), features, schools, centroids });
  }
  return out;
}
