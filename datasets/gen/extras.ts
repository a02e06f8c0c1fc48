/** Graduates, achievements, staff activities and monitoring forms of the demo world. */
import { rngFor, type Rng } from './rng';
import { DOOS, SCHOOLS, YEARS, maxGrade, type SchoolDef } from './schools';
import { teacherAge, teacherExp, type Result, type Student, type Teacher, type World } from './world';

export interface Graduate {
  year: number;
  student: Student;
  schoolId: string;
  grade: 9 | 11;
  className: string;
  profile: string | null;
  certificate: boolean;
  honors: boolean;
  medal: boolean;
  destination: string;
  destinationByProfile: boolean;
  giaSubjectsMatchProfile: boolean;
}

export interface Achievement {
  year: number;
  student: Student;
  schoolId: string;
  grade: number;
  kind: 'олимпиада' | 'конкурс' | 'чемпионат';
  name: string;
  subject: string | null;
  stage: string;
  status: 'участник' | 'призёр' | 'победитель';
}

export interface Activity {
  year: number;
  teacher: Teacher;
  activity: string;
  level: string;
  eventId: string;
  eventName: string;
  date: string;
}

export interface MonitoringRow {
  year: number;
  schoolId: string | null;
  code: string;
  value: number;
}

const passed = (r: Result): boolean => (r.spec.minTest !== null ? (r.testScore ?? 0) >= r.spec.minTest : (r.mark ?? 0) >= 3);

const PROFILE_SUBJECTS: Record<string, string[]> = {
  технологический: ['Физика', 'Математика (профильная)'],
  'естественно-научный': ['Биология'],
  'социально-экономический': ['Обществознание'],
  гуманитарный: ['Обществознание'],
};

export function buildGraduates(world: World): Graduate[] {
  const out: Graduate[] = [];
  const byStudentYear = new Map<string, Result[]>();
  for (const r of world.results) {
    if (r.spec.procedure !== 'ОГЭ' && r.spec.procedure !== 'ЕГЭ') continue;
    const k = `${r.student.key}|${r.year}`;
    byStudentYear.set(k, [...(byStudentYear.get(k) ?? []), r]);
  }
  for (const year of YEARS) {
    for (const s of world.students) {
      const e = s.enrol.get(year);
      if (!e || (e.grade !== 9 && e.grade !== 11) || maxGrade(s.school) < e.grade) continue;
      const rs = byStudentYear.get(`${s.key}|${year}`) ?? [];
      if (!rs.length) continue;
      const rng = rngFor(world.seed, 'graduate', s.key, year);
      const allPassed = rs.every(passed);
      const grade = e.grade as 9 | 11;
      const profile = grade === 11 ? profileOfClass(s.school, e.letter) : null;
      const strong = s.theta > 1.25 && allPassed;
      const honors = strong && rng.bool(grade === 9 ? 0.45 : 0.5);
      let destination: string;
      if (!allPassed) destination = grade === 9 ? rng.weighted(['ПОО', 'работа', 'не определён'], [0.6, 0.15, 0.25]) : rng.weighted(['ПОО', 'работа', 'армия', 'не определён'], [0.35, 0.25, 0.2, 0.2]);
      else if (grade === 9) destination = s.continues10 || maxGrade(s.school) === 9 && rng.bool(0.3 + 0.1 * s.theta) ? '10 класс' : rng.weighted(['ПОО', 'работа', 'не определён'], [0.93, 0.03, 0.04]);
      else destination = rng.weighted(['ВУЗ', 'ПОО', 'работа', 'армия', 'не определён'], [Math.max(0.15, 0.55 + 0.2 * s.theta), 0.25, 0.08, 0.07, 0.05]);
      const studying = destination === 'ВУЗ' || destination === 'ПОО';
      const subjects = rs.map((r) => r.spec.subject);
      const match =
        grade === 11
          ? profile && PROFILE_SUBJECTS[profile]
            ? PROFILE_SUBJECTS[profile].some((x) => subjects.includes(x))
            : subjects.length > 2
          : rng.bool(0.6);
      out.push({
        year,
        student: s,
        schoolId: s.school.id,
        grade,
        className: `${e.grade}${e.letter}`,
        profile,
        certificate: allPassed,
        honors,
        medal: grade === 11 && honors,
        destination,
        destinationByProfile: studying && rng.bool(match ? 0.75 : 0.4),
        giaSubjectsMatchProfile: match,
      });
    }
  }
  return out;
}

