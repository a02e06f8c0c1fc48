/**
 * Simulates the demo municipality: students moving through grades over the years, staff,
 * who teaches which class, and every assessment result down to task scores. The canonical
 * tables (canonical.ts) and the source-format files (sources.ts) are both views of this world.
 */
import { personName, type PersonName } from './names';
import { Rng, rngFor } from './rng';
import { DOOS, PLANTED, SCHOOLS, YEARS, maxGrade, type SchoolDef } from './schools';
import { EGE_ELECTIVES, FG_SUBJECTS, OGE_ELECTIVES, buildSpecs, markOf, specKey, type WorkSpec } from './specs';

export const LETTERS = ['А', 'Б', 'В'];

export interface Student extends PersonName {
  key: number;
  /**
   * ВПР / ФГ participant code (the ФИС ОКО `Код`): numbered from 40001 in every school, as real
   * files are, so it repeats across schools; stable across years within the school (cohorts).
   */
  code: string;
  docSeries: string;
  docNumber: string;
  /** Pseudonym from names and document (filled by world.ts after generation). */
  pid: string;
  school: SchoolDef;
  theta: number;
  thetaRu: number;
  thetaMa: number;
  /** Tendency of the journal mark, relative to ability. */
  journalBias: number;
  continues10: boolean;
  /** grade and class letter per year. */
  enrol: Map<number, { grade: number; letter: string }>;
}

export interface Teacher {
  staffId: string;
  schoolId: string;
  name: PersonName;
  position: string;
  mainSubject: string | null;
  /** First and last year in the school. */
  from: number;
  to: number;
  age0: number;
  exp0: number;
  categories: Map<number, string>;
  load: number;
  subjectsCount: number;
  hasTeachingLoad: boolean;
  educationMatches: boolean;
  higherEducation: boolean;
  requiredTraining: boolean | null;
  isGiaExpert: boolean;
}

export interface Teaching {
  year: number;
  schoolId: string;
  className: string;
  subject: string;
  teacher: Teacher;
  studyLevel: string;
  hours: number | null;
  months: number;
  textbook: string | null;
}

export interface Result {
  year: number;
  spec: WorkSpec;
  student: Student;
  className: string;
  variant: string | null;
  scores: number[];
  primary: number;
  testScore: number | null;
  mark: number | null;
  journal: number | null;
}

export interface World {
  seed: number;
  specs: WorkSpec[];
  students: Student[];
  teachers: Teacher[];
  teaching: Teaching[];
  results: Result[];
  /** ВПР participants who were absent (not in the canonical tables; «отсутствовал» in the sources). */
  absent: Array<{ year: number; spec: WorkSpec; student: Student; className: string }>;
}

/** Discrimination of every task point. */
const SLOPE = 1.1;
const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
export const className = (grade: number, letter: string) => `${grade}${letter}`;

/** Teaching subject behind an assessed subject (ЕГЭ mathematics and ФГ literacies are taught under another name). */
export function teachingSubject(subject: string): string {
  if (subject.startsWith('Математика')) return 'Математика';
  if (subject === 'Читательская грамотность') return 'Русский язык';
  if (subject === 'Математическая грамотность') return 'Математика';
  if (subject === 'Естественно-научная грамотность') return 'Биология';
  if (subject === 'Финансовая грамотность') return 'Обществознание';
  return subject;
}

const SUBJECT_TEACHERS = ['Русский язык', 'Математика', 'Обществознание', 'Физика', 'Биология'];
const OTHER_TEACHERS = ['Английский язык', 'История', 'Физическая культура', 'Химия', 'География', 'Информатика', 'Технология', 'Музыка'];

function drawCategory(rng: Rng, settlement: string, exp: number): string {
  if (exp < 2) return 'без категории';
  const w =
    settlement === 'город' ? [0.36, 0.36, 0.18, 0.1] : settlement === 'пгт' ? [0.25, 0.36, 0.25, 0.14] : [0.16, 0.32, 0.34, 0.18];
  return rng.weighted(['высшая', 'первая', 'соответствие занимаемой должности', 'без категории'], w);
}

