/** OBJ-05 (a criterion of objectivity.ts, in a file of its own for size). */
import { hasColumn, hasTable, inList, taskRowsFrom, taskSpecSql } from '../sql';
import { independenceTest } from '../stats';
import type { IndicatorContext } from '../types';
import { filterSql, finite, groupBy, num, queryPaged, workKey, type WorkFilter } from './common';
import { f3, isNum, numeric, pct, perSchool, refOf, sumOf, SUMMARY_PAGE_ROWS, type Criterion } from './objectivity-common';
import { breathe } from '../yield';

/**
 * OBJ-05: (a) share of participants scoring exactly at a mark boundary or one point above it
 * among those within two points below to one above (b−2 … b+1), school vs the rest of the
 * municipality (χ², flagged when higher and p < alpha); (b) tasks of level повышенный/высокий
 * solved better on average than базовый ones.
 */
export async function boundaryCriterion(ctx: IndicatorContext, filter?: WorkFilter): Promise<Criterion[]> {
  const out: Criterion[] = [];
  const levelRates = new Map<string, { easy: number | null; hard: number | null }>();
  if (hasTable(ctx, 'task_scores') && hasTable(ctx, 'tasks') && hasColumn(ctx, 'tasks', 'level')) {
    const f = filterSql({ ...filter, school_id: undefined }, 't');
    const procedures = inList(ctx.params.objProcedures);
    // The task maxima of these procedures only: the specification is an aggregate over all of
    // task_scores (a third of a regional set is ЕГЭ and ФГ, whose maxima no row here joins).
    const spec = `(SELECT * FROM (${taskSpecSql(ctx)}) sp WHERE procedure IN ${procedures})`;
    const rows = await queryPaged(
      ctx,
      `SELECT year, procedure, subject, grade, school_id,
          sum(score) FILTER (WHERE level = 'базовый') / NULLIF(sum(max_score) FILTER (WHERE level = 'базовый'), 0) AS easy,
          sum(score) FILTER (WHERE level IN ('повышенный', 'высокий')) / NULLIF(sum(max_score) FILTER (WHERE level IN ('повышенный', 'высокий')), 0) AS hard
       FROM ${taskRowsFrom(ctx, spec)} t WHERE procedure IN ${procedures} ${f.sql} GROUP BY ALL`,
      f.params,
      SUMMARY_PAGE_ROWS,
    );
    for (const r of rows) {
      await breathe();
      levelRates.set(`${workKey(r)}\u0001${r.school_id}`, { easy: num(r.easy), hard: num(r.hard) });
    }
  }
  // Zones around the mark boundaries b (thresholds are per work): [b, b+1] 'at', [b−2, b−1] 'below';
  // the first boundary that matches wins, as boundaries are checked from mark 3 up.
  const s = 'primary_score';
  const zone = ['mark3_from', 'mark4_from', 'mark5_from']
    .map((b) => `WHEN ${s} = ${b} OR ${s} = ${b} + 1 THEN 'at' WHEN ${s} = ${b} - 1 OR ${s} = ${b} - 2 THEN 'below'`)
    .join(' ');
  const summaries = await perSchool(
    ctx,
    filter,
    false,
    numeric(s),
    `count(*) FILTER (WHERE (CASE ${zone} END) = 'at') AS at, count(*) FILTER (WHERE (CASE ${zone} END) = 'below') AS below,
     bool_or(coalesce(mark3_from, mark4_from, mark5_from) IS NOT NULL) AS bounded`,
  );
  for (const work of groupBy(summaries, workKey).values()) {
    await breathe();
    const hasBounds = work.some((sc) => sc.r.bounded === true);
    // The rest of the municipality = the work's totals minus the school.
    const total = { at: sumOf(work, (sc) => Number(sc.r.at)), below: sumOf(work, (sc) => Number(sc.r.below)) };
    const tested = work.length;
    for (const sc of work) {
      const school = sc.school_id;
      const c = { at: Number(sc.r.at), below: Number(sc.r.below) };
      const rest = { at: total.at - c.at, below: total.below - c.below };
      const share = c.at + c.below > 0 ? c.at / (c.at + c.below) : null;
      const restShare = rest.at + rest.below > 0 ? rest.at / (rest.at + rest.below) : null;
      // χ² when every expected count is ≥ 5, else Fisher's exact test (small schools near a boundary).
      const test = hasBounds && c.at + c.below > 0 ? independenceTest([[c.at, c.below], [rest.at, rest.below]]) : null;
      const reliable = sc.n >= ctx.params.minGroupSize;
      const boundaryFlag = reliable && test !== null && isNum(test.p) && test.p < ctx.params.alpha / Math.max(1, tested) && share !== null && restShare !== null && share > restShare;
      const lr = levelRates.get(`${workKey(sc)}\u0001${school}`);
      const hardBetter = reliable && !!lr && isNum(lr.easy) && isNum(lr.hard) && lr.hard > lr.easy;
      const reasons = [
        boundaryFlag ? `скопление баллов у границ отметок: ${pct(share)} у границы против ${pct(restShare)} в остальных ОО (${test?.method} p = ${f3(test?.p ?? null, 4)})` : null,
        hardBetter ? `трудные задания решены лучше лёгких: ${pct(lr?.hard)} против ${pct(lr?.easy)}` : null,
      ].filter(Boolean);
      out.push(Object.assign(refOf(sc), {
        criterion: 'OBJ-05' as const,
        school_id: school,
        n: sc.n,
        reliable,
        flagged: boundaryFlag || hardBetter,
        reason: reasons.length ? reasons.join('; ') : null,
        values: {
          at_boundary: c.at,
          below_boundary: c.below,
          at_share: share,
          rest_at_share: restShare,
          p_value: test ? finite(test.p) : null,
          easy_rate: lr?.easy ?? null,
          hard_rate: lr?.hard ?? null,
        },
        labels: test && Number.isFinite(test.p) ? { p_value: test.method } : undefined,
      }));
    }
  }
  return out;
}
