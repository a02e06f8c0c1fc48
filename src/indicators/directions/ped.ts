import { monitoringCount, municipalSums } from '../monitoring';
import { TEACHER_POSITIONS, hasActivity, staffBase, unitAggregate } from '../rowshares';
import { inList, lit, monitoringSumSql, sqlRows } from '../sql';
import type { IndicatorContext, IndicatorDef, SqlRows } from '../types';

const STAFF = ['year', 'staff_id', 'school_id', 'position'];
const ACT = ['year', 'staff_id', 'activity'];
const MON = { monitoring: ['year', 'school_id', 'code', 'value'] };

/** Teachers with an activity of the year / teachers. */
function teacherActivity(id: string, title: string, activity: string, level?: string): IndicatorDef {
  return {
    id,
    direction: 'PED',
    title,
    reads: { staff: STAFF, staff_activities: level ? [...ACT, 'level'] : ACT },
    compute: (ctx: IndicatorContext) => unitAggregate(ctx, { id, base: staffBase(TEACHER_POSITIONS, hasActivity(activity, level)) }),
  };
}

/** PED-03: 1 when the municipal value of the code is > 0, else 0; numerator = that value (the number of acts). */
function presence(id: string, code: string): Promise<SqlRows> {
  return sqlRows(`SELECT * REPLACE (value AS numerator, CAST(CASE WHEN value > 0 THEN 1 WHEN value IS NOT NULL THEN 0 END AS DOUBLE) AS value)
    FROM (${monitoringSumSql(id, code)}) WHERE school_id IS NULL`);
}

/**
 * PED-04: per school the number of mentoring programmes; municipality: the number of schools
 * with at least one (value = numerator), denominator = schools that reported the code.
 */
function mentoring(): Promise<SqlRows> {
  const keys = (school: string) => `'PED-04' AS indicator_id, year, CAST(NULL AS VARCHAR) AS procedure, CAST(NULL AS VARCHAR) AS subject,
    CAST(NULL AS INTEGER) AS grade, CAST(${school} AS VARCHAR) AS school_id, CAST(NULL AS VARCHAR) AS dimension, CAST(NULL AS VARCHAR) AS dimension_value`;
  const withAny = 'CAST(count(*) FILTER (WHERE v > 0) AS DOUBLE)';
  return sqlRows(`WITH v AS (SELECT CAST(year AS INTEGER) AS year, CAST(school_id AS VARCHAR) AS school_id, sum(value) AS v
                   FROM monitoring WHERE code = 'mentoring_programs' AND school_id IS NOT NULL GROUP BY ALL)
    SELECT ${keys('school_id')}, CAST(NULL AS DOUBLE) AS numerator, CAST(NULL AS DOUBLE) AS denominator, CAST(v AS DOUBLE) AS value FROM v WHERE v IS NOT NULL
    UNION ALL
    SELECT ${keys('NULL')}, ${withAny}, CAST(count(v) AS DOUBLE), ${withAny} FROM v GROUP BY year`);
}