export function profileOfClass(school: SchoolDef, letter: string): string | null {
  if (school.type === 'лицей') return letter === 'А' ? 'технологический' : 'естественно-научный';
  if (school.type === 'гимназия') return 'социально-экономический';
  if (school.no === 3) return 'гуманитарный';
  return 'универсальный';
}

const OLYMPIAD_SUBJECTS = ['Математика', 'Русский язык', 'Обществознание', 'Физика', 'Биология', 'История', 'Английский язык', 'Литература', 'География', 'Информатика'];

export function buildAchievements(world: World): Achievement[] {
  const out: Achievement[] = [];
  for (const year of YEARS) {
    const rng = rngFor(world.seed, 'achievements', year);
    // ВсОШ: school stage in every school, grades 5–11 (4 for Russian and mathematics).
    const municipalCandidates = new Map<string, Array<{ s: Student; grade: number; score: number }>>();
    for (const s of world.students) {
      const e = s.enrol.get(year);
      if (!e || e.grade < 4) continue;
      const pParticipate = 0.22 + 0.1 * Math.max(0, s.theta);
      const subjects = OLYMPIAD_SUBJECTS.filter((subj) => (e.grade >= 5 || subj === 'Математика' || subj === 'Русский язык') && rng.bool(pParticipate / 6));
      for (const subject of subjects) {
        const score = s.theta + rng.normal(0, 0.6);
        const status = score > 1.7 ? 'победитель' : score > 1.0 ? 'призёр' : 'участник';
        out.push({ year, student: s, schoolId: s.school.id, grade: e.grade, kind: 'олимпиада', name: 'ВсОШ', subject, stage: 'школьный', status });
        if (e.grade >= 7 && status !== 'участник') {
          const k = `${subject}|${e.grade}`;
          municipalCandidates.set(k, [...(municipalCandidates.get(k) ?? []), { s, grade: e.grade, score: s.theta + rng.normal(0, 0.5) }]);
        }
      }
    }
    for (const [k, list] of [...municipalCandidates].sort((a, b) => a[0].localeCompare(b[0]))) {
      const subject = k.split('|')[0];
      list.sort((a, b) => b.score - a.score);
      list.forEach((c, i) => {
        const status = i === 0 && list.length >= 3 ? 'победитель' : i < Math.ceil(list.length * 0.3) ? 'призёр' : 'участник';
        out.push({ year, student: c.s, schoolId: c.s.school.id, grade: c.grade, kind: 'олимпиада', name: 'ВсОШ', subject, stage: 'муниципальный', status });
        if (c.grade >= 9 && status !== 'участник' && c.score > 1.2) {
          const reg = c.score + rng.normal(0, 0.5);
          out.push({ year, student: c.s, schoolId: c.s.school.id, grade: c.grade, kind: 'олимпиада', name: 'ВсОШ', subject, stage: 'региональный', status: reg > 2.3 ? 'призёр' : 'участник' });
        }
      });
    }
    // Contests and the professional-skills championship.
    for (const s of world.students) {
      const e = s.enrol.get(year);
      if (!e || e.grade < 5) continue;
      if (rng.bool(0.05)) {
        const name = rng.pick(['Научно-практическая конференция «Шаг в будущее»', 'Конкурс исследовательских работ «Юный исследователь»', 'Конкурс чтецов «Живая классика»']);
        const stage = rng.weighted(['муниципальный', 'региональный', 'всероссийский'], [0.7, 0.25, 0.05]);
        const status = rng.weighted(['участник', 'призёр', 'победитель'] as const, [0.65, 0.25, 0.1]);
        out.push({ year, student: s, schoolId: s.school.id, grade: e.grade, kind: 'конкурс', name, subject: null, stage, status });
      }
      if (e.grade >= 8 && rng.bool(0.015)) {
        const status = rng.weighted(['участник', 'призёр', 'победитель'] as const, [0.7, 0.22, 0.08]);
        out.push({ year, student: s, schoolId: s.school.id, grade: e.grade, kind: 'чемпионат', name: 'Чемпионат по профессиональному мастерству «Профессионалы»', subject: rng.pick(['Поварское дело', 'Сварочные технологии', 'Дошкольное воспитание', 'Электромонтаж', 'Сетевое и системное администрирование']), stage: rng.weighted(['муниципальный', 'региональный'], [0.6, 0.4]), status });
      }
    }
  }
  return out;
}

interface EventDef {
  id: string;
  name: string;
  level: string;
  date: string;
}

