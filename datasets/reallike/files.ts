/**
 * Writers of the real-like folder: the three ФИС ОКО ВПР layouts, the КИМ descriptions and the
 * two context questionnaire layouts, with the quirks of real files (see datasets/README.md).
 */
import iconv from 'iconv-lite';
import * as XLSX from 'xlsx';
import { REGION, workMax, OTHER_TEXTBOOK, type Participant, type School, type Work } from './world';

export type Cell = string | number | null;
export type Aoa = Cell[][];

export function xlsxBytes(sheets: Array<{ name: string; aoa: Aoa }>): Uint8Array {
  const wb = XLSX.utils.book_new();
  for (const s of sheets) XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(s.aoa), s.name);
  return new Uint8Array(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer);
}

function csvText(aoa: Aoa, sep: string): string {
  const cell = (v: Cell) => {
    const s = v === null ? '' : String(v);
    return s.includes(sep) || /["\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return aoa.map((r) => r.map(cell).join(sep)).join('\r\n') + '\r\n';
}

const DATIVE: Record<string, string> = {
  'Русский язык': 'Русскому языку',
  Математика: 'Математике',
  'Окружающий мир': 'Окружающему миру',
  История: 'Истории',
  Биология: 'Биологии',
  Физика: 'Физике',
  Химия: 'Химии',
  География: 'Географии',
  'Английский язык': 'Английскому языку',
};

/** `1 (1б)`, `5(1) (1б)`, `5.1 (1б)`, `16 (1) (1б)`, `5(1б)`, `1К1 (4б)`. */
export function protocolTitle(printed: string, max: number, style: Work['titleStyle']): string {
  const sub = /^(\d+)\.(\d+)$/.exec(printed);
  if (sub) return [`${sub[1]}(${sub[2]}) (${max}б)`, `${printed} (${max}б)`, `${sub[1]} (${sub[2]}) (${max}б)`, `${sub[1]}(${sub[2]}) (${max}б)`][style]!;
  return style === 3 && !printed.includes('К') ? `${printed}(${max}б)` : `${printed} (${max}б)`;
}

const bookCells = (p: Participant): Cell[] =>
  p.textbook === '—' ? [null, null, null] : p.textbook === 'Другое' ? ['Другое', OTHER_TEXTBOOK.author, OTHER_TEXTBOOK.title] : [p.textbook, null, null];

/** The 2020 coded dump: UTF-8, comma; `user` is the school login, `klass` the letter only; no absent rows. */
export function codedDump(work: Work, rows: Participant[]): Uint8Array {
  const aoa: Aoa = [['user', 'code', 'otc', 'gender', 'klass', 'var-1', 'sum', ...work.tasks.map((t) => `a-${t.seq}-grade`)]];
  for (const p of rows) {
    if (p.absent) continue;
    const journal = typeof p.journal === 'number' ? p.journal : null;
    aoa.push([`sch${p.school.id}`, p.code, journal, p.gender, p.cls.slice(-1).toLowerCase(), p.variant, p.total, ...p.cells]);
  }
  return new TextEncoder().encode(csvText(aoa, ','));
}

/** The 2021 regional export: `балл за N` by sequential number, a textbook per participant. */
export function regionalAoa(work: Work, rows: Participant[]): Aoa {
  const aoa: Aoa = [
    ['логин школы', 'регион', 'номер обучающегося', 'код обучающегося', 'отметка за предыдущую четверть/триместр', 'пол', 'класс', 'вариант', 'всего баллов', ...work.tasks.map((t) => `балл за ${t.seq}`), 'Учебник', 'Др.уч. автор', 'Др.уч. название'],
  ];
  rows.forEach((p, i) => {
    const cls = i % 9 === 4 ? p.cls.toLowerCase() : p.cls;
    aoa.push([`sch${p.school.id}`, p.school.municipality, i + 1, p.code, p.absent ? null : p.journal, p.gender, cls, p.variant, p.absent ? null : p.total, ...p.cells, ...bookCells(p), ...p.spill]);
  });
  return aoa;
}

export const regionalCsv = (work: Work, rows: Participant[]) => new Uint8Array(iconv.encode(csvText(regionalAoa(work, rows), ';'), 'win1251'));
export const regionalXlsx = (work: Work, rows: Participant[]) => xlsxBytes([{ name: 'Лист1', aoa: regionalAoa(work, rows) }]);

/** The 2022 «Протокол» (whole region, school as `edu… | name`) and «Классы» (textbook per class). */
export function protocol(work: Work, rows: Participant[]): Uint8Array {
  const aoa: Aoa = [
    ['Пользователь', 'Регион', 'Муниципалитет', 'Школа', 'Код', 'Вариант', ...work.tasks.map((t) => protocolTitle(t.printed, t.max, work.titleStyle)), 'Наименование класса', 'Пол', 'Отметка за предыдущий триместр/четверть/полугодие', 'Итого баллов'],
  ];
  for (const p of rows) {
    const s = p.school;
    aoa.push([`edu${s.id}`, REGION, s.municipality, `edu${s.id} | ${s.name}`, p.code, p.variant, ...p.cells, p.cls, p.gender === 'м' && Number(p.code) % 3 === 0 ? 'М' : p.gender, p.absent ? null : p.journal, p.absent ? null : p.total, ...p.spill]);
  }
  const classes: Aoa = [['Пользователь', 'Буква (цифра) класса', 'Основной учебник по предмету', 'Другое (автор учебника)', 'Другое (название учебника)']];
  const seen = new Set<string>();
  for (const p of rows) {
    const k = `${p.school.id}|${p.cls}`;
    if (seen.has(k)) continue;
    seen.add(k);
    classes.push([`edu${p.school.id}`, p.cls.slice(-1), ...bookCells(p)]);
  }
  return xlsxBytes([
    { name: 'Протокол', aoa },
    { name: 'Классы', aoa: classes },
  ]);
}

export function resultPath(work: Work): string {
  const { year, subject, grade } = work;
  if (work.layout === 'coded') return `ВПР ${year}/ВПР ${year} ${subject} ${grade} класс (выгрузка).csv`;
  if (work.layout === 'regional') return `ВПР ${year}/ВПР ${year} ${subject} ${grade} класс.csv`;
  if (work.layout === 'regional-xlsx') return `ВПР ${year}/ВПР ${year} ${subject} ${grade} класс.xlsx`;
  return `ВПР ${year}/Проведение работы по ${DATIVE[subject]}, ${grade} класс. ВПР ${year}.xlsx`;
}

export function resultFile(work: Work, rows: Participant[]): Uint8Array {
  if (work.layout === 'coded') return codedDump(work, rows);
  if (work.layout === 'regional') return regionalCsv(work, rows);
  if (work.layout === 'regional-xlsx') return regionalXlsx(work, rows);
  return protocol(work, rows);
}

/** КИМ description: one row per task × КЭС × КТ (`№` and the maximum repeated on each). */
export function kimDescription(work: Work): Uint8Array {
  const printedTitle = work.year === 2021 ? '№ по КИМу' : '№ КИМ';
  const aoa: Aoa = [];
  if (work.year === 2021) aoa.push([`Описание КИМ ВПР ${work.year} ${work.subject} ${work.grade} класс (сумма баллов ${workMax(work)})`]);
  aoa.push(['№', printedTitle, 'Проверяемые требования (умения)', 'КЭС', 'КТ', 'Уровень сложности', 'Максимальный балл']);
  for (const t of work.tasks) {
    for (const kes of t.kes) for (const kt of t.kt) aoa.push([t.seq, t.printed, `Умение ${t.seq}`, kes, kt, t.level, t.max]);
  }
  return xlsxBytes([{ name: 'Описание', aoa }]);
}

export const kimPath = (work: Work) => `Описание КИМ/Описание КИМ ВПР ${work.year} ${work.subject} ${work.grade} класс.xlsx`;

const POPULATION: Record<School['settlement'], string> = {
  Столица: 'более 500 тыс. человек',
  Город: 'от 50 до 100 тыс. человек',
  ПГТ: 'от 5 до 50 тыс. человек',
  Село: 'менее 5 тыс. человек',
};

const teachers = (s: School) => {
  const total = s.classes * 11 + (Number(s.id) % 7);
  return [total, Math.round(total * 0.3), Math.round(total * 0.12), Math.round(total * 0.2)];
};

/** The earlier questionnaire: whole questions as titles, one row per surveyed school. */
export function questionnaire2021(schools: School[]): Uint8Array {
  const aoa: Aoa = [
    [
      'Логин ОО',
      'Наименование ОО',
      'Где расположена Ваша образовательная организация?',
      'Какова численность населения населённого пункта, в котором расположена Ваша ОО?',
      'Сколько всего учителей работает в Вашей ОО?',
      'Сколько учителей имеют высшую квалификационную категорию?',
      'Сколько учителей моложе 30 лет?',
      'Сколько учителей пенсионного возраста?',
    ],
  ];
  for (const s of schools.filter((x) => x.surveyed)) aoa.push([`sch${s.id}`, s.name, s.settlement, POPULATION[s.settlement], ...teachers(s)]);
  return xlsxBytes([{ name: 'Анкета', aoa }]);
}

export const phoneOf = (s: School) => `+7 (3852) ${s.id.slice(3)}-1${s.id.slice(-2)}`;
export const emailOf = (s: School) => `school${s.id}@edu.example.ru`;
export const addressOf = (s: School) => `658${s.id.slice(-3)}, ${s.municipality}, ул. Школьная, д. ${Number(s.id) % 40}`;

/** The later questionnaire: `Пользователь`, numbered titles with a tab, contacts that must not be stored. */
export function questionnaire2022(schools: School[]): Uint8Array {
  const t = (n: number, title: string) => `${n}.\t${title}`;
  const aoa: Aoa = [
    [
      'Пользователь',
      t(1, 'Полное наименование ОО'),
      t(2, 'Адрес ОО'),
      t(3, 'Телефон'),
      t(4, 'Адрес электронной почты'),
      t(5, 'Где расположена Ваша образовательная организация?'),
      t(6, 'Численность населения населённого пункта'),
      t(7, 'Код ОГЭ'),
      t(8, 'Код ЕГЭ'),
      t(9, 'Сколько всего учителей работает в Вашей ОО?'),
      t(10, 'Из них с высшей квалификационной категорией'),
      t(11, 'Из них моложе 30 лет'),
      t(12, 'Из них пенсионного возраста'),
    ],
  ];
  for (const s of schools.filter((x) => x.surveyed))
    aoa.push([`edu${s.id}`, s.name, addressOf(s), phoneOf(s), emailOf(s), s.settlement, POPULATION[s.settlement], s.id, `22${s.id.slice(-3)}`, ...teachers(s)]);
  return xlsxBytes([{ name: 'Анкета', aoa }]);
}
