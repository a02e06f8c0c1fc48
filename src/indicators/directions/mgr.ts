import { MANAGER_COMPONENT_IDS, managerRatingSql } from '../analysis/manager-rating';
import { ADMIN_POSITIONS, MANAGER_POSITIONS, TEACHER_POSITIONS, hasActivity, staffBase, unitAggregate } from '../rowshares';
import { hasColumn, inList, indicatorsTableSql, lit } from '../sql';
import type { IndicatorContext, IndicatorDef, IndicatorRow, SqlRows } from '../types';

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
    compute: (ctx: IndicatorContext) => unitAggregate(ctx, { id, base: staffBase(positions, num, known) }),
  };
}

/** School types without a rating in MGR-08. */
export const NOT_RATED = ['ДОО', 'УДО'];

/**
 * MGR-08 rows. Per school: the integral (dimension NULL; denominator = number of normalised
 * indicators behind it), each group score (dimension 'group', value = group title) and the rank
 * (dimension 'rank'; denominator = schools ranked). Municipality: the mean over schools of the
 * integral and of each group score (denominator = number of schools). One SQL query.
 */
function managerIntegral(ctx: IndicatorContext): Promise<SqlRows> {
  // Rated: general-education schools. ДОО and УДО have none of the school results and are left out.
  const excluded = hasColumn(ctx, 'schools', 'school_type')
    ? `SELECT DISTINCT year, CAST(school_id AS VARCHAR) AS school_id FROM schools WHERE school_type IN ${inList(NOT_RATED)}`
    : undefined;
  const sql = managerRatingSql({
    id: 'MGR-08',
    from: indicatorsTableSql(ctx),
    weights: ctx.params.managerWeights,
    excluded,
    missing: `нет значений по ОО ни для одного из показателей ${MANAGER_COMPONENT_IDS.join(', ')}`,
  });
  return Promise.resolve({ sql: [sql] });
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
        base: staffBase(TEACHER_POSITIONS, `s.experience_years <= ${lit(ctx.params.youngTeacherYears)}`, 's.experience_years IS NOT NULL'),
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
