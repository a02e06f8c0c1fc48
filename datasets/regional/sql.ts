/**
 * Deterministic SQL generator of a regional-size set of canonical tables (schools,
 * assessment_results, task_scores, tasks, thresholds, class_teaching, staff,
 * staff_activities, achievements, graduates, monitoring). Every value is an integer hash of
 * its keys, so the same size gives the same rows whatever the thread order; nothing random.
 * It runs on any Connector; the bench runs it on native DuckDB and writes Parquet.
 */
import { CONTRACT, type CanonicalTableName } from '../../src/model/contract';

export interface RegionalSize {
  name: string;
  schools: number;
  municipalities: number;
  years: number[];
  /** Participants per (year, school, work): groupMin + [0, groupSpan). */
  groupMin: number;
  groupSpan: number;
}

export const SIZES: Record<string, RegionalSize> = {
  /** Unit and browser tests: a few thousand task rows. */
  tiny: { name: 'tiny', schools: 12, municipalities: 2, years: [2023, 2024], groupMin: 3, groupSpan: 6 },
  /** `npm run bench -- --quick`: ≈100k participants, ≈1.6M task rows. */
  quick: { name: 'quick', schools: 130, municipalities: 6, years: [2023, 2024], groupMin: 8, groupSpan: 33 },
  /** The regional centre of issue #7: ≈1M participants, ≈16M task rows. */
  regional: { name: 'regional', schools: 1300, municipalities: 40, years: [2023, 2024], groupMin: 9, groupSpan: 36 },
};

/** procedure, subject, grade, number of tasks. Average ≈16 tasks per participant. */
export const WORKS: ReadonlyArray<readonly [string, string, number, number]> = [
  ['ВПР', 'Математика', 4, 12],
  ['ВПР', 'Русский язык', 4, 15],
  ['ВПР', 'Математика', 5, 14],
  ['ВПР', 'Русский язык', 5, 12],
  ['ВПР', 'Математика', 6, 13],
  ['ВПР', 'Русский язык', 6, 14],
  ['ВПР', 'Математика', 7, 16],
  ['ВПР', 'Математика', 8, 19],
  ['ОГЭ', 'Математика', 9, 25],
  ['ОГЭ', 'Русский язык', 9, 9],
  ['ОГЭ', 'Физика', 9, 22],
  ['ЕГЭ', 'Русский язык', 11, 27],
  ['ЕГЭ', 'Математика (профильная)', 11, 19],
  ['ЕГЭ', 'Математика (базовая)', 11, 21],
  ['ФГ', 'Читательская грамотность', 8, 10],
  ['ФГ', 'Математическая грамотность', 8, 10],
];

const MONITORING_CODES = [
  'noo_students', 'noo_base_level', 'noo_excellent', 'survey_respondents', 'survey_satisfied',
  'students_grade_8', 'procedures_total', 'procedures_observed', 'extracurricular_students',
  'children_5_18', 'children_5_18_in_additional_ed', 'gifted_students', 'gifted_individual_routes',
  'students_6_11', 'bilet_6_11', 'career_event_participants', 'career_tested_6_11',
  'career_longterm_project', 'ovz_career_participants', 'trial_workplaces', 'parents_total',
  'parents_helped', 'students_total', 'students_in_additional_ed', 'mentoring_programs',
  'teacher_vacancies', 'upbringing_programs', 'students_noo', 'students_ooo', 'students_soo',
  'volunteers_noo', 'volunteers_ooo', 'volunteers_soo', 'prevention_noo', 'prevention_ooo',
  'prevention_soo', 'youth_org_branches', 'volunteer_associations',
];
const DOU_CODES = [
  'dou_program_fgos', 'dou_modern_environment', 'dou_family_work', 'dou_children', 'dou_pedagogues',
  'dou_pedagogues_higher_ed', 'dou_pedagogues_staff', 'dou_pedagogues_highest_cat', 'dou_safe_conditions',
  'dou_complaints', 'dou_sanpin_ok', 'dou_parents_surveyed', 'dou_parents_satisfied',
  'dou_individual_family_support', 'dou_development_program', 'dou_projects',
];
const MUNICIPAL_CODES = ['young_teacher_acts', 'methodical_associations', 'young_teacher_associations'];

