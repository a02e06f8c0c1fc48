/**
 * THE one list of Russian column titles the importer recognises (../shared/source-formats.md).
 * Titles are compared after `normalizeTitle`; task columns and personal-data columns are
 * recognised by the patterns below. Add a new synonym here and nowhere else.
 */

/** Lowercase, ё→е, punctuation and runs of spaces collapsed to one space. */
export function normalizeTitle(title: string): string {
  return title
    .toLowerCase()
    .replaceAll('ё', 'е')
    .replace(/[\u00a0\s]+/g, ' ')
    .replace(/[.,:;!?«»"'`()[\]{}|/\\№_#*+=<>-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A field is a canonical column of the target table, or one of the importer's own roles:
 * `gender`, `school_name`, `municipality`, `textbook` … are kept as extra columns under the
 * source title; `part1` / `part2` are answer strings unpivoted into task_scores.
 */
export type Field = string;

interface SynonymGroup {
  field: Field;
  titles: string[];
}

/** Per-participant results: ВПР (all layouts), РЦОИ ОГЭ/ЕГЭ protocols, canonical CSVs. */
export const RESULT_SYNONYMS: SynonymGroup[] = [
  { field: 'year', titles: ['year', 'год', 'учебный год', 'год проведения'] },
  { field: 'procedure', titles: ['procedure', 'процедура', 'оценочная процедура', 'форма гиа', 'вид экзамена'] },
  { field: 'subject', titles: ['subject', 'предмет', 'учебный предмет', 'наименование предмета'] },
  { field: 'subject_code', titles: ['код предмета', 'предмет код'] },
  { field: 'grade', titles: ['grade', 'параллель', 'класс параллель'] },
  {
    field: 'school_id',
    titles: ['school_id', 'логин школы', 'логин оо', 'код оо', 'оо', 'школа', 'пользователь', 'user', 'код школы', 'login'],
  },
  { field: 'school_name', titles: ['название оо', 'наименование оо', 'образовательная организация', 'наименование школы'] },
  { field: 'municipality', titles: ['муниципалитет', 'муниципальный район', 'мо', 'код мсу', 'мсу', 'регион'] },
  { field: 'class', titles: ['class', 'класс', 'наименование класса', 'klass', 'буква класса'] },
  {
    field: 'student_id',
    titles: ['student_id', 'код обучающегося', 'код участника', 'код', 'code', 'код ученика', 'идентификатор участника'],
  },
  { field: 'student_number', titles: ['номер обучающегося', 'номер участника', 'порядковый номер'] },
  { field: 'variant', titles: ['variant', 'вариант', 'var 1', 'var', 'номер варианта'] },
  {
    field: 'primary_score',
    titles: ['primary_score', 'всего баллов', 'итого баллов', 'первичный балл', 'sum', 'сумма баллов', 'итоговый балл', 'баллов всего'],
  },
  { field: 'test_score', titles: ['test_score', 'тестовый балл', 'балл 100', 'стобалльный балл'] },
  { field: 'mark', titles: ['mark', 'отметка', 'оценка', 'отметка за впр', 'отметка по пятибалльной шкале', 'балл 5'] },
  /** «Балл» means the test score for ЕГЭ and the mark for ОГЭ/ГВЭ: decided by the procedure. */
  { field: 'score_or_mark', titles: ['балл'] },
  {
    field: 'journal_mark',
    titles: [
      'journal_mark',
      'отметка по журналу',
      'отметка за предыдущую четверть триместр',
      'отметка за предыдущий триместр четверть полугодие',
      'отметка за предыдущую четверть',
      'отметка за предыдущий триместр',
      'отметка за предыдущее полугодие',
      'отметка за предыдущий период',
      'otc',
    ],
  },
  { field: 'retake', titles: ['retake', 'пересдача', 'повторно'] },
  { field: 'gender', titles: ['пол', 'gender'] },
  { field: 'textbook', titles: ['учебник', 'умк'] },
  { field: 'textbook_other', titles: ['др уч автор название', 'другой учебник', 'другой учебник автор название'] },
  { field: 'textbook_author', titles: ['др уч автор', 'другой учебник автор'] },
  { field: 'textbook_title', titles: ['др уч название', 'другой учебник название'] },
  { field: 'part1', titles: ['задания с кратким ответом', 'ответы на задания с кратким ответом', 'краткий ответ', 'часть 1', 'тестовая часть'] },
  { field: 'part2', titles: ['задания с развернутым ответом', 'развернутый ответ', 'часть 2', 'баллы за задания с развернутым ответом'] },
  { field: 'pass_flag', titles: ['зачет', 'зачёт'] },
  { field: 'exam_point', titles: ['код ппэ', 'ппэ'] },
  { field: 'auditorium', titles: ['аудитория', 'номер аудитории'] },
];

/** КИМ specification («описание КИМ») → tasks. */
export const TASK_SPEC_SYNONYMS: SynonymGroup[] = [
  { field: 'year', titles: ['year', 'год'] },
  { field: 'procedure', titles: ['procedure', 'процедура'] },
  { field: 'subject', titles: ['subject', 'предмет'] },
  { field: 'grade', titles: ['grade', 'класс', 'параллель'] },
  { field: 'seq', titles: ['порядковый номер', 'номер по порядку', 'п п', 'n п п', 'порядковый номер задания', 'seq'] },
  { field: 'task', titles: ['task', 'номер задания', 'задание', 'номер задания в работе', 'номер в варианте', '№ задания', 'ким', '№ ким', 'по киму', '№ по киму', 'номер по киму', 'номер в ким', 'номер задания в ким'] },
  { field: 'max_score', titles: ['max_score', 'максимальный балл', 'макс балл', 'максимальный первичный балл', 'балл max'] },
  { field: 'part', titles: ['part', 'часть', 'часть работы', 'часть ким'] },
  {
    field: 'section',
    titles: ['section', 'проверяемые умения', 'проверяемое умение', 'блоки пооп', 'раздел', 'проверяемый элемент содержания', 'проверяемые требования умения', 'умение'],
  },
  { field: 'kes', titles: ['кэс', 'коды кэс', 'код кэс', 'элементы содержания'] },
  { field: 'kt', titles: ['кт', 'коды кт', 'код кт', 'коды проверяемых умений'] },
  { field: 'level', titles: ['level', 'уровень', 'уровень сложности'] },
  { field: 'metasubject', titles: ['metasubject', 'метапредметное', 'метапредметный'] },
];

/** Context questionnaire about schools → schools (+ monitoring for the counts). */
export const SCHOOL_SYNONYMS: SynonymGroup[] = [
  { field: 'year', titles: ['year', 'год'] },
  { field: 'school_id', titles: ['school_id', 'код оо', 'логин оо', 'логин', 'логин школы', 'код школы', 'оо код'] },
  { field: 'name', titles: ['name', 'наименование оо', 'название оо', 'наименование', 'полное наименование', 'краткое наименование оо', 'оо'] },
  { field: 'municipality', titles: ['municipality', 'муниципалитет', 'муниципальный район', 'мо'] },
  { field: 'settlement_type', titles: ['settlement_type', 'тип населенного пункта', 'тип поселения', 'местоположение', 'расположение оо', 'тип местности'] },
  { field: 'school_type', titles: ['school_type', 'тип оо', 'вид оо', 'тип организации'] },
  { field: 'students_total', titles: ['students_total', 'число обучающихся', 'количество обучающихся', 'численность обучающихся', 'контингент'] },
  { field: 'social_index', titles: ['social_index', 'индекс социального благополучия', 'социальный индекс'] },
  { field: 'shnor', titles: ['shnor', 'шнор'] },
  { field: 'shnsu', titles: ['shnsu', 'шфнсу', 'шнсу'] },
  { field: 'settlement_size', titles: ['численность населения', 'размер населенного пункта', 'численность населения населенного пункта'] },
  { field: 'transport', titles: ['транспортная доступность', 'транспортная доступность оо'] },
  { field: 'oge_code', titles: ['код огэ', 'код оо в рцои огэ'] },
  { field: 'ege_code', titles: ['код егэ', 'код оо в рцои егэ'] },
];

/** Monitoring counts carried by the context questionnaire, title → monitoring.code. */
export const MONITORING_CODES: SynonymGroup[] = [
  { field: 'teachers_total', titles: ['всего учителей', 'количество учителей', 'число учителей', 'учителей всего', 'педагогов всего'] },
  {
    field: 'teachers_higher_category',
    titles: ['учителей высшей категории', 'учителей с высшей категорией', 'с высшей категорией'],
  },
  {
    field: 'teachers_first_or_higher_category',
    titles: ['учителей первой и высшей категории', 'с первой или высшей категорией', 'учителей с первой и высшей категорией', 'с первой и высшей категорией'],
  },
  { field: 'teachers_under_30', titles: ['учителей моложе 30 лет', 'учителей до 30 лет', 'моложе 30 лет', 'в возрасте до 30 лет'] },
  { field: 'teachers_pension_age', titles: ['учителей пенсионного возраста', 'пенсионного возраста', 'учителей пенсионеров'] },
  { field: 'adapted_programmes', titles: ['адаптированные программы', 'реализация адаптированных программ', 'обучающихся по адаптированным программам'] },
  { field: 'in_depth_study', titles: ['углубленное изучение', 'классы с углубленным изучением', 'углубленное изучение предметов'] },
  { field: 'computers', titles: ['компьютеров', 'количество компьютеров', 'число компьютеров', 'компьютеры'] },
];

/** «Классы» sheet of the ВПР protocol → class_teaching.textbook. */
export const CLASS_SYNONYMS: SynonymGroup[] = [
  { field: 'year', titles: ['year', 'год'] },
  { field: 'school_id', titles: ['school_id', 'школа', 'пользователь', 'логин школы', 'код оо', 'оо'] },
  { field: 'class', titles: ['class', 'класс', 'наименование класса', 'буква цифра класса', 'буква класса', 'буква цифра класса в котором обучаются участники'] },
  { field: 'subject', titles: ['subject', 'предмет'] },
  { field: 'teacher_id', titles: ['teacher_id', 'код педагога', 'код учителя'] },
  { field: 'study_level', titles: ['study_level', 'уровень изучения'] },
  { field: 'hours_per_week', titles: ['hours_per_week', 'часов в неделю'] },
  { field: 'months_with_class', titles: ['months_with_class', 'месяцев с классом'] },
  { field: 'textbook', titles: ['textbook', 'учебник', 'умк', 'учебник автор название', 'основной учебник по предмету', 'основной учебник'] },
  { field: 'textbook_other', titles: ['другое автор название учебника', 'другое автор учебника название учебника', 'другой учебник'] },
  { field: 'textbook_author', titles: ['другое автор учебника'] },
  { field: 'textbook_title', titles: ['другое название учебника'] },
];

/** Columns holding personal data: recognised in personal.ts (titles Unicode-aware, and by content). */
export { isPersonalTitle, personalRole, PERSONAL_HASH_ORDER } from './personal';

export interface TaskColumn {
  task: string;
  max: number | null;
  /** `балл за N`, `a-N-grade`: N is the sequential number of the task, relabelled through the КИМ spec. */
  sequential?: boolean;
}

/**
 * Task columns: `балл за 5`, `1 (1б)`, `5(1) (1б)`, `16 (1) (1б)`, `1.1 (1б)`, `5(1б)`, criteria
 * `1К1 (4б)`, `17К2 (1б)`, `a-3-grade`, `задание 4`, or a bare task number as in canonical wide
 * files (`1`, `3.1`). `5(1)` is printed as `5.1`; a criterion keeps its name (`17К2`).
 */
export function parseTaskTitle(title: string): TaskColumn | null {
  const t = title.trim().replace(/\u00a0/g, ' ');
  let m = /^балл\s+за\s+(?:задание\s+)?(\d+(?:[.,]\d+)?)$/i.exec(t);
  if (m) return { task: m[1]!.replace(',', '.'), max: null, sequential: true };
  m = /^a-(\d+(?:\.\d+)?)-grade$/i.exec(t);
  if (m) return { task: m[1]!, max: null, sequential: true };
  m = /^(?:задание\s*|№\s*)?(\d+)(?:\s*\((\d+)\)|[.,](\d+)|\s*[КK]\s*(\d+))?(?:\s*\((\d+(?:[.,]\d+)?)\s*б(?:алл(?:а|ов)?)?\.?\))?$/i.exec(t);
  if (m) {
    const sub = m[2] ?? m[3];
    const task = m[4] ? `${m[1]}К${m[4]}` : sub ? `${m[1]}.${sub}` : m[1]!;
    const max = m[5] ? Number(m[5].replace(',', '.')) : null;
    // A bare `1 (2)` without «б» is task 1 part 2, not a maximum.
    return { task, max };
  }
  return null;
}

/** Numeric РЦОИ subject codes (ФИС ГИА) → subject names. */
export const SUBJECT_CODES: Record<string, string> = {
  '1': 'Русский язык',
  '2': 'Математика',
  '3': 'Физика',
  '4': 'Химия',
  '5': 'Информатика',
  '6': 'Биология',
  '7': 'История',
  '8': 'География',
  '9': 'Английский язык',
  '10': 'Немецкий язык',
  '11': 'Французский язык',
  '12': 'Обществознание',
  '13': 'Испанский язык',
  '18': 'Литература',
  '22': 'Математика (базовая)',
};

/** Subject names as they appear in titles and file names, by stem → canonical subject. */
export const SUBJECT_STEMS: Array<[RegExp, string]> = [
  [/читательск\S*\s+грамотн/i, 'Читательская грамотность'],
  [/математическ\S*\s+грамотн/i, 'Математическая грамотность'],
  [/естественно\S*\s+грамотн/i, 'Естественно-научная грамотность'],
  [/финансов\S*\s+грамотн/i, 'Финансовая грамотность'],
  [/глобальн\S*\s+компетент/i, 'Глобальные компетенции'],
  [/креативн\S*\s+мышлени/i, 'Креативное мышление'],
  [/математик\S*\s*\(?\s*профил/i, 'Математика (профильная)'],
  [/математик\S*\s*\(?\s*баз/i, 'Математика (базовая)'],
  [/профильн\S*\s+математик/i, 'Математика (профильная)'],
  [/базов\S*\s+математик/i, 'Математика (базовая)'],
  [/математик/i, 'Математика'],
  [/русск\S*\s+язык/i, 'Русский язык'],
  [/окружающ\S*\s+мир/i, 'Окружающий мир'],
  [/английск/i, 'Английский язык'],
  [/немецк/i, 'Немецкий язык'],
  [/французск/i, 'Французский язык'],
  [/иностранн/i, 'Иностранный язык'],
  [/физик/i, 'Физика'],
  [/хими/i, 'Химия'],
  [/биологи/i, 'Биология'],
  [/информатик/i, 'Информатика'],
  [/истори/i, 'История'],
  [/обществознани/i, 'Обществознание'],
  [/географи/i, 'География'],
  [/литератур/i, 'Литература'],
];

const index = (groups: SynonymGroup[]): Map<string, Field> => {
  const m = new Map<string, Field>();
  for (const g of groups) for (const t of g.titles) m.set(normalizeTitle(t), g.field);
  return m;
};

export const RESULT_INDEX = index(RESULT_SYNONYMS);
export const TASK_SPEC_INDEX = index(TASK_SPEC_SYNONYMS);
export const SCHOOL_INDEX = index(SCHOOL_SYNONYMS);
export const MONITORING_INDEX = index(MONITORING_CODES);
export const CLASS_INDEX = index(CLASS_SYNONYMS);

/** Looks a title up in a synonym index, falling back to the longest synonym the title starts with. */
export function lookup(indexMap: Map<string, Field>, title: string): Field | null {
  const n = normalizeTitle(title);
  const exact = indexMap.get(n);
  if (exact) return exact;
  let best: [number, Field] | null = null;
  for (const [syn, field] of indexMap) {
    if (syn.length >= 6 && n.startsWith(syn + ' ') && (!best || syn.length > best[0])) best = [syn.length, field];
  }
  return best?.[1] ?? null;
}

/** Extra titles of canonical columns, beyond the contract's own names and Russian titles (contract.ts). */
export const CONTRACT_SYNONYMS: Record<string, string[]> = {
  year: ['год', 'учебный год', 'год проведения'],
  school_id: ['код оо', 'логин оо', 'логин школы', 'код школы', 'оо'],
  student_id: ['код обучающегося', 'код участника'],
  staff_id: ['код работника', 'код педагога', 'табельный номер'],
  teacher_id: ['код педагога', 'код учителя'],
  class: ['класс', 'наименование класса'],
  subject: ['предмет'],
  grade: ['класс', 'параллель'],
  task: ['номер задания', 'задание'],
  stage: ['этап', 'уровень'],
  name: ['название', 'наименование'],
};

/**
 * Context questionnaire titles are whole questions («Где расположена Ваша образовательная
 * организация?», `7.⇥Код ОГЭ`): after the leading number is dropped, the first pattern that
 * matches gives the field (`monitoring:<code>` for counts). Contact details map to `ignore`.
 */
export const CONTEXT_PATTERNS: Array<[RegExp, Field]> = [
  [/телефон|e ?mail|почт|адрес|сайт|фио|ф и о|руководител|директор|контактн/, 'ignore'],
  [/^(пользователь|логин( оо| школы)?|код оо|school_id)$/, 'school_id'],
  [/код огэ/, 'oge_code'],
  [/код егэ/, 'ege_code'],
  [/(где|как) расположен|тип населенного пункта|тип поселения|тип местности|местоположени/, 'settlement_type'],
  [/численност\S* (населени|жител)|сколько (человек )?жител|размер населенного пункта/, 'settlement_size'],
  [/транспорт/, 'transport'],
  [/перв\S* (и|или) высш|высш\S* (и|или) перв/, 'monitoring:teachers_first_or_higher_category'],
  [/высш\S* (квалификационн\S* )?категори/, 'monitoring:teachers_higher_category'],
  [/(моложе|младше|до) 30/, 'monitoring:teachers_under_30'],
  [/пенсион/, 'monitoring:teachers_pension_age'],
  [/адаптированн/, 'monitoring:adapted_programmes'],
  [/углубленн/, 'monitoring:in_depth_study'],
  [/компьютер/, 'monitoring:computers'],
  [/(всего|количество|число|численность|сколько)\S* .*(учител|педагог)|(учител|педагог)\S* всего/, 'monitoring:teachers_total'],
  [/(число|количество|численность|сколько) (обучающихся|учащихся)|контингент/, 'students_total'],
  [/тип (оо|образовательной организации)|вид (оо|образовательной организации)/, 'school_type'],
  [/наименование|название/, 'name'],
  [/муниципал/, 'municipality'],
];

/** A questionnaire title without its leading number (`7.⇥Код ОГЭ` → `код огэ`). */
export const questionTitle = (title: string) => normalizeTitle(title).replace(/^\d+( \d+)*\s+/, '');

export function contextField(title: string): Field | null {
  const n = questionTitle(title);
  for (const [re, field] of CONTEXT_PATTERNS) if (re.test(n)) return field;
  return null;
}