const ACTIVITY_LEVELS: Record<string, { levels: string[]; weights: number[]; name: string; months: number[] }> = {
  deficit_diagnostics: { levels: ['региональный', 'муниципальный'], weights: [0.7, 0.3], name: 'Диагностика профессиональных дефицитов', months: [9, 10, 11] },
  pk_course: { levels: ['региональный', 'всероссийский', 'муниципальный'], weights: [0.6, 0.3, 0.1], name: 'Курсы повышения квалификации', months: [1, 2, 3, 4, 12] },
  retraining: { levels: ['региональный', 'всероссийский'], weights: [0.6, 0.4], name: 'Профессиональная переподготовка', months: [2, 5] },
  methodical_event: { levels: ['школьный', 'муниципальный', 'региональный'], weights: [0.3, 0.55, 0.15], name: 'Методический семинар', months: [10, 11, 12, 1, 2, 3, 4] },
  prof_contest: { levels: ['муниципальный', 'региональный', 'всероссийский'], weights: [0.6, 0.3, 0.1], name: 'Конкурс профессионального мастерства', months: [1, 2, 3] },
  upbringing_training: { levels: ['региональный', 'всероссийский'], weights: [0.7, 0.3], name: 'Курсы по приоритетным направлениям воспитания', months: [10, 11, 2] },
  talent_training: { levels: ['региональный', 'всероссийский'], weights: [0.8, 0.2], name: 'Курсы по поддержке и развитию талантов', months: [11, 3] },
  young_teacher_support: { levels: ['муниципальный', 'школьный'], weights: [0.7, 0.3], name: 'Школа молодого педагога', months: [9, 10, 12, 3] },
  mentoring: { levels: ['школьный', 'муниципальный'], weights: [0.8, 0.2], name: 'Программа наставничества', months: [9] },
};
const EVENT_CODE: Record<string, string> = {
  deficit_diagnostics: 'DIAG', pk_course: 'PK', retraining: 'RETR', methodical_event: 'MET', prof_contest: 'CONT',
  upbringing_training: 'UPBR', talent_training: 'TAL', young_teacher_support: 'YOUNG', mentoring: 'MENT',
};
const LEVEL_CODE: Record<string, string> = { школьный: 'S', муниципальный: 'M', региональный: 'R', всероссийский: 'F' };