const lit = (s: string) => `'${s.replaceAll("'", "''")}'`;
const list = (xs: readonly string[]) => `[${xs.map(lit).join(', ')}]`;
/** `pick(list, r)` = list[floor(r·len)] with r in [0,1). */
const pick = (xs: readonly string[], r: string) => `${list(xs)}[1 + floor((${r}) * ${xs.length})::INT]`;

/** Statements that create (or replace) every canonical table of the given size. */
export function regionalSql(size: RegionalSize): string[] {
  const cast = (t: CanonicalTableName, select: string) =>
    `CREATE OR REPLACE TABLE ${t} AS SELECT ${CONTRACT[t].columns.map((c) => `${c.name}::${c.type} AS ${c.name}`).join(', ')} FROM (${select})`;
  const works = WORKS.map(([p, s, g, n], i) => `(${i + 1}, ${lit(p)}, ${lit(s)}, ${g}, ${n})`).join(', ');
  const years = `[${size.years.join(', ')}]`;
  const y0 = Math.min(...size.years);
  return [
    // Two rounds of a multiplicative hash over integers: identical on every engine and thread order.
    `CREATE OR REPLACE TEMP MACRO mix(x) AS ((xor(x, x >> 11) % 2147483647) * 48271) % 2147483647`,
    `CREATE OR REPLACE TEMP MACRO rnd(a, b) AS mix(mix(mix((a) * 65537 + (b) + 1)) + (b)) / 2147483647.0`,
    `CREATE OR REPLACE TEMP TABLE _works AS SELECT * FROM (VALUES ${works}) t(work, procedure, subject, grade, ntasks)`,
    `CREATE OR REPLACE TEMP TABLE _years AS SELECT unnest(${years}) AS year`,
    `CREATE OR REPLACE TEMP TABLE _schools AS
      SELECT s, 'sch' || lpad((220000 + s)::VARCHAR, 6, '0') AS school_id,
        'МО ' || (1 + s % ${size.municipalities}) AS municipality, rnd(s, 7) AS quality
      FROM range(${size.schools}) r(s)`,
    cast(
      'schools',
      `SELECT y.year, sc.school_id, 'Школа № ' || (sc.s + 1) AS name, sc.municipality,
        ${pick(['город', 'город', 'пгт', 'село', 'село'], 'rnd(sc.s, 11)')} AS settlement_type,
        CASE WHEN sc.s % 10 = 9 THEN 'ДОО' ELSE ${pick(['СОШ', 'СОШ', 'СОШ', 'ООШ', 'НОШ', 'лицей', 'гимназия', 'школа-интернат'], 'rnd(sc.s, 12)')} END AS school_type,
        200 + floor(rnd(sc.s, 13) * 1200) AS students_total,
        round(rnd(sc.s, 14) * 0.6 + sc.quality * 0.4, 3) AS social_index,
        NULL AS shnor, rnd(sc.s, 15) < 0.1 AS shnsu
      FROM _schools sc, _years y`,
    ),
    cast(
      'tasks',
      `SELECT year, procedure, subject, grade, t::VARCHAR AS task,
        CASE WHEN t <= ntasks * 0.6 THEN 1 WHEN procedure = 'ЕГЭ' AND t > ntasks * 0.85 THEN 3 ELSE 2 END AS max_score,
        CASE WHEN t <= ntasks * 0.6 THEN '1' ELSE '2' END AS part,
        'Раздел ' || (1 + t % 5) AS section,
        CASE WHEN t <= ntasks * 0.6 THEN 'базовый' WHEN t <= ntasks * 0.9 THEN 'повышенный' ELSE 'высокий' END AS level,
        t % 4 = 0 AS metasubject
      FROM (SELECT *, unnest(range(1, ntasks + 1)) AS t FROM _works), _years`,
    ),
    `CREATE OR REPLACE TEMP TABLE _tasks AS
      SELECT w.work, t.year, t.task::INT AS tn, t.task, t.max_score
      FROM tasks t JOIN _works w USING (procedure, subject, grade)`,
    `CREATE OR REPLACE TEMP TABLE _max AS SELECT work, year, sum(max_score) AS max_total FROM _tasks GROUP BY ALL`,
    cast(
      'thresholds',
      `SELECT m.year, w.procedure, w.subject, w.grade,
        CASE WHEN w.procedure = 'ЕГЭ' AND w.subject <> 'Математика (базовая)'
          THEN CASE w.subject WHEN 'Русский язык' THEN 24 ELSE 27 END END AS min_test,
        NULL AS min_primary,
        CASE WHEN w.procedure <> 'ЕГЭ' OR w.subject = 'Математика (базовая)' THEN round(m.max_total * 0.3) END AS mark3_from,
        CASE WHEN w.procedure <> 'ЕГЭ' OR w.subject = 'Математика (базовая)' THEN round(m.max_total * 0.55) END AS mark4_from,
        CASE WHEN w.procedure <> 'ЕГЭ' OR w.subject = 'Математика (базовая)' THEN round(m.max_total * 0.8) END AS mark5_from,
        CASE WHEN w.procedure = 'ЕГЭ' THEN 81 END AS high_from
      FROM _max m JOIN _works w USING (work)`,
    ),
    `CREATE OR REPLACE TEMP TABLE _groups AS
      SELECT y.year, sc.s, sc.school_id, sc.quality, w.work, w.grade,
        ${size.groupMin} + floor(rnd(sc.s * 100 + w.work, y.year) * ${size.groupSpan})::INT AS n
      FROM _schools sc, _works w, _years y WHERE sc.s % 10 <> 9`,
    // A participant is student k of the school's cohort (year − grade), so the same student
    // sits several works of a year and appears again a year later (OBJ-04 cohorts).
    `CREATE OR REPLACE TEMP TABLE _part AS
      SELECT year, s, school_id, work, grade, k,
        ((year - ${y0}) * ${size.schools} + s) * 6400 + work * 64 + k AS pid,
        school_id || '-' || (year - grade) || '-' || k AS student_id,
        grade::VARCHAR || ['А', 'Б', 'В'][1 + k % 3] AS class,
        quality * 0.35 + rnd(s * 1000 + (year - grade), k) * 0.4 + rnd(((year - ${y0}) * ${size.schools} + s) * 6400 + work * 64 + k, 2) * 0.25 AS ability
      FROM (SELECT *, unnest(range(n)) AS k FROM _groups)`,
    cast(
      'task_scores',
      `SELECT p.year, w.procedure, w.subject, w.grade, p.school_id, p.student_id, t.task,
        least(t.max_score, floor((p.ability * 0.6 + rnd(p.pid, t.tn + 100) * 0.5) * (t.max_score + 1))) AS score
      FROM _part p JOIN _works w USING (work) JOIN _tasks t ON t.work = p.work AND t.year = p.year`,
    ),
    `CREATE OR REPLACE TEMP TABLE _primary AS
      SELECT year, procedure, subject, grade, school_id, student_id, sum(score) AS primary_score FROM task_scores GROUP BY ALL`,
    cast(
      'assessment_results',
      `SELECT p.year, w.procedure, w.subject, w.grade, p.school_id, p.class, p.student_id,
        (1 + p.pid % 2)::VARCHAR AS variant, ps.primary_score,
        CASE WHEN w.procedure = 'ЕГЭ' AND w.subject <> 'Математика (базовая)' THEN round(ps.primary_score / m.max_total * 100) END AS test_score,
        CASE WHEN th.mark3_from IS NOT NULL THEN
          CASE WHEN ps.primary_score >= th.mark5_from THEN 5 WHEN ps.primary_score >= th.mark4_from THEN 4
               WHEN ps.primary_score >= th.mark3_from THEN 3 ELSE 2 END END AS mark,
        CASE WHEN w.procedure = 'ВПР' THEN least(5, greatest(2, 2 + floor(p.ability * 3.2 + rnd(p.pid, 3) * 1.2))) END AS journal_mark,
        w.procedure IN ('ОГЭ', 'ЕГЭ') AND rnd(p.pid, 4) < 0.01 AS retake
      FROM _part p JOIN _works w USING (work) JOIN _max m ON m.work = p.work AND m.year = p.year
      JOIN _primary ps ON ps.year = p.year AND ps.procedure = w.procedure AND ps.subject = w.subject AND ps.grade = w.grade AND ps.school_id = p.school_id AND ps.student_id = p.student_id
      JOIN thresholds th ON th.year = p.year AND th.procedure = w.procedure AND th.subject = w.subject AND th.grade = w.grade`,
    ),
    cast(
      'staff',
      `SELECT y.year, sc.school_id || '-t' || k AS staff_id, sc.school_id,
        CASE WHEN k = 0 THEN 'руководитель' WHEN k <= 2 THEN 'заместитель руководителя'
             WHEN sc.s % 10 = 9 THEN 'воспитатель' WHEN k = 3 THEN 'педагог-психолог' ELSE 'учитель' END AS position,
        ${pick(['Математика', 'Русский язык', 'Физика', 'История', 'Биология', 'Начальные классы'], 'rnd(sc.s * 100 + k, 21)')} AS main_subject,
        ${pick(['высшая', 'первая', 'соответствие занимаемой должности', 'без категории'], 'rnd(sc.s * 100 + k, 22 + y.year - ' + y0 + ')')} AS category,
        floor(rnd(sc.s * 100 + k, 23) * 40) + (y.year - ${y0}) AS experience_years,
        23 + floor(rnd(sc.s * 100 + k, 23) * 40) + (y.year - ${y0}) AS age,
        12 + floor(rnd(sc.s * 100 + k, 24 + y.year) * 24) AS weekly_load_hours,
        1 + floor(rnd(sc.s * 100 + k, 25) * 3.3) AS subjects_count,
        k <= 2 AND rnd(sc.s * 100 + k, 26) < 0.6 AS has_teaching_load,
        rnd(sc.s * 100 + k, 27) < 0.9 AS education_matches_subject,
        rnd(sc.s * 100 + k, 28) < 0.85 AS higher_education,
        k = 0 AND rnd(sc.s, 29) < 0.8 AS required_training,
        rnd(sc.s * 100 + k, 30) < 0.05 AS is_gia_expert
      FROM _schools sc, _years y, range(40) r(k)`,
    ),
    cast(
      'staff_activities',
      `SELECT year, staff_id, activity, ${pick(['школьный', 'муниципальный', 'муниципальный', 'региональный', 'всероссийский'], 'rnd(h, 32)')} AS level,
        activity || '-' || year || '-' || floor(rnd(h, 33) * 30)::INT AS event_id,
        make_date(year - 1, 9, 1) + floor(rnd(h, 34) * 270)::INT AS date
      FROM (SELECT y.year, sc.school_id || '-t' || k AS staff_id, a.activity, (sc.s * 100 + k) * 16 + a.i AS h
            FROM _schools sc, _years y, range(40) r(k),
              (SELECT unnest(${list(['deficit_diagnostics', 'pk_course', 'retraining', 'methodical_event', 'prof_contest', 'upbringing_training', 'talent_training', 'young_teacher_support', 'mentoring'])}) AS activity, unnest(range(9)) AS i) a)
      WHERE rnd(h, 31 + year) < 0.3`,
    ),
    cast(
      'class_teaching',
      `SELECT DISTINCT ON (p.year, p.school_id, p.class, w.subject) p.year, p.school_id, p.class, w.subject,
        p.school_id || '-t' || (4 + floor(rnd(p.s * 100 + w.work, 41) * 36)::INT) AS teacher_id,
        CASE WHEN rnd(p.s * 100 + w.work, 42) < 0.2 THEN 'углублённый' ELSE 'базовый' END AS study_level,
        2 + floor(rnd(p.s * 100 + w.work, 43) * 4) AS hours_per_week,
        floor(rnd(p.s * 100 + w.work, 44) * 60) AS months_with_class,
        ${pick(['Дорофеев Г.В.', 'Мерзляк А.Г.', 'Никольский С.М.', 'Ладыженская Т.А.', 'Львова С.И.'], 'rnd(p.s * 100 + w.work, 45)')} AS textbook
      FROM _part p JOIN _works w USING (work)
      ORDER BY p.year, p.school_id, p.class, w.subject`,
    ),
    cast(
      'achievements',
      `SELECT year, student_id, school_id, grade, kind, name, subject, stage, status FROM (
        SELECT p.year, p.student_id, p.school_id, p.grade, p.pid,
          ${pick(['олимпиада', 'олимпиада', 'конкурс', 'чемпионат'], 'rnd(p.pid, 51)')} AS kind,
          'ВсОШ' AS name, w.subject,
          ${pick(['школьный', 'школьный', 'школьный', 'муниципальный', 'муниципальный', 'региональный'], 'rnd(p.pid, 52)')} AS stage,
          ${pick(['участник', 'участник', 'участник', 'призёр', 'победитель'], 'rnd(p.pid, 53)')} AS status
        FROM _part p JOIN _works w USING (work) WHERE rnd(p.pid, 50) < 0.05)`,
    ),
    cast(
      'graduates',
      `SELECT DISTINCT ON (p.year, p.student_id) p.year, p.student_id, p.school_id, p.grade,
        CASE WHEN p.grade = 11 THEN ${pick(['технологический', 'естественно-научный', 'гуманитарный', 'социально-экономический', 'универсальный'], 'rnd(p.pid, 61)')} END AS profile,
        rnd(p.pid, 62) < 0.97 AS certificate, rnd(p.pid, 63) < 0.05 AS honors, p.grade = 11 AND rnd(p.pid, 63) < 0.03 AS medal,
        CASE WHEN p.grade = 9 THEN ${pick(['10 класс', '10 класс', 'ПОО', 'ПОО', 'работа', 'не определён'], 'rnd(p.pid, 64)')}
             ELSE ${pick(['ВУЗ', 'ВУЗ', 'ВУЗ', 'ПОО', 'работа', 'армия', 'не определён'], 'rnd(p.pid, 64)')} END AS destination,
        rnd(p.pid, 65) < 0.6 AS destination_by_profile, rnd(p.pid, 66) < 0.7 AS gia_subjects_match_profile
      FROM _part p WHERE p.grade IN (9, 11) ORDER BY p.year, p.student_id, p.pid`,
    ),
    cast(
      'monitoring',
      `SELECT y.year, sc.school_id, c.code,
        CASE WHEN c.code LIKE 'dou_%' AND c.code IN ('dou_program_fgos', 'dou_modern_environment', 'dou_family_work', 'dou_safe_conditions', 'dou_sanpin_ok', 'dou_individual_family_support', 'dou_development_program')
             THEN (rnd(sc.s * 100 + c.i, y.year) < 0.8)::INT
             WHEN c.code LIKE '%_students' OR c.code LIKE 'students_%' OR c.code LIKE 'children_%' OR c.code LIKE '%_total' OR c.code IN ('dou_children', 'dou_parents_surveyed')
             THEN 200 + floor(rnd(sc.s * 100 + c.i, y.year) * 800)
             ELSE floor(rnd(sc.s * 100 + c.i, y.year) * 150) END AS value
      FROM _schools sc, _years y, (SELECT unnest(${list([...MONITORING_CODES, ...DOU_CODES])}) AS code, unnest(range(${MONITORING_CODES.length + DOU_CODES.length})) AS i) c
      WHERE (c.code LIKE 'dou_%') = (sc.s % 10 = 9)
      UNION ALL
      SELECT y.year, NULL, c.code, 1 + floor(rnd(c.i, y.year) * 5)
      FROM _years y, (SELECT unnest(${list(MUNICIPAL_CODES)}) AS code, unnest(range(${MUNICIPAL_CODES.length})) AS i) c`,
    ),
    `DROP TABLE _part`,
    `DROP TABLE _primary`,
    `DROP TABLE _groups`,
    `DROP TABLE _tasks`,
    `DROP TABLE _max`,
  ];
}

/** Expected row counts of a size, computed in plain TypeScript from the same hash (tests check them). */
export function mixJs(x: bigint): bigint {
  return ((x ^ (x >> 11n)) % 2147483647n) * 48271n % 2147483647n;
}
export function rndJs(a: number, b: number): number {
  const A = BigInt(a);
  const B = BigInt(b);
  return Number(mixJs(mixJs(mixJs(A * 65537n + B + 1n)) + B)) / 2147483647;
}

export function expectedCounts(size: RegionalSize): { assessment_results: number; task_scores: number } {
  let results = 0;
  let tasks = 0;
  for (const year of size.years)
    for (let s = 0; s < size.schools; s++) {
      if (s % 10 === 9) continue;
      WORKS.forEach(([, , , ntasks], i) => {
        const n = size.groupMin + Math.floor(rndJs(s * 100 + i + 1, year) * size.groupSpan);
        results += n;
        tasks += n * ntasks;
      });
    }
  return { assessment_results: results, task_scores: tasks };
}