export function buildWorld(seed: number): World {
  const specs = buildSpecs(seed);
  const specMap = new Map(specs.map((s) => [specKey(s.procedure, s.subject, s.grade), s]));
  const spec = (p: string, subj: string, g: number) => specMap.get(specKey(p, subj, g))!;
  const students: Student[] = [];
  const teachers: Teacher[] = [];
  const docRng = rngFor(seed, 'documents');
  const usedDocs = new Set<string>();
  const seqBySchool = new Map<number, number>();

  const newStudent = (school: SchoolDef, rng: Rng): Student => {
    const seq = (seqBySchool.get(school.no) ?? 0) + 1;
    seqBySchool.set(school.no, seq);
    const name = personName(rng);
    let series = '', number = '';
    do {
      series = String(docRng.int(100, 9999)).padStart(4, '0');
      number = String(docRng.int(100000, 999999));
    } while (usedDocs.has(series + number));
    usedDocs.add(series + number);
    const theta = rng.normal(0, 0.8);
    const st: Student = {
      ...name,
      key: students.length + 1,
      code: String(40000 + seq),
      docSeries: series,
      docNumber: number,
      pid: '',
      school,
      theta,
      thetaRu: theta + rng.normal(0, 0.45) + (name.gender === 'ж' ? 0.15 : -0.15),
      thetaMa: theta + rng.normal(0, 0.45),
      journalBias: rng.normal(0, 0.15),
      continues10: false,
      enrol: new Map(),
    };
    students.push(st);
    return st;
  };

  // ---- Rosters: every class of grades 1–11 in every year.
  for (const school of SCHOOLS) {
    const rng = rngFor(seed, 'roster', school.id);
    const top = maxGrade(school);
    const classSize = (grade: number) => Math.max(school.type === 'НОШ' ? 4 : 6, Math.round((grade >= 10 ? school.size * 0.85 : school.size) * (1 + rng.normal(0, 0.12))));
    const lettersFor = (grade: number) => LETTERS.slice(0, grade >= 10 ? school.k10 : school.k);
    const continueP = school.settlement === 'город' ? 0.5 : school.settlement === 'пгт' ? 0.42 : 0.36;
    // classes[grade][letter] = students
    let classes = new Map<string, Student[]>();
    for (let grade = 1; grade <= top; grade++) {
      for (const letter of lettersFor(grade)) {
        const n = classSize(grade);
        classes.set(className(grade, letter), Array.from({ length: n }, () => newStudent(school, rng)));
      }
    }
    for (const year of YEARS) {
      if (year > YEARS[0]) {
        const next = new Map<string, Student[]>();
        const to10: Student[] = [];
        for (const [cls, list] of classes) {
          const grade = parseInt(cls, 10);
          const letter = cls.slice(String(grade).length);
          if (grade === top) continue;
          if (grade === 9) {
            to10.push(...list.filter((s) => s.continues10));
            continue;
          }
          const stay = list.filter(() => rng.bool(0.965));
          const arrivals = Math.round(list.length * 0.035 + rng.normal(0, 0.6));
          for (let i = 0; i < arrivals; i++) stay.push(newStudent(school, rng));
          next.set(className(grade + 1, letter), stay);
        }
        if (top === 11) {
          const letters10 = lettersFor(10);
          const target = letters10.length * Math.round(school.size * 0.85);
          while (to10.length < target * 0.85) to10.push(newStudent(school, rng));
          to10.sort((a, b) => b.theta - a.theta);
          letters10.forEach((l, i) => next.set(className(10, l), to10.filter((_, j) => j % letters10.length === i)));
        }
        for (const letter of lettersFor(1)) next.set(className(1, letter), Array.from({ length: classSize(1) }, () => newStudent(school, rng)));
        classes = next;
      }
      for (const [cls, list] of classes) {
        const grade = parseInt(cls, 10);
        const letter = cls.slice(String(grade).length);
        for (const s of list) {
          s.enrol.set(year, { grade, letter });
          if (grade === 9) s.continues10 = top === 11 && rng.bool(clamp(continueP + 0.18 * s.theta, 0.05, 0.95));
        }
      }
    }
  }

  // ---- Staff.
  let staffSeq = 0;
  const newTeacher = (schoolId: string, settlement: string, position: string, mainSubject: string | null, rng: Rng, from: number = YEARS[0], young = false): Teacher => {
    staffSeq++;
    const age0 = young ? rng.int(22, 26) : rng.int(26, 63);
    const exp0 = young ? rng.int(0, 2) : clamp(age0 - 23 - rng.int(0, 6), 0, 45);
    const admin = position === 'руководитель' || position === 'заместитель руководителя';
    const categories = new Map<number, string>();
    let cat = drawCategory(rng, settlement, exp0);
    for (const y of YEARS) {
      const exp = exp0 + (y - from);
      if (y > from) {
        if (cat === 'без категории' && exp >= 2 && rng.bool(0.3)) cat = 'первая';
        else if (cat === 'соответствие занимаемой должности' && rng.bool(0.08)) cat = 'первая';
        else if (cat === 'первая' && exp >= 5 && rng.bool(0.1)) cat = 'высшая';
      }
      categories.set(y, cat);
    }
    const village = settlement === 'село';
    const t: Teacher = {
      staffId: `ped${String(staffSeq).padStart(4, '0')}`,
      schoolId,
      name: personName(rng),
      position,
      mainSubject,
      from,
      to: YEARS[YEARS.length - 1],
      age0,
      exp0,
      categories,
      load: admin ? rng.int(0, 10) : Math.round(clamp(rng.normal(village ? 27 : 24, 5), 9, 38)),
      subjectsCount: admin ? rng.int(0, 1) : village ? rng.weighted([1, 2, 3, 4], [0.35, 0.35, 0.22, 0.08]) : rng.weighted([1, 2, 3], [0.7, 0.24, 0.06]),
      hasTeachingLoad: admin ? rng.bool(0.7) : true,
      educationMatches: rng.bool(village ? 0.8 : 0.93),
      higherEducation: rng.bool(position === 'воспитатель' ? 0.55 : 0.88),
      requiredTraining: admin ? rng.bool(0.75) : null,
      isGiaExpert: !admin && mainSubject !== null && SUBJECT_TEACHERS.includes(mainSubject) && rng.bool(0.12),
    };
    if (admin && !t.hasTeachingLoad) {
      t.load = 0;
      t.subjectsCount = 0;
    }
    teachers.push(t);
    return t;
  };

  const pool = new Map<string, Teacher[]>(); // `${schoolId}|${subject}` → teachers
  for (const school of SCHOOLS) {
    const rng = rngFor(seed, 'staff', school.id);
    const add = (pos: string, subj: string | null, from?: number, young?: boolean) => {
      const t = newTeacher(school.id, school.settlement, pos, subj, rng, from, young);
      if (subj) {
        const k = `${school.id}|${subj}`;
        pool.set(k, [...(pool.get(k) ?? []), t]);
      }
      return t;
    };
    add('руководитель', rng.pick(['История', 'Математика', 'Русский язык', 'Физика']));
    const deputies = school.k >= 2 ? 3 : school.size >= 15 ? 2 : 1;
    for (let i = 0; i < deputies; i++) add('заместитель руководителя', rng.pick(['Русский язык', 'Математика', 'Начальные классы', 'История']));
    for (let i = 0; i < school.k * 4; i++) add('учитель', 'Начальные классы');
    const top = maxGrade(school);
    if (top > 4) {
      const classes5 = school.k * 5 + school.k10 * 2;
      const n = (hoursPerClass: number) => Math.max(1, Math.round((classes5 * hoursPerClass) / 22));
      for (let i = 0; i < n(5); i++) add('учитель', 'Русский язык');
      for (let i = 0; i < n(5); i++) add('учитель', 'Математика');
      for (const subj of ['Обществознание', 'Физика', 'Биология']) for (let i = 0; i < n(1.5); i++) add('учитель', subj);
      for (const subj of OTHER_TEACHERS.slice(0, school.settlement === 'село' ? 4 : OTHER_TEACHERS.length)) add('учитель', subj);
    }
    if (school.settlement !== 'село' || school.size >= 10) add('педагог-психолог', null);
    if (school.settlement === 'город' || rng.bool(0.4)) add('педагог дополнительного образования', null);
    // Turnover: a young teacher joins in 2023 and 2024, somebody leaves.
    for (const year of YEARS.slice(1)) {
      if (rng.bool(school.settlement === 'село' ? 0.35 : 0.7)) add('учитель', rng.pick(top > 4 ? ['Русский язык', 'Математика', 'Начальные классы', 'Английский язык'] : ['Начальные классы']), year, true);
      const leaving = rng.pick(
        teachers.filter(
          (t) =>
            t.schoolId === school.id && t.position === 'учитель' && t.to === YEARS[2] && t.from < year &&
            (pool.get(`${school.id}|${t.mainSubject}`) ?? []).filter((o) => o.to === YEARS[2]).length > 1,
        ),
      );
      if (leaving && rng.bool(0.5)) leaving.to = year - 1;
    }
  }
  for (const doo of DOOS) {
    const rng = rngFor(seed, 'staff', doo.id);
    const add = (pos: string, subj: string | null) => newTeacher(doo.id, doo.settlement, pos, subj, rng);
    add('руководитель', null);
    add('заместитель руководителя', null);
    for (let i = 0; i < Math.max(3, Math.round(doo.children / 11)); i++) add('воспитатель', null);
    add('педагог-психолог', null);
    add('педагог дополнительного образования', 'Музыка');
  }

  // ---- Who teaches each class, and with which textbook.
  const teaching: Teaching[] = [];
  const teachingIndex = new Map<string, Teaching>();
  const current = new Map<string, { teacher: Teacher; since: number }>(); // cohort|subject → teacher
  const textbookOf = new Map<string, string>();
  const schoolTextbook = (school: SchoolDef, subject: string, grade: number): string | null => {
    const band = grade <= 4 ? 'noo' : grade <= 6 ? '56' : grade <= 9 ? '79' : '1011';
    const key = `${school.id}|${subject}|${band}`;
    if (textbookOf.has(key)) return textbookOf.get(key)!;
    const rng = rngFor(seed, 'textbook', key);
    let tb: string | null = null;
    const lyceumMath = school.type === 'лицей' && subject === 'Математика';
    if (subject === 'Математика') {
      if (band === 'noo') tb = rng.weighted(['Моро М.И. и др. «Математика» (Школа России)', 'Петерсон Л.Г. «Математика» (Учусь учиться)'], [0.7, 0.3]);
      else if (band === '56')
        tb = PLANTED.textbook.schools.includes(school.id) ? PLANTED.textbook.name : [2, 5, 9, 11, 19, 20, 22, 24, 26].includes(school.no) ? 'Виленкин Н.Я. и др. «Математика»' : 'Мерзляк А.Г. и др. «Математика»';
      else if (band === '79') tb = lyceumMath ? 'Мордкович А.Г. и др. «Алгебра» (углублённый уровень)' : rng.weighted(['Макарычев Ю.Н. и др. «Алгебра»', 'Мерзляк А.Г. и др. «Алгебра»'], [0.6, 0.4]);
      else tb = lyceumMath ? 'Никольский С.М. и др. «Алгебра и начала математического анализа»' : 'Алимов Ш.А. и др. «Алгебра и начала математического анализа»';
    } else if (subject === 'Русский язык') {
      if (band === 'noo') tb = rng.weighted(['Канакина В.П., Горецкий В.Г. «Русский язык» (Школа России)', 'Иванов С.В. и др. «Русский язык» (Начальная школа XXI века)'], [0.75, 0.25]);
      else if (band === '1011') tb = 'Гольцова Н.Г. и др. «Русский язык»';
      else tb = rng.weighted(['Ладыженская Т.А. и др. «Русский язык»', 'Разумовская М.М. и др. «Русский язык»'], [0.7, 0.3]);
    } else if (subject === 'Обществознание') tb = 'Боголюбов Л.Н. и др. «Обществознание»';
    else if (subject === 'Физика') tb = band === '1011' ? 'Мякишев Г.Я. и др. «Физика»' : 'Перышкин А.В. «Физика»';
    else if (subject === 'Биология') tb = 'Пасечник В.В. и др. «Биология»';
    textbookOf.set(key, tb!);
    return tb;
  };
  const profileOf = (school: SchoolDef, grade: number, letter: string): string | null => {
    if (grade < 10) return null;
    if (school.type === 'лицей') return letter === 'А' ? 'технологический' : 'естественно-научный';
    if (school.type === 'гимназия') return 'социально-экономический';
    if (school.no === 3) return 'гуманитарный';
    return 'универсальный';
  };
  const studyLevelOf = (school: SchoolDef, subject: string, grade: number, letter: string): string => {
    const profile = profileOf(school, grade, letter);
    if (profile === 'технологический' && (subject === 'Математика' || subject === 'Физика')) return 'профильный';
    if (profile === 'естественно-научный' && subject === 'Биология') return 'профильный';
    if (profile === 'социально-экономический' && (subject === 'Обществознание' || subject === 'Математика')) return 'профильный';
    if (profile === 'гуманитарный' && subject === 'Русский язык') return 'профильный';
    if (school.type === 'лицей' && subject === 'Математика' && grade >= 7) return 'углублённый';
    if (school.type === 'гимназия' && subject === 'Русский язык' && grade >= 5 && grade <= 9) return 'углублённый';
    return 'базовый';
  };
  const BASE_HOURS: Record<string, number[]> = {
    // index = grade
    'Русский язык': [0, 5, 5, 5, 4, 6, 6, 4, 3, 3, 1, 1],
    Математика: [0, 4, 4, 4, 4, 5, 5, 5, 5, 5, 4, 4],
    Обществознание: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2],
    Физика: [0, 0, 0, 0, 0, 0, 0, 2, 2, 3, 2, 2],
    Биология: [0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 1, 1],
  };
  const hoursOf = (rng: Rng, subject: string, grade: number, level: string): number => {
    let h = BASE_HOURS[subject][grade];
    if (level === 'углублённый') h += 1;
    if (level === 'профильный') h += subject === 'Математика' ? 2 : 3;
    if (rng.bool(0.12)) h += rng.bool(0.5) ? 1 : -1;
    return Math.max(1, h);
  };
  const available = (schoolId: string, subject: string, year: number) =>
    (pool.get(`${schoolId}|${subject}`) ?? []).filter((t) => t.from <= year && t.to >= year);

  for (const year of YEARS) {
    for (const school of SCHOOLS) {
      const rng = rngFor(seed, 'teaching', school.id, year);
      const classes = new Set<string>();
      for (const s of students) {
        const e = s.school === school ? s.enrol.get(year) : undefined;
        if (e && e.grade >= 4) classes.add(className(e.grade, e.letter));
      }
      const doneThisYear = new Set<string>();
      const sorted = [...classes].sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b));
      for (const cls of sorted) {
        const grade = parseInt(cls, 10);
        const letter = cls.slice(String(grade).length);
        const cohort = `${school.id}|${year - grade}|${letter}`;
        for (const subject of SUBJECT_TEACHERS) {
          if (BASE_HOURS[subject][grade] === 0) continue;
          const poolSubject = grade <= 4 ? 'Начальные классы' : subject;
          const key = `${cohort}|${grade <= 4 ? 'noo' : subject}`;
          const cands = available(school.id, poolSubject, year);
          let cur = current.get(key);
          const done = doneThisYear.has(key);
          doneThisYear.add(key);
          if (grade === 5 && cur && cur.since <= 4) cur = undefined;
          if (cur && !done && (cur.teacher.to < year || rng.bool(0.1))) cur = undefined;
          if (!cur) {
            const teacher = rng.pick(cands);
            const firstSeen = year === YEARS[0];
            const earliest = grade <= 4 ? 1 : grade >= 10 ? 10 : 5;
            const since = firstSeen ? rng.weighted(Array.from({ length: grade - earliest + 1 }, (_, i) => earliest + i), Array.from({ length: grade - earliest + 1 }, (_, i) => (i === 0 ? 3 : 1))) : grade;
            cur = { teacher, since };
          }
          current.set(key, cur);
          const level = studyLevelOf(school, subject, grade, letter);
          const t: Teaching = {
            year,
            schoolId: school.id,
            className: cls,
            subject,
            teacher: cur.teacher,
            studyLevel: level,
            hours: hoursOf(rng, subject, grade, level),
            months: (grade - cur.since) * 9 + 8,
            textbook: schoolTextbook(school, subject, grade),
          };
          teaching.push(t);
          teachingIndex.set(`${year}|${school.id}|${cls}|${subject}`, t);
        }
      }
    }
  }

  // ---- Results.
  const results: Result[] = [];
  const absent: World['absent'] = [];
  const schoolEffect = new Map<string, number>();
  for (const school of SCHOOLS) {
    const rng = rngFor(seed, 'school-effect', school.id);
    let e = PLANTED.settlement[school.settlement] + rng.normal(0, 0.05);
    if (school.type === 'лицей' || school.type === 'гимназия') e += PLANTED.eliteEffect;
    if (PLANTED.lowSchools.schools.includes(school.id)) e += PLANTED.lowSchools.effect;
    for (const year of YEARS) schoolEffect.set(`${school.id}|${year}`, e + rng.normal(0, 0.1));
  }

  const score = (rng: Rng, sp: WorkSpec, theta: number): number[] =>
    sp.tasks.map((t) => {
      let pts = 0;
      for (let j = 0; j < t.max; j++) if (rng.next() < sigmoid(SLOPE * (theta - t.b - 0.35 * j))) pts++;
      return pts;
    });

  for (const year of YEARS) {
    for (const school of SCHOOLS) {
      const rng = rngFor(seed, 'results', school.id, year);
      const effect = schoolEffect.get(`${school.id}|${year}`)!;
      const inflated = PLANTED.inflatedVpr.schools.includes(school.id);
      const roster = students.filter((s) => s.school === school && (s.enrol.get(year)?.grade ?? 0) >= 4);
      const fgClasses = new Set<string>();
      const sitting = (s: Student) => s.enrol.get(year)!;
      const classTheta = (cls: string, subject: string, grade: number): number => {
        const t = teachingIndex.get(`${year}|${school.id}|${cls}|${teachingSubject(subject)}`);
        let e = 0;
        if (t) {
          e += PLANTED.categoryEffect[t.teacher.categories.get(year)!] ?? 0;
          if (t.textbook === PLANTED.textbook.name && PLANTED.textbook.grades.includes(grade)) e += PLANTED.textbook.effect;
          if (t.studyLevel !== 'базовый') e += 0.15;
        }
        const cj = PLANTED.cohortJump;
        if (school.id === cj.school && year - grade === cj.year - cj.grade) {
          if (year === cj.year) e += cj.effectBefore;
          if (year === cj.year + 1) e += cj.effectAfter;
        }
        return e;
      };
      const emit = (sp: WorkSpec, s: Student, base: number, withJournal: boolean, variant: string | null) => {
        const { grade, letter } = sitting(s);
        const cls = className(grade, letter);
        let theta = base + effect + classTheta(cls, sp.subject, grade) + rng.normal(0, 0.35);
        if (inflated && sp.procedure === 'ВПР') theta = 1.25 + rng.normal(0, 0.25) - 0.9 * base;
        const scores = score(rng, sp, theta);
        const primary = scores.reduce((a, b) => a + b, 0);
        const testScore = sp.testScale ? sp.testScale[primary] : null;
        let journal: number | null = null;
        if (withJournal) {
          journal = Math.round(clamp(4.27 + 1.0 * (base + s.journalBias + 0.6 * effect) + rng.normal(0, 0.2), 2, 5));
          if (rng.bool(0.015)) journal = null;
        }
        results.push({ year, spec: sp, student: s, className: cls, variant, scores, primary, testScore, mark: markOf(sp, primary), journal });
      };
      for (const s of roster) {
        const { grade, letter } = sitting(s);
        const cls = className(grade, letter);
        if (grade <= 8) {
          for (const subject of ['Русский язык', 'Математика']) {
            const sp = spec('ВПР', subject, grade);
            const variant = String(rng.int(1, 2));
            if (rng.bool(0.035)) {
              absent.push({ year, spec: sp, student: s, className: cls });
              continue;
            }
            emit(sp, s, subject === 'Математика' ? s.thetaMa : s.thetaRu, true, variant);
          }
        }
        if (grade === 9) {
          emit(spec('ОГЭ', 'Русский язык', 9), s, s.thetaRu, false, null);
          emit(spec('ОГЭ', 'Математика', 9), s, s.thetaMa, false, null);
          const physics = rng.bool(clamp(0.28 + 0.15 * s.thetaMa, 0.05, 0.8));
          const social = rng.bool(physics ? 0.45 : 0.72);
          if (social) emit(spec('ОГЭ', OGE_ELECTIVES[0], 9), s, (s.theta + s.thetaRu) / 2 + 0.1, false, null);
          if (physics) emit(spec('ОГЭ', OGE_ELECTIVES[1], 9), s, (s.theta + s.thetaMa) / 2, false, null);
        }
        if (grade === 11) {
          const profile = profileOf(school, grade, letter);
          emit(spec('ЕГЭ', 'Русский язык', 11), s, s.thetaRu, false, null);
          const prof = rng.bool(clamp(0.42 + 0.25 * s.thetaMa + (profile === 'технологический' ? 0.5 : 0), 0.05, 0.97));
          emit(spec('ЕГЭ', prof ? 'Математика (профильная)' : 'Математика (базовая)', 11), s, s.thetaMa, false, null);
          const pSocial = profile === 'социально-экономический' || profile === 'гуманитарный' ? 0.8 : profile === 'технологический' ? 0.15 : 0.45;
          const pPhys = profile === 'технологический' ? 0.8 : prof ? 0.3 : 0.08;
          const pBio = profile === 'естественно-научный' ? 0.8 : 0.16;
          if (rng.bool(pSocial)) emit(spec('ЕГЭ', EGE_ELECTIVES[0], 11), s, (s.theta + s.thetaRu) / 2, false, null);
          if (rng.bool(pPhys)) emit(spec('ЕГЭ', EGE_ELECTIVES[1], 11), s, (s.theta + s.thetaMa) / 2, false, null);
          if (rng.bool(pBio)) emit(spec('ЕГЭ', EGE_ELECTIVES[2], 11), s, s.theta, false, null);
        }
        if (grade === 8 || grade === 9) {
          if (!fgClasses.has(cls) && !fgClasses.has(`no:${cls}`)) fgClasses.add(rngFor(seed, 'fg', school.id, year, cls).bool(0.8) ? cls : `no:${cls}`);
          if (fgClasses.has(cls)) {
            const subject = FG_SUBJECTS[(s.key + year) % 4];
            const base = subject === 'Читательская грамотность' ? s.thetaRu : subject === 'Математическая грамотность' ? s.thetaMa : s.theta;
            emit(spec('ФГ', subject, grade), s, base, false, String(rng.int(1, 2)));
          }
        }
      }
    }
  }

  return { seed, specs, students, teachers, teaching, results, absent };
}

export const teacherAge = (t: Teacher, year: number) => t.age0 + (year - t.from);
export const teacherExp = (t: Teacher, year: number) => t.exp0 + (year - t.from);
