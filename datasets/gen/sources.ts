/**
 * The demo world in the layouts users actually receive (../shared/source-formats.md): ФИС ОКО
 * ВПР files in three layouts, РЦОИ ОГЭ/ЕГЭ protocols, КИМ descriptions, scales, the context
 * questionnaire, monitoring forms and staff/achievement/graduate lists with Russian headers.
 * Importing every file reproduces the canonical tables; the quirks and the deliberately invalid
 * rows are listed in EXPECTED_VALIDATION.json. Layouts are documented in datasets/README.md.
 */
import iconv from 'iconv-lite';
import * as XLSX from 'xlsx';
import { CONTRACT, type CanonicalTableName } from '../../src/model/contract';
import type { Extras } from './canonical';
import { QUESTIONNAIRE_CODES } from './extras';
import { rngFor, type Rng } from './rng';
import { DOOS, MUNICIPALITY, MUNICIPALITY_CODE, REGION_LOGIN, REGION_NAME, SCHOOLS, YEARS } from './schools';
import type { WorkSpec } from './specs';
import { teacherAge, teacherExp, teachingSubject, type Result, type World } from './world';

type Cell = string | number | null;
type Aoa = Cell[][];

const DATIVE: Record<string, string> = { 'Русский язык': 'Русскому языку', Математика: 'Математике' };
const SUBJECT_CODE: Record<string, string> = {
  'Русский язык': '1',
  Математика: '2',
  'Математика (профильная)': '2',
  Физика: '3',
  Биология: '6',
  Обществознание: '12',
  'Математика (базовая)': '22',
};
const EXAM_DATE: Record<string, string> = {
  'ОГЭ|Русский язык': '06-06',
  'ОГЭ|Математика': '30-05',
  'ОГЭ|Обществознание': '03-06',
  'ОГЭ|Физика': '11-06',
  'ЕГЭ|Русский язык': '31-05',
  'ЕГЭ|Математика (профильная)': '04-06',
  'ЕГЭ|Математика (базовая)': '04-06',
  'ЕГЭ|Обществознание': '13-06',
  'ЕГЭ|Физика': '10-06',
  'ЕГЭ|Биология': '10-06',
};
const LEVEL_LETTER: Record<string, string> = { базовый: 'Б', повышенный: 'П', высокий: 'В' };
const yesNo = (b: boolean | null): Cell => (b === null ? null : b ? 'да' : 'нет');

/** What the importer is expected to report for one file (EXPECTED_VALIDATION.json). */
export interface FileExpectation {
  file: string;
  layout: string;
  sheet: string | null;
  /** Participant rows in the file (absent and invalid rows included). */
  rows: number;
  /** Rows that become assessment_results rows. */
  written: number;
  absent: number;
  not_attempted_cells: number;
  journal_no_mark: number;
  lowercase_class_letters: number;
  excluded: Record<string, number>;
}

function xlsxBytes(sheets: Array<{ name: string; aoa: Aoa; merges?: XLSX.Range[] }>): Uint8Array {
  const wb = XLSX.utils.book_new();
  for (const s of sheets) {
    const ws = XLSX.utils.aoa_to_sheet(s.aoa);
    if (s.merges) ws['!merges'] = s.merges;
    XLSX.utils.book_append_sheet(wb, ws, s.name);
  }
  // No document properties: the bytes must not depend on the clock.
  return new Uint8Array(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer);
}