export const indicators: IndicatorDef[] = [
  {
    id: 'PED-01',
    direction: 'PED',
    title: 'Доля педагогов, прошедших диагностику профессиональных дефицитов (в разрезе предметов)',
    reads: { staff: [...STAFF, 'main_subject'], staff_activities: ACT },
    compute: (ctx) =>
      unitAggregate(ctx, {
        id: 'PED-01',
        base: staffBase(TEACHER_POSITIONS, hasActivity('deficit_diagnostics'), 'true', 's.main_subject'),
        dimension: 'main_subject',
      }),
  },
  teacherActivity('PED-02', 'Доля педагогов, принявших участие в методических мероприятиях муниципального уровня', 'methodical_event', 'муниципальный'),
  {
    id: 'PED-03',
    direction: 'PED',
    title: 'Наличие муниципальных нормативных актов по поддержке молодых педагогов',
    reads: MON,
    monitoringCodes: ['young_teacher_acts'],
    compute: () => presence('PED-03', 'young_teacher_acts'),
  },
  {
    id: 'PED-04',
    direction: 'PED',
    title: 'Наличие программ (планов) наставничества на муниципальном уровне, реализуемых в ОО',
    reads: MON,
    monitoringCodes: ['mentoring_programs'],
    compute: mentoring,
  },
  teacherActivity('PED-05', 'Доля педагогов, участвующих в профессиональных конкурсах', 'prof_contest'),
  {
    id: 'PED-06',
    direction: 'PED',
    title: 'Доля молодых педагогов, охваченных мероприятиями по поддержке',
    reads: { staff: [...STAFF, 'experience_years'], staff_activities: ACT },
    compute: (ctx) =>
      unitAggregate(ctx, {
        id: 'PED-06',
        base: staffBase(TEACHER_POSITIONS, hasActivity('young_teacher_support'), `s.experience_years <= ${lit(ctx.params.youngTeacherYears)}`),
      }),
  },
  {
    id: 'PED-07',
    direction: 'PED',
    title: 'Наличие методических объединений (сообществ) на муниципальном уровне, в т.ч. для молодых специалистов',
    reads: MON,
    monitoringCodes: ['methodical_associations', 'young_teacher_associations'],
    compute: async () => municipalSums('PED-07', ['methodical_associations', 'young_teacher_associations'].map((code) => ({ code, dimension: { name: 'code', value: code } }))),
  },
  {
    id: 'PED-08',
    direction: 'PED',
    title: 'Количество вакансий педагогических работников',
    reads: MON,
    monitoringCodes: ['teacher_vacancies'],
    compute: (ctx) => monitoringCount(ctx, 'PED-08', 'teacher_vacancies'),
  },
  {
    id: 'PED-09',
    direction: 'PED',
    title: 'Доля педагогов с образованием, соответствующим профилю преподаваемого предмета',
    reads: { staff: [...STAFF, 'education_matches_subject'] },
    compute: (ctx) =>
      unitAggregate(ctx, {
        id: 'PED-09',
        base: staffBase(TEACHER_POSITIONS, 's.education_matches_subject', 's.education_matches_subject IS NOT NULL'),
      }),
  },
  {
    id: 'PED-10',
    direction: 'PED',
    title: 'Количество учителей — экспертов предметных комиссий ЕГЭ и ОГЭ',
    reads: { staff: [...STAFF, 'is_gia_expert'] },
    compute: (ctx) => unitAggregate(ctx, { id: 'PED-10', base: staffBase(null, 's.is_gia_expert'), kind: 'count' }),
  },
  {
    id: 'PED-11',
    direction: 'PED',
    title: 'Доля педагогов, повысивших квалификацию на основе диагностики дефицитов',
    reads: { staff: STAFF, staff_activities: [...ACT, 'date'] },
    compute: (ctx) =>
      unitAggregate(ctx, {
        id: 'PED-11',
        // A pk_course on or after a diagnostic of the same year; with a date missing the order is unknown and it counts.
        base: staffBase(
          TEACHER_POSITIONS,
          `EXISTS (SELECT 1 FROM staff_activities d JOIN staff_activities p ON p.year = d.year AND CAST(p.staff_id AS VARCHAR) = CAST(d.staff_id AS VARCHAR)
             WHERE d.year = s.year AND CAST(d.staff_id AS VARCHAR) = CAST(s.staff_id AS VARCHAR)
               AND d.activity = 'deficit_diagnostics' AND p.activity = 'pk_course'
               AND (p.date IS NULL OR d.date IS NULL OR CAST(p.date AS DATE) >= CAST(d.date AS DATE)))`,
        ),
      }),
  },
  teacherActivity('PED-12', 'Доля педагогов, прошедших профессиональную переподготовку', 'retraining'),
  {
    id: 'PED-13',
    direction: 'PED',
    title: 'Распределение педагогов по квалификационным категориям и его динамика',
    reads: { staff: [...STAFF, 'category'] },
    // One row per category present that year, for the municipality and every school with a teacher
    // of known category: teachers in it / teachers with a known category (0 when none, not a gap).
    compute: async () => ({
      sql: [
        `WITH t AS (SELECT CAST(year AS INTEGER) AS year, CAST(school_id AS VARCHAR) AS school_id, CAST(staff_id AS VARCHAR) AS staff_id,
                    CAST(category AS VARCHAR) AS category
             FROM staff WHERE position IN ${inList(TEACHER_POSITIONS)} AND category IS NOT NULL),
          g AS (SELECT year, school_id, category, GROUPING(school_id) AS gs, count(DISTINCT staff_id) AS n
                FROM t GROUP BY GROUPING SETS ((year, category), (year, school_id, category))),
          d AS (SELECT year, school_id, GROUPING(school_id) AS gs, count(DISTINCT staff_id) AS n
                FROM t GROUP BY GROUPING SETS ((year), (year, school_id))
                HAVING GROUPING(school_id) = 1 OR school_id IS NOT NULL),
          cats AS (SELECT DISTINCT year, category FROM t)
        SELECT 'PED-13' AS indicator_id, d.year, CAST(NULL AS VARCHAR) AS procedure, CAST(NULL AS VARCHAR) AS subject, CAST(NULL AS INTEGER) AS grade,
          CASE WHEN d.gs = 0 THEN d.school_id END AS school_id, 'category' AS dimension, c.category AS dimension_value,
          CAST(coalesce(g.n, 0) AS DOUBLE) AS numerator, CAST(d.n AS DOUBLE) AS denominator, coalesce(g.n, 0) / d.n AS value
        FROM d JOIN cats c ON c.year = d.year
        LEFT JOIN g ON g.year = d.year AND g.gs = d.gs AND g.school_id IS NOT DISTINCT FROM d.school_id AND g.category = c.category`,
      ],
    }),
  },
];
