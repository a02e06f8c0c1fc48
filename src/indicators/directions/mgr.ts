import { MANAGER_COMPONENT_IDS, MANAGER_GROUPS, managerRating } from '../analysis/manager-rating';
import { ADMIN_POSITIONS, MANAGER_POSITIONS, TEACHER_POSITIONS, hasActivity, sortRows, staffBase, unitAggregate } from '../rowshares';
import { computedRows, hasColumn, inList, makeRow } from '../sql';
import type { IndicatorContext, IndicatorDef, IndicatorRow } from '../types';

const STAFF = ['year', 'staff_id', 'school_id', 'position'];

/**
 * A share over staff where `known` says the attribute is filled in: a person whose attribute
 * is NULL is left out of the denominator (unknown is not "no").
 */
function staffShare(id: string, title: string, positions: readonly string[], num: string, known: string, columns: string[]): IndicatorDef {
  return {
    id,
    direction: 'MGR',
    title,
    reads: { staff: [...STAFF, ...columns] },
    compute: (ctx: IndicatorContext): Promise<IndicatorRow[]> => unitAggregate(ctx, { id, base: staffBase(positions, num, known) }),
  };
}

/** School types without a rating in MGR-08. */
export const NOT_RATED = ['ДОО', 'УДО'];

/**
 * MGR-08 rows. Per school: the integral (dimension NULL; denominator = number of normalised
 * indicators behind it), each group score (dimension 'group', value = group title) and the rank
 * (dimension 'rank'; denominator = schools ranked). Municipality: the mean over schools of the
 * integral and of each group score (denominator = number of schools).
 */
async function managerIntegral(ctx: IndicatorContext): Promise<IndicatorRow[]> {
  const id = 'MGR-08';
  // Rated: general-education schools. ДОО and УДО have none of the school results and are left out.
  const excluded = new Set<string>();
  if (hasColumn(ctx, 'schools', 'school_type')) {
    const rows = await ctx.conn.query({ type: 'rows', sql: `SELECT DISTINCT year, CAST(school_id AS VARCHAR) AS school_id FROM schools WHERE school_type IN ${inList(NOT_RATED)}` });
    for (const r of rows) excluded.add(`${r.year}|${r.school_id}`);
  }
  const components: IndicatorRow[] = [];
  for (const c of MANAGER_COMPONENT_IDS)
    components.push(...(await computedRows(ctx, c)).filter((r) => r.school_id === null || !excluded.has(`${r.year}|${r.school_id}`)));
  const ratings = managerRating(components, ctx.params.managerWeights);
  if (!ratings.length)
    return [makeRow(id, { dimension: 'missing', dimension_value: `нет значений по ОО ни для одного из показателей ${MANAGER_COMPONENT_IDS.join(', ')}` })];
  const title = new Map(MANAGER_GROUPS.map((g) => [g.key, g.title]));
  const out: IndicatorRow[] = [];
  const municipal = new Map<string, { year: number; dim: string | null; sum: number; n: number }>();
  const addMunicipal = (year: number, dim: string | null, v: number) => {
    const key = `${year}|${dim ?? ''}`;
    const m = municipal.get(key) ?? { year, dim, sum: 0, n: 0 };
    m.sum += v;
    m.n += 1;
    municipal.set(key, m);
  };
  const ranked = new Map<number, number>();
  for (const r of ratings) if (r.rank !== null) ranked.set(r.year, Math.max(ranked.get(r.year) ?? 0, r.rank));
  for (const r of ratings) {
    const base = { year: r.year, school_id: r.school_id };
    out.push(makeRow(id, { ...base, denominator: r.n, value: r.integral }));
    if (r.integral !== null) addMunicipal(r.year, null, r.integral);
    for (const [g, v] of Object.entries(r.groups)) {
      out.push(makeRow(id, { ...base, dimension: 'group', dimension_value: title.get(g) ?? g, value: v }));
      addMunicipal(r.year, title.get(g) ?? g, v);
    }
    if (r.rank !== null) out.push(makeRow(id, { ...base, dimension: 'rank', denominator: ranked.get(r.year) ?? null, value: r.rank }));
  }
  for (const m of municipal.values())
    out.push(makeRow(id, { year: m.year, ...(m.dim === null ? {} : { dimension: 'group', dimension_value: m.dim }), denominator: m.n, value: m.sum / m.n }));
  return sortRows(out);
}

export const indicators: IndicatorDef[] = [
  staffShare(
    'MGR-01',
    'Доля руководителей ОО, обладающих требуемым качеством профессиональной подготовки',
    MANAGER_POSITIONS,
    's.required_training',
    's.required_training IS NOT NULL',
    ['required_training'],
  ),
  {
    id: 'MGR-02',
    direction: 'MGR',
    title: 'Доля руководителей, добровольно прошедших процедуру выявления профессиональных дефицитов',
    reads: { staff: STAFF, staff_activities: ['year', 'staff_id', 'activity'] },
    compute: (ctx) => unitAggregate(ctx, { id: 'MGR-02', base: staffBase(MANAGER_POSITIONS, hasActivity('deficit_diagnostics')) }),
  },
  {
    id: 'MGR-03',
    direction: 'MGR',
    title: 'Доля молодых специалистов — учителей от общего числа учителей',
    reads: { staff: [...STAFF, 'experience_years'] },
    compute: (ctx) =>
      unitAggregate(ctx, {
        id: 'MGR-03',
        base: staffBase(TEACHER_POSITIONS, 's.experience_years <= $1', 's.experience_years IS NOT NULL'),
        params: [ctx.params.youngTeacherYears],
      }),
  },
  staffShare('MGR-04', 'Доля педагогов с нагрузкой менее 18 часов', TEACHER_POSITIONS, 's.weekly_load_hours < 18', 's.weekly_load_hours IS NOT NULL', [
    'weekly_load_hours',
  ]),
  staffShare('MGR-05', 'Доля педагогов с нагрузкой более 30 часов', TEACHER_POSITIONS, 's.weekly_load_hours > 30', 's.weekly_load_hours IS NOT NULL', [
    'weekly_load_hours',
  ]),
  staffShare('MGR-06', 'Доля педагогов с нагрузкой более чем по двум предметам', TEACHER_POSITIONS, 's.subjects_count > 2', 's.subjects_count IS NOT NULL', [
    'subjects_count',
  ]),
  staffShare(
    'MGR-07',
    'Доля административных работников, имеющих педагогическую нагрузку',
    ADMIN_POSITIONS,
    's.has_teaching_load',
    's.has_teaching_load IS NOT NULL',
    ['has_teaching_load'],
  ),
  {
    id: 'MGR-08',
    direction: 'MGR',
    title: 'Интегральная оценка результатов деятельности руководителя ОО на основе индикативных показателей',
    reads: {},
    dependsOn: MANAGER_COMPONENT_IDS,
    compute: managerIntegral,
  },
];