function csvBytes(aoa: Aoa, titleLine?: string): Uint8Array {
  const cell = (v: Cell) => {
    if (v === null) return '';
    const s = String(v);
    return /[;"\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const lines = aoa.map((r) => r.map(cell).join(';'));
  if (titleLine !== undefined) lines.unshift(titleLine);
  return new Uint8Array(iconv.encode(lines.join('\r\n') + '\r\n', 'win1251'));
}

const taskHeader = (task: string, max: number) => `${task.replace(/^(\d+)\.(\d+)$/, '$1($2)')} (${max}б)`;

/** Quirks of a ВПР row as written to a source file; the canonical values are untouched. */
function vprCells(r: Result, rng: Rng, exp: FileExpectation): { tasks: Cell[]; cls: string; gender: string; journal: Cell } {
  const tasks: Cell[] = r.scores.map((s) => {
    if (s === 0 && rng.bool(0.03)) {
      exp.not_attempted_cells++;
      return rng.pick(['X', 'x', 'Х', 'не пройд.']);
    }
    return s;
  });
  let cls = r.className;
  if (rng.bool(0.08)) {
    cls = cls.toLowerCase();
    exp.lowercase_class_letters++;
  }
  const gender = r.student.gender === 'ж' ? 'ж' : rng.bool(0.3) ? 'М' : 'м';
  let journal: Cell = r.journal;
  if (journal === null) {
    journal = 'нет отметки';
    exp.journal_no_mark++;
  }
  return { tasks, cls, gender, journal };
}

const newExpectation = (file: string, layout: string, sheet: string | null): FileExpectation => ({
  file,
  layout,
  sheet,
  rows: 0,
  written: 0,
  absent: 0,
  not_attempted_cells: 0,
  journal_no_mark: 0,
  lowercase_class_letters: 0,
  excluded: {},
});

export function buildSources(world: World, extras: Extras): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  const expectations: FileExpectation[] = [];
  const byWork = new Map<string, Result[]>();
  for (const r of world.results) {
    const k = `${r.year}|${r.spec.procedure}|${r.spec.subject}|${r.spec.grade}`;
    byWork.set(k, [...(byWork.get(k) ?? []), r]);
  }
  const sortResults = (list: Result[]) =>
    [...list].sort((a, b) => a.student.school.id.localeCompare(b.student.school.id) || a.className.localeCompare(b.className) || a.student.code.localeCompare(b.student.code));
  const absentOf = (year: number, sp: WorkSpec) => world.absent.filter((a) => a.year === year && a.spec === sp);
  const teachingIndex = new Map(world.teaching.map((x) => [`${x.year}|${x.schoolId}|${x.className}|${x.subject}`, x]));

  // ---------- ВПР: 2024 «Протокол», 2023 regional export CSV, 2022 «Индивидуальные результаты».
  for (const sp of world.specs.filter((s) => s.procedure === 'ВПР')) {
    for (const year of YEARS) {
      const results = sortResults(byWork.get(`${year}|ВПР|${sp.subject}|${sp.grade}`) ?? []);
      const absent = absentOf(year, sp);
      const rng = rngFor(world.seed, 'source', 'ВПР', sp.subject, sp.grade, year);
      // Absent participants go in their class order among the others.
      type Item = { r: Result | null; a: (typeof absent)[number] | null; school: string; cls: string; code: string };
      const items: Item[] = [
        ...results.map((r) => ({ r, a: null, school: r.student.school.id, cls: r.className, code: r.student.code })),
        ...absent.map((a) => ({ r: null, a, school: a.student.school.id, cls: a.className, code: a.student.code })),
      ].sort((x, y) => x.school.localeCompare(y.school) || x.cls.localeCompare(y.cls) || x.code.localeCompare(y.code));

      if (year === 2024) {
        const file = `ВПР/${year}/Проведение работы по ${DATIVE[sp.subject]}, ${sp.grade} класс. ВПР ${year}.xlsx`;
        const exp = newExpectation(file, 'vpr-protocol', 'Протокол');
        const header: Cell[] = ['Пользователь', 'Регион', 'Муниципалитет', 'Школа', 'Код', 'Вариант', ...sp.tasks.map((t) => taskHeader(t.task, t.max)), 'Наименование класса', 'Пол', 'Отметка за предыдущий триместр/четверть/полугодие', 'Итого баллов'];
        const aoa: Aoa = [header];
        const schoolCells = (id: string, name: string): Cell[] => [`edu${id}`, `${REGION_LOGIN} | ${REGION_NAME}`, MUNICIPALITY, `edu${id} | ${name}`];
        for (const it of items) {
          exp.rows++;
          if (it.a) {
            exp.absent++;
            aoa.push([...schoolCells(it.school, it.a.student.school.name), it.code, 'отсутствовал', ...sp.tasks.map(() => null), it.cls, it.a.student.gender, null, null]);
            continue;
          }
          const r = it.r!;
          const q = vprCells(r, rng, exp);
          exp.written++;
          aoa.push([...schoolCells(it.school, r.student.school.name), it.code, r.variant, ...q.tasks, q.cls, q.gender, q.journal, r.primary]);
        }
        if (sp.subject === 'Математика' && sp.grade === 5) {
          // Invalid: a task score above its maximum (task 1 is worth 1 point).
          const scores = sp.tasks.map((t, i) => (i === 0 ? 3 : Math.min(t.max, 1)));
          aoa.push([...schoolCells('220003', SCHOOLS[2].name), '1999001', '1', ...scores, '5А', 'ж', 4, scores.reduce((a, b) => a + b, 0)]);
          exp.rows++;
          exp.excluded.task_out_of_range = 1;
        }
        // «Классы»: the textbook of each class that wrote the work.
        const classes: Aoa = [['Пользователь', 'Наименование класса', 'Предмет', 'Учебник']];
        const seenCls = new Set<string>();
        for (const r of results) {
          const k = `${r.student.school.id}|${r.className}`;
          if (seenCls.has(k)) continue;
          seenCls.add(k);
          const t = teachingIndex.get(`${year}|${r.student.school.id}|${r.className}|${teachingSubject(sp.subject)}`);
          classes.push([`edu${r.student.school.id}`, r.className, sp.subject, t?.textbook ?? null]);
        }
        files.set(file, xlsxBytes([{ name: 'Протокол', aoa }, { name: 'Классы', aoa: classes }]));
        expectations.push(exp);
      } else if (year === 2023) {
        const file = `ВПР/${year}/ВПР ${year} ${sp.subject} ${sp.grade} класс.csv`;
        const exp = newExpectation(file, 'vpr-regional', null);
        const header: Cell[] = ['логин школы', 'регион', 'номер обучающегося', 'код обучающегося', 'отметка за предыдущую четверть/триместр', 'пол', 'класс', 'вариант', 'всего баллов', ...sp.tasks.map((_, i) => `балл за ${i + 1}`), 'Учебник', 'Др.уч. автор/название'];
        const aoa: Aoa = [header];
        let n = 0;
        for (const it of items) {
          exp.rows++;
          n++;
          const t = teachingIndex.get(`${year}|${it.school}|${it.cls}|${teachingSubject(sp.subject)}`);
          if (it.a) {
            exp.absent++;
            aoa.push([`sch${it.school}`, MUNICIPALITY, n, it.code, null, it.a.student.gender, it.cls, 'отсутствовал', null, ...sp.tasks.map(() => null), t?.textbook ?? null, null]);
            continue;
          }
          const r = it.r!;
          const q = vprCells(r, rng, exp);
          exp.written++;
          aoa.push([`sch${it.school}`, MUNICIPALITY, n, it.code, q.journal, q.gender, q.cls, r.variant, r.primary, ...q.tasks, t?.textbook ?? null, null]);
        }
        if (sp.subject === 'Русский язык' && sp.grade === 6) {
          // Invalid: the total is above the work's maximum (a total that merely disagrees with the
          // task sum is kept as the official one, so it cannot serve as an excluded row).
          const scores = sp.tasks.map((t) => Math.min(t.max, 1));
          const max = sp.tasks.reduce((a, t) => a + t.max, 0);
          aoa.push(['sch220005', MUNICIPALITY, ++n, '1999002', 4, 'ж', '6А', '1', max + 3, ...scores, null, null]);
          exp.rows++;
          exp.excluded.total_out_of_range = 1;
        }
        if (sp.subject === 'Математика' && sp.grade === 7) {
          // Invalid: the first participant appears twice (the second row is dropped).
          const first = aoa.find((row, i) => i > 0 && row[7] !== 'отсутствовал')!;
          aoa.push([...first.slice(0, 2), ++n, ...first.slice(3)]);
          exp.rows++;
          exp.excluded.duplicate = 1;
        }
        files.set(file, csvBytes(aoa));
        expectations.push(exp);
      } else {
        const file = `ВПР/${year}/Индивидуальные результаты. ВПР ${year} ${sp.subject} ${sp.grade} класс.xlsx`;
        const exp = newExpectation(file, 'vpr-individual', 'Индивидуальные результаты');
        const nTasks = sp.tasks.length;
        const aoa: Aoa = [
          [`ВПР ${year} ${sp.subject} ${sp.grade} класс`],
          [null, null, null, null, null, null, ...sp.tasks.map((t) => LEVEL_LETTER[t.level]), null, null, null],
          ['ОО', 'Муниципалитет', 'Название ОО', 'Код участника', 'Класс', 'Вариант', ...sp.tasks.map((t) => taskHeader(t.task, t.max)), 'Первичный балл', 'Отметка', 'Отметка по журналу'],
        ];
        let currentSchool = '';
        for (const it of items) {
          if (it.school !== currentSchool) {
            currentSchool = it.school;
            const name = SCHOOLS.find((s) => s.id === it.school)!.name;
            const count = items.filter((x) => x.school === it.school && x.r).length;
            aoa.push([`${name} (edu${it.school})`, `Кол-во участников: ${count}`]);
          }
          exp.rows++;
          const name = SCHOOLS.find((s) => s.id === it.school)!.name;
          if (it.a) {
            exp.absent++;
            aoa.push([`edu${it.school}`, MUNICIPALITY, name, it.code, it.cls, 'отсутствовал', ...new Array(nTasks).fill(null), null, null, null]);
            continue;
          }
          const r = it.r!;
          const q = vprCells(r, rng, exp);
          exp.written++;
          aoa.push([`edu${it.school}`, MUNICIPALITY, name, it.code, q.cls, r.variant, ...q.tasks, r.primary, r.mark, q.journal]);
        }
        files.set(file, xlsxBytes([{ name: 'Индивидуальные результаты', aoa, merges: [{ s: { r: 0, c: 0 }, e: { r: 0, c: 5 + nTasks + 3 } }] }]));
        expectations.push(exp);
      }
    }
  }

  // ---------- ФГ: the regional export layout, one CSV per literacy, grade and year.
  for (const sp of world.specs.filter((s) => s.procedure === 'ФГ')) {
    for (const year of YEARS) {
      const results = sortResults(byWork.get(`${year}|ФГ|${sp.subject}|${sp.grade}`) ?? []);
      if (!results.length) continue;
      const file = `ФГ/${year}/ФГ ${year} ${sp.subject} ${sp.grade} класс.csv`;
      const exp = newExpectation(file, 'vpr-regional', null);
      const aoa: Aoa = [['логин школы', 'регион', 'номер обучающегося', 'код обучающегося', 'пол', 'класс', 'вариант', 'всего баллов', ...sp.tasks.map((_, i) => `балл за ${i + 1}`)]];
      results.forEach((r, i) => {
        exp.rows++;
        exp.written++;
        aoa.push([`sch${r.student.school.id}`, MUNICIPALITY, i + 1, r.student.code, r.student.gender, r.className, r.variant, r.primary, ...r.scores]);
      });
      files.set(file, csvBytes(aoa));
      expectations.push(exp);
    }
  }

  // ---------- ОГЭ / ЕГЭ: РЦОИ protocols (cp1251 CSV; ЕГЭ 2024 Russian as xlsx).
  for (const sp of world.specs.filter((s) => s.procedure === 'ОГЭ' || s.procedure === 'ЕГЭ')) {
    for (const year of YEARS) {
      const results = [...(byWork.get(`${year}|${sp.procedure}|${sp.subject}|${sp.grade}`) ?? [])].sort(
        (a, b) => a.student.school.id.localeCompare(b.student.school.id) || a.student.surname.localeCompare(b.student.surname, 'ru') || a.student.name.localeCompare(b.student.name, 'ru'),
      );
      const rng = rngFor(world.seed, 'source', sp.procedure, sp.subject, year);
      const [dd, mm] = EXAM_DATE[`${sp.procedure}|${sp.subject}`].split('-');
      const title = `${SUBJECT_CODE[sp.subject]} ${sp.procedure} (основной период) ${sp.subject} ${dd}.${mm}.${year}`;
      const scoreTitle = sp.procedure === 'ЕГЭ' ? (sp.testScale ? 'Тестовый балл' : 'Оценка') : year === 2022 ? 'Балл' : 'Оценка';
      const aoa: Aoa = [['Код МСУ', 'Код ОО', 'Класс', 'Код ППЭ', 'Аудитория', 'Фамилия', 'Имя', 'Отчество', 'Серия', 'Номер', 'Задания с кратким ответом', 'Задания с развёрнутым ответом', 'Первичный балл', scoreTitle]];
      const xlsx = sp.procedure === 'ЕГЭ' && sp.subject === 'Русский язык' && year === 2024;
      const file = `${sp.procedure}/${year}/${sp.procedure} ${year} ${sp.subject}.${xlsx ? 'xlsx' : 'csv'}`;
      const exp = newExpectation(file, 'rcoi', xlsx ? 'Протокол' : null);
      for (const r of results) {
        const part1 = sp.tasks
          .slice(0, sp.shortCount)
          .map((t, i) => (t.max === 1 ? (r.scores[i] ? '+' : '-') : String(r.scores[i])))
          .join('');
        const part2 = sp.tasks
          .slice(sp.shortCount)
          .map((t, i) => `${r.scores[sp.shortCount + i]}(${t.max})`)
          .join('');
        let cls = r.className;
        if (rng.bool(0.08)) {
          cls = cls.toLowerCase();
          exp.lowercase_class_letters++;
        }
        const ppe = `${MUNICIPALITY_CODE}${String(1 + (r.student.school.no % 3)).padStart(2, '0')}`;
        const s = r.student;
        exp.rows++;
        exp.written++;
        aoa.push([MUNICIPALITY_CODE, s.school.id, cls, ppe, String(rng.int(1, 12)).padStart(4, '0'), s.surname, s.name, s.patronymic, s.docSeries, s.docNumber, part1, part2 || null, r.primary, sp.testScale ? r.testScore : r.mark]);
      }
      files.set(file, xlsx ? xlsxBytes([{ name: 'Протокол', aoa: [[title], ...aoa] }]) : csvBytes(aoa, title));
      expectations.push(exp);
    }
  }

  // ---------- КИМ descriptions and scales (one workbook each, all years).
  {
    const aoa: Aoa = [['Год', 'Процедура', 'Предмет', 'Класс', 'Порядковый номер', 'Номер задания', 'Максимальный балл', 'Часть', 'Проверяемые умения', 'Уровень', 'Метапредметное']];
    for (const year of YEARS)
      for (const sp of world.specs) sp.tasks.forEach((t, i) => aoa.push([year, sp.procedure, sp.subject, sp.grade, i + 1, t.task, t.max, t.part, t.section, LEVEL_LETTER[t.level], yesNo(t.metasubject)]));
    files.set('Справочники/Описание КИМ 2022-2024.xlsx', xlsxBytes([{ name: 'Задания', aoa }]));
    const th: Aoa = [titles('thresholds')];
    for (const year of YEARS)
      for (const sp of world.specs)
        th.push([year, sp.procedure, sp.subject, sp.grade, sp.minTest, sp.minPrimary, sp.marks?.mark3 ?? null, sp.marks?.mark4 ?? null, sp.marks?.mark5 ?? null, sp.procedure === 'ЕГЭ' && sp.testScale ? 81 : null]);
    files.set('Справочники/Шкалы перевода 2022-2024.xlsx', xlsxBytes([{ name: 'Шкалы', aoa: th }]));
  }

  // ---------- Context questionnaire about schools (one per year; exam codes from 2023 on).
  for (const year of YEARS) {
    const header: Cell[] = ['Логин ОО', 'Наименование ОО', 'Муниципалитет', 'Тип населённого пункта', 'Тип ОО', 'Численность обучающихся', 'Индекс социального благополучия', 'ШФНСУ', 'Всего учителей', 'Учителей высшей категории', 'Учителей моложе 30 лет', 'Учителей пенсионного возраста'];
    if (year >= 2023) header.push('Код ОГЭ', 'Код ЕГЭ');
    const aoa: Aoa = [header];
    const loc: Record<string, string> = { город: 'Город', пгт: 'ПГТ', село: 'Село' };
    const staffOf = (id: string) => world.teachers.filter((t) => t.schoolId === id && t.position === 'учитель' && t.from <= year && t.to >= year);
    for (const s of SCHOOLS) {
      const total = world.students.filter((st) => st.school === s && st.enrol.has(year)).length;
      const st = staffOf(s.id);
      const row: Cell[] = [`sch${s.id}`, s.name, MUNICIPALITY, loc[s.settlement], s.type, total, Math.round((s.socialIndex + 0.02 * (year - 2023)) * 1000) / 1000, yesNo(s.shnsu), st.length, st.filter((t) => t.categories.get(year) === 'высшая').length, st.filter((t) => teacherAge(t, year) < 30).length, st.filter((t) => teacherAge(t, year) >= 60).length];
      if (year >= 2023) row.push(s.id, s.id);
      aoa.push(row);
    }
    for (const d of DOOS) {
      const children = extras.monitoring.find((m) => m.year === year && m.schoolId === d.id && m.code === 'dou_children')!.value;
      const row: Cell[] = [`sch${d.id}`, d.name, MUNICIPALITY, loc[d.settlement], 'ДОО', children, Math.round((d.socialIndex + 0.02 * (year - 2023)) * 1000) / 1000, 'нет', null, null, null, null];
      if (year >= 2023) row.push(null, null);
      aoa.push(row);
    }
    files.set(`Контекстные данные/Анкета ОО ${year}.xlsx`, xlsxBytes([{ name: 'Анкета', aoa }]));
  }

  // ---------- Monitoring forms: wide, one column per code; ОО, ДОО and municipality sheets.
  for (const year of YEARS) {
    const rows = extras.monitoring.filter((m) => m.year === year && !QUESTIONNAIRE_CODES.includes(m.code));
    const sheet = (ids: Array<string | null>, idTitle: string | null): Aoa => {
      const list = rows.filter((m) => ids.includes(m.schoolId));
      const codes = [...new Set(list.map((m) => m.code))];
      const aoa: Aoa = [[...(idTitle ? [idTitle] : []), ...codes]];
      for (const id of ids) {
        const byCode = new Map(list.filter((m) => m.schoolId === id).map((m) => [m.code, m.value]));
        aoa.push([...(idTitle ? [id] : []), ...codes.map((c) => byCode.get(c) ?? null)]);
      }
      return aoa;
    };
    files.set(
      `Мониторинг/Мониторинг ${year}.xlsx`,
      xlsxBytes([
        { name: 'ОО', aoa: sheet(SCHOOLS.map((s) => s.id), 'Код ОО') },
        { name: 'ДОО', aoa: sheet(DOOS.map((d) => d.id), 'Код ОО') },
        { name: 'Муниципалитет', aoa: sheet([null], null) },
      ]),
    );
  }

  // ---------- Staff, activities, class teaching, achievements, graduates: Russian headers.
  for (const year of YEARS) {
    const staff: Aoa = [['Фамилия', 'Имя', 'Отчество', ...titles('staff')]];
    for (const p of world.teachers) {
      if (p.from > year || p.to < year) continue;
      staff.push([p.name.surname, p.name.name, p.name.patronymic, year, p.staffId, p.schoolId, p.position, p.mainSubject, p.categories.get(year)!, teacherExp(p, year), teacherAge(p, year), p.load, p.subjectsCount, yesNo(p.hasTeachingLoad), yesNo(p.educationMatches), yesNo(p.higherEducation), yesNo(p.requiredTraining), yesNo(p.isGiaExpert)]);
    }
    files.set(`Кадры/Педагогические работники ${year}.xlsx`, xlsxBytes([{ name: 'Педагоги', aoa: staff }]));

    const acts: Aoa = [[...titles('staff_activities'), 'Название мероприятия']];
    for (const a of extras.activities.filter((x) => x.year === year)) acts.push([year, a.teacher.staffId, a.activity, a.level, a.eventId, a.date, a.eventName]);
    files.set(`Кадры/Мероприятия профессионального развития ${year}.xlsx`, xlsxBytes([{ name: 'Мероприятия', aoa: acts }]));

    const ach: Aoa = [['Фамилия', 'Имя', 'Отчество', 'Серия', 'Номер', ...titles('achievements').filter((t) => t !== CONTRACT.achievements.columns[1].title)]];
    for (const a of extras.achievements.filter((x) => x.year === year)) {
      const s = a.student;
      ach.push([s.surname, s.name, s.patronymic, s.docSeries, s.docNumber, year, a.schoolId, a.grade, a.kind, a.name, a.subject, a.stage, a.status]);
    }
    files.set(`Достижения/Олимпиады и конкурсы ${year}.xlsx`, xlsxBytes([{ name: 'Достижения', aoa: ach }]));

    const grad: Aoa = [['Фамилия', 'Имя', 'Отчество', 'Серия', 'Номер', ...titles('graduates').filter((t) => t !== CONTRACT.graduates.columns[1].title)]];
    for (const g of extras.graduates.filter((x) => x.year === year)) {
      const s = g.student;
      grad.push([s.surname, s.name, s.patronymic, s.docSeries, s.docNumber, year, g.schoolId, g.grade, g.profile, yesNo(g.certificate), yesNo(g.honors), yesNo(g.medal), g.destination, yesNo(g.destinationByProfile), yesNo(g.giaSubjectsMatchProfile)]);
    }
    files.set(`Выпускники/Выпускники ${year}.xlsx`, xlsxBytes([{ name: 'Выпускники', aoa: grad }]));
  }
  // class_teaching: the canonical rows with Russian headers (all years in one workbook, a sheet per year).
  files.set('Преподавание/Преподавание в классах 2022-2024.xlsx', xlsxBytes(YEARS.map((year) => ({ name: String(year), aoa: classTeachingAoa(world, year) }))));

  const totals: Record<string, number> = { files: expectations.length, rows: 0, written: 0, absent: 0, not_attempted_cells: 0, journal_no_mark: 0, lowercase_class_letters: 0 };
  const excluded: Record<string, number> = {};
  for (const e of expectations) {
    for (const k of ['rows', 'written', 'absent', 'not_attempted_cells', 'journal_no_mark', 'lowercase_class_letters'] as const) totals[k] += e[k];
    for (const [k, v] of Object.entries(e.excluded)) excluded[k] = (excluded[k] ?? 0) + v;
  }
  const doc = {
    note: 'Expected import outcome of the result files (assessment_results). `rows` counts participant rows (absent and invalid included); `written` the assessment_results rows they give. Counts of quirks are per file; excluded rows carry the issue code of src/ingest/apply.ts.',
    totals: { ...totals, excluded },
    invalid_rows: [
      { file: expectations.find((e) => e.excluded.task_out_of_range)?.file, code: 'task_out_of_range', participant: '1999001', detail: 'task 1 = 3 points, maximum 1' },
      { file: expectations.find((e) => e.excluded.total_out_of_range)?.file, code: 'total_out_of_range', participant: '1999002', detail: 'всего баллов = the maximum of the work + 3' },
      { file: expectations.find((e) => e.excluded.duplicate)?.file, code: 'duplicate', participant: 'the first participant of the file', detail: 'the same participant twice; the second row is excluded' },
    ],
    files: expectations,
  };
  files.set('EXPECTED_VALIDATION.json', new TextEncoder().encode(JSON.stringify(doc, null, 2) + '\n'));
  return files;
}

function titles(table: CanonicalTableName): string[] {
  return CONTRACT[table].columns.map((c) => c.title);
}

function classTeachingAoa(world: World, year: number): Aoa {
  const aoa: Aoa = [titles('class_teaching')];
  const seen = new Set<string>();
  const teachingIndex = new Map(world.teaching.map((x) => [`${x.year}|${x.schoolId}|${x.className}|${x.subject}`, x]));
  const rows: Aoa = [];
  for (const r of world.results) {
    if (r.year !== year) continue;
    const key = `${r.student.school.id}|${r.className}|${r.spec.subject}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const x = teachingIndex.get(`${year}|${r.student.school.id}|${r.className}|${teachingSubject(r.spec.subject)}`)!;
    const fg = r.spec.procedure === 'ФГ';
    rows.push([year, r.student.school.id, r.className, r.spec.subject, x.teacher.staffId, fg ? 'базовый' : x.studyLevel, fg ? null : x.hours, x.months, fg ? null : x.textbook]);
  }
  rows.sort((a, b) => String(a[1]).localeCompare(String(b[1])) || String(a[2]).localeCompare(String(b[2])) || String(a[3]).localeCompare(String(b[3])));
  return [...aoa, ...rows];
}