export function buildActivities(world: World): Activity[] {
  const out: Activity[] = [];
  for (const year of YEARS) {
    const rng = rngFor(world.seed, 'activities', year);
    const events = new Map<string, EventDef[]>();
    for (const [activity, def] of Object.entries(ACTIVITY_LEVELS)) {
      def.levels.forEach((level) => {
        const n = level === 'школьный' ? 4 : activity === 'methodical_event' ? 8 : 3;
        const list: EventDef[] = [];
        for (let i = 1; i <= n; i++) {
          const month = rng.pick(def.months);
          const y = month >= 9 ? year - 1 : year;
          const day = rng.int(1, 28);
          list.push({
            id: `${year}-${EVENT_CODE[activity]}-${LEVEL_CODE[level]}${String(i).padStart(2, '0')}`,
            name: `${def.name} (${level} уровень) № ${i}`,
            level,
            date: `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
          });
        }
        events.set(`${activity}|${level}`, list);
      });
    }
    const seen = new Set<string>();
    const take = (teacher: Teacher, activity: string, r: Rng) => {
      const def = ACTIVITY_LEVELS[activity];
      const level = r.weighted(def.levels, def.weights);
      const ev = r.pick(events.get(`${activity}|${level}`)!);
      if (seen.has(`${teacher.staffId}|${ev.id}`)) return null;
      seen.add(`${teacher.staffId}|${ev.id}`);
      const a: Activity = { year, teacher, activity, level, eventId: ev.id, eventName: ev.name, date: ev.date };
      out.push(a);
      return a;
    };
    for (const t of world.teachers) {
      if (t.from > year || t.to < year) continue;
      const exp = teacherExp(t, year);
      const manager = t.position === 'руководитель' || t.position === 'заместитель руководителя';
      const diag = rng.bool(manager ? 0.4 : 0.32) ? take(t, 'deficit_diagnostics', rng) : null;
      // Diagnostics run in September–November, courses from December on: a course always follows it (PED-11).
      if (rng.bool(diag ? 0.6 : 0.3)) take(t, 'pk_course', rng);
      if (rng.bool(0.04)) take(t, 'retraining', rng);
      const nMethod = rng.weighted([0, 1, 2, 3], [0.3, 0.35, 0.25, 0.1]);
      for (let i = 0; i < nMethod; i++) take(t, 'methodical_event', rng);
      if (rng.bool(0.08)) take(t, 'prof_contest', rng);
      if (rng.bool(0.16)) take(t, 'upbringing_training', rng);
      if (rng.bool(0.09)) take(t, 'talent_training', rng);
      if (exp <= 3 && rng.bool(0.75)) take(t, 'young_teacher_support', rng);
      if (exp >= 15 && rng.bool(0.1)) take(t, 'mentoring', rng);
    }
  }
  return out;
}

/** Counts carried by the context questionnaire (not by the monitoring forms); codes as the importer names them. */
export const QUESTIONNAIRE_CODES = ['teachers_total', 'teachers_higher_category', 'teachers_under_30', 'teachers_pension_age'];

/** Codes reported per school (ОО) and per ДОО; municipality-level codes are listed in README.md. */
export const MUNICIPAL_CODES = ['children_5_18', 'children_5_18_in_additional_ed', 'young_teacher_acts', 'methodical_associations', 'young_teacher_associations', 'trial_workplaces'];

export function buildMonitoring(world: World): MonitoringRow[] {
  const out: MonitoringRow[] = [];
  const push = (year: number, schoolId: string | null, code: string, value: number) => out.push({ year, schoolId, code, value });
  const held = new Set(world.results.map((r) => `${r.year}|${r.student.school.id}|${r.spec.procedure}|${r.spec.subject}|${r.spec.grade}`));
  for (const year of YEARS) {
    let municipalStudents = 0;
    for (const school of SCHOOLS) {
      const rng = rngFor(world.seed, 'monitoring', school.id, year);
      const byGrade = new Array(12).fill(0) as number[];
      for (const s of world.students) {
        const e = s.school === school ? s.enrol.get(year) : undefined;
        if (e) byGrade[e.grade]++;
      }
      const sum = (a: number, b: number) => byGrade.slice(a, b + 1).reduce((x, y) => x + y, 0);
      const noo = sum(1, 4), ooo = sum(5, 9), soo = sum(10, 11), total = noo + ooo + soo;
      municipalStudents += total;
      const share = (n: number, p: number, sd = 0.05) => Math.max(0, Math.min(n, Math.round(n * Math.max(0, Math.min(1, p + rng.normal(0, sd))))));
      const low = school.settlement === 'село' ? -0.06 : 0;
      push(year, school.id, 'students_total', total);
      const teachersNow = world.teachers.filter((t) => t.schoolId === school.id && t.position === 'учитель' && t.from <= year && t.to >= year);
      push(year, school.id, 'teachers_total', teachersNow.length);
      push(year, school.id, 'teachers_higher_category', teachersNow.filter((t) => t.categories.get(year) === 'высшая').length);
      push(year, school.id, 'teachers_under_30', teachersNow.filter((t) => teacherAge(t, year) < 30).length);
      push(year, school.id, 'teachers_pension_age', teachersNow.filter((t) => teacherAge(t, year) >= 60).length);
      for (let g = 1; g <= maxGrade(school); g++) push(year, school.id, `students_grade_${g}`, byGrade[g]);
      push(year, school.id, 'students_noo', noo);
      if (ooo) push(year, school.id, 'students_ooo', ooo);
      if (soo) push(year, school.id, 'students_soo', soo);
      push(year, school.id, 'noo_students', noo);
      push(year, school.id, 'noo_base_level', share(noo, 0.92 + low));
      push(year, school.id, 'noo_excellent', share(noo, 0.13 + low, 0.03));
      const respondents = share(total, 0.6, 0.1);
      push(year, school.id, 'survey_respondents', respondents);
      push(year, school.id, 'survey_satisfied', share(respondents, 0.82 + low));
      push(year, school.id, 'extracurricular_students', share(total, 0.18 + low, 0.04));
      const gifted = share(total, 0.07, 0.02);
      push(year, school.id, 'gifted_students', gifted);
      push(year, school.id, 'gifted_individual_routes', share(gifted, 0.35 + low * 2, 0.1));
      const s611 = sum(6, 11);
      if (s611) {
        push(year, school.id, 'students_6_11', s611);
        push(year, school.id, 'bilet_6_11', share(s611, 0.3 + 0.1 * (year - 2022) + low, 0.08));
        push(year, school.id, 'career_tested_6_11', share(s611, 0.55 + low, 0.1));
        push(year, school.id, 'career_longterm_project', share(s611, 0.12, 0.05));
      }
      push(year, school.id, 'career_event_participants', share(total, 0.25 + low, 0.06));
      push(year, school.id, 'ovz_career_participants', rng.int(0, Math.max(1, Math.round(total / 60))));
      const parents = Math.round(total * 1.6);
      push(year, school.id, 'parents_total', parents);
      push(year, school.id, 'parents_helped', share(parents, 0.08, 0.03));
      push(year, school.id, 'students_in_additional_ed', share(total, 0.62 + low * 2));
      push(year, school.id, 'mentoring_programs', rng.bool(school.settlement === 'село' ? 0.5 : 0.8) ? 1 : 0);
      push(year, school.id, 'teacher_vacancies', school.settlement === 'село' ? rng.int(0, 3) : rng.int(0, 2));
      push(year, school.id, 'upbringing_programs', 1);
      push(year, school.id, 'volunteers_noo', share(noo, 0.05, 0.03));
      if (ooo) push(year, school.id, 'volunteers_ooo', share(ooo, 0.22 + low, 0.06));
      if (soo) push(year, school.id, 'volunteers_soo', share(soo, 0.4 + low, 0.1));
      push(year, school.id, 'prevention_noo', share(noo, 0.02, 0.01));
      if (ooo) push(year, school.id, 'prevention_ooo', share(ooo, 0.05, 0.02));
      if (soo) push(year, school.id, 'prevention_soo', share(soo, 0.04, 0.02));
      push(year, school.id, 'youth_org_branches', rng.bool(year === 2022 ? 0.3 : 0.9) ? 1 : 0);
      push(year, school.id, 'volunteer_associations', school.settlement === 'село' ? rng.int(0, 1) : rng.int(1, 2));
      const procedures = world.specs.filter((sp) => sp.procedure !== 'ЕГЭ' && held.has(`${year}|${school.id}|${sp.procedure}|${sp.subject}|${sp.grade}`)).length;
      push(year, school.id, 'procedures_total', procedures);
      push(year, school.id, 'procedures_observed', Math.min(procedures, Math.round(procedures * Math.min(1, 0.55 + rng.normal(0, 0.2)))));
    }
    for (const doo of DOOS) {
      const rng = rngFor(world.seed, 'monitoring', doo.id, year);
      const peds = world.teachers.filter((t) => t.schoolId === doo.id && t.position !== 'руководитель' && t.from <= year && t.to >= year);
      const village = doo.settlement === 'село';
      const flag = (p: number) => (rng.bool(p) ? 1 : 0);
      const children = Math.round(doo.children * (1 + rng.normal(0, 0.04)));
      const surveyed = Math.round(children * (0.5 + rng.next() * 0.3));
      push(year, doo.id, 'dou_children', children);
      push(year, doo.id, 'dou_pedagogues', peds.length);
      push(year, doo.id, 'dou_pedagogues_staff', peds.length - (rng.bool(0.3) ? 1 : 0));
      push(year, doo.id, 'dou_pedagogues_higher_ed', peds.filter((t) => t.higherEducation).length);
      push(year, doo.id, 'dou_pedagogues_highest_cat', peds.filter((t) => t.categories.get(year) === 'высшая').length);
      push(year, doo.id, 'dou_program_fgos', flag(village ? 0.8 : 0.95));
      push(year, doo.id, 'dou_modern_environment', flag(village ? 0.5 : 0.85));
      push(year, doo.id, 'dou_family_work', flag(0.85));
      push(year, doo.id, 'dou_safe_conditions', flag(village ? 0.6 : 0.9));
      push(year, doo.id, 'dou_complaints', rng.weighted([0, 1, 2], [0.75, 0.2, 0.05]));
      push(year, doo.id, 'dou_sanpin_ok', flag(village ? 0.6 : 0.85));
      push(year, doo.id, 'dou_parents_surveyed', surveyed);
      push(year, doo.id, 'dou_parents_satisfied', Math.round(surveyed * Math.min(1, 0.9 + rng.next() * 0.1)));
      push(year, doo.id, 'dou_individual_family_support', flag(0.7));
      push(year, doo.id, 'dou_development_program', flag(village ? 0.7 : 0.95));
      push(year, doo.id, 'dou_projects', rng.weighted([0, 1, 2, 3], [0.25, 0.4, 0.25, 0.1]));
    }
    const rng = rngFor(world.seed, 'monitoring', 'municipality', year);
    const children518 = Math.round(municipalStudents * 1.12);
    push(year, null, 'children_5_18', children518);
    push(year, null, 'children_5_18_in_additional_ed', Math.round(children518 * (0.72 + 0.02 * (year - 2022) + rng.normal(0, 0.01))));
    push(year, null, 'young_teacher_acts', year === 2022 ? 1 : 2);
    push(year, null, 'methodical_associations', 12 + (year - 2022));
    push(year, null, 'young_teacher_associations', 1);
    push(year, null, 'trial_workplaces', 40 + 6 * (year - 2022));
  }
  return out;
}
