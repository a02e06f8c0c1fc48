/**
 * The canonical tables of ../shared/data-contract.md, verbatim. Every other module
 * (import, generator, indicators, notebooks) takes table and column names from here.
 */
export type SqlType = 'INTEGER' | 'DOUBLE' | 'VARCHAR' | 'BOOLEAN' | 'DATE';

export interface ColumnDef {
  name: string;
  type: SqlType;
  /** Russian description shown in the UI. */
  title: string;
  /** Allowed values where the contract lists a domain. */
  domain?: readonly string[];
}

export interface TableDef {
  name: CanonicalTableName;
  title: string;
  columns: readonly ColumnDef[];
  /** Key columns (for duplicate detection and joins). */
  key: readonly string[];
}

export const CANONICAL_TABLE_NAMES = [
  'schools',
  'assessment_results',
  'task_scores',
  'tasks',
  'thresholds',
  'class_teaching',
  'staff',
  'staff_activities',
  'achievements',
  'graduates',
  'monitoring',
] as const;
export type CanonicalTableName = (typeof CANONICAL_TABLE_NAMES)[number];

export const SETTLEMENT_TYPES = ['город', 'пгт', 'село'] as const;
export const SCHOOL_TYPES = ['СОШ', 'ООШ', 'НОШ', 'лицей', 'гимназия', 'школа-интернат', 'ДОО', 'УДО'] as const;
export const PROCEDURES = ['ВПР', 'ОГЭ', 'ЕГЭ', 'ГВЭ-9', 'ГВЭ-11', 'НИКО', 'РДР', 'ФГ', 'PISA'] as const;
export const TASK_LEVELS = ['базовый', 'повышенный', 'высокий'] as const;
export const STUDY_LEVELS = ['базовый', 'углублённый', 'профильный'] as const;
export const POSITIONS = [
  'руководитель',
  'заместитель руководителя',
  'учитель',
  'воспитатель',
  'педагог дополнительного образования',
  'педагог-психолог',
] as const;
export const CATEGORIES = ['высшая', 'первая', 'соответствие занимаемой должности', 'без категории'] as const;
export const ACTIVITIES = [
  'deficit_diagnostics',
  'pk_course',
  'retraining',
  'methodical_event',
  'prof_contest',
  'upbringing_training',
  'talent_training',
  'young_teacher_support',
  'mentoring',
] as const;
export const EVENT_LEVELS = ['школьный', 'муниципальный', 'региональный', 'всероссийский'] as const;
export const ACHIEVEMENT_KINDS = ['олимпиада', 'конкурс', 'чемпионат'] as const;
export const STAGES = ['школьный', 'муниципальный', 'региональный', 'заключительный', 'всероссийский', 'международный'] as const;
export const STATUSES = ['участник', 'призёр', 'победитель'] as const;
export const PROFILES = ['технологический', 'естественно-научный', 'гуманитарный', 'социально-экономический', 'универсальный'] as const;
export const DESTINATIONS = ['ВУЗ', 'ПОО', '10 класс', 'работа', 'армия', 'не определён'] as const;

const c = (name: string, type: SqlType, title: string, domain?: readonly string[]): ColumnDef =>
  domain ? { name, type, title, domain } : { name, type, title };

const assessmentKey = [
  c('year', 'INTEGER', 'Учебный год (по году окончания)'),
  c('procedure', 'VARCHAR', 'Процедура', PROCEDURES),
  c('subject', 'VARCHAR', 'Предмет'),
  c('grade', 'INTEGER', 'Класс (параллель)'),
];

export const CONTRACT: Record<CanonicalTableName, TableDef> = {
  schools: {
    name: 'schools',
    title: 'Образовательные организации',
    key: ['year', 'school_id'],
    columns: [
      c('year', 'INTEGER', 'Учебный год'),
      c('school_id', 'VARCHAR', 'Код ОО'),
      c('name', 'VARCHAR', 'Наименование'),
      c('municipality', 'VARCHAR', 'Муниципалитет'),
      c('settlement_type', 'VARCHAR', 'Тип населённого пункта', SETTLEMENT_TYPES),
      c('school_type', 'VARCHAR', 'Тип ОО', SCHOOL_TYPES),
      c('students_total', 'INTEGER', 'Число обучающихся'),
      c('social_index', 'DOUBLE', 'Индекс социального благополучия'),
      c('shnor', 'BOOLEAN', 'ШНОР (по данным источника)'),
      c('shnsu', 'BOOLEAN', 'ШФНСУ (по данным источника)'),
    ],
  },
  assessment_results: {
    name: 'assessment_results',
    title: 'Результаты оценочных процедур',
    // ФИС ОКО participant codes restart in every school: identity is (school, code) within a work.
    key: ['year', 'procedure', 'subject', 'grade', 'school_id', 'student_id'],
    columns: [
      ...assessmentKey,
      c('school_id', 'VARCHAR', 'Код ОО'),
      c('class', 'VARCHAR', 'Класс'),
      c('student_id', 'VARCHAR', 'Код участника'),
      c('variant', 'VARCHAR', 'Вариант'),
      c('primary_score', 'DOUBLE', 'Первичный балл'),
      c('test_score', 'DOUBLE', 'Тестовый балл'),
      c('mark', 'INTEGER', 'Отметка'),
      c('journal_mark', 'INTEGER', 'Отметка по журналу'),
      c('retake', 'BOOLEAN', 'Пересдача'),
    ],
  },
  task_scores: {
    name: 'task_scores',
    title: 'Баллы за задания',
    key: ['year', 'procedure', 'subject', 'grade', 'school_id', 'student_id', 'task'],
    columns: [
      ...assessmentKey,
      c('school_id', 'VARCHAR', 'Код ОО'),
      c('student_id', 'VARCHAR', 'Код участника'),
      c('task', 'VARCHAR', 'Задание'),
      c('score', 'DOUBLE', 'Балл'),
    ],
  },
  tasks: {
    name: 'tasks',
    title: 'Спецификация КИМ',
    key: ['year', 'procedure', 'subject', 'grade', 'task'],
    columns: [
      ...assessmentKey,
      c('task', 'VARCHAR', 'Задание'),
      c('max_score', 'DOUBLE', 'Максимальный балл'),
      c('part', 'VARCHAR', 'Часть КИМ'),
      c('section', 'VARCHAR', 'Раздел / проверяемый элемент'),
      c('level', 'VARCHAR', 'Уровень сложности', TASK_LEVELS),
      c('metasubject', 'BOOLEAN', 'Метапредметное'),
    ],
  },
  thresholds: {
    name: 'thresholds',
    title: 'Шкалы перевода и пороги',
    key: ['year', 'procedure', 'subject', 'grade'],
    columns: [
      ...assessmentKey,
      c('min_test', 'DOUBLE', 'Минимальный тестовый балл ЕГЭ'),
      c('min_primary', 'DOUBLE', 'Минимальный первичный балл'),
      c('mark3_from', 'DOUBLE', '«3» от'),
      c('mark4_from', 'DOUBLE', '«4» от'),
      c('mark5_from', 'DOUBLE', '«5» от'),
      c('high_from', 'DOUBLE', 'Высокобалльники от'),
    ],
  },
  class_teaching: {
    name: 'class_teaching',
    title: 'Преподавание в классах',
    key: ['year', 'school_id', 'class', 'subject'],
    columns: [
      c('year', 'INTEGER', 'Учебный год'),
      c('school_id', 'VARCHAR', 'Код ОО'),
      c('class', 'VARCHAR', 'Класс'),
      c('subject', 'VARCHAR', 'Предмет'),
      c('teacher_id', 'VARCHAR', 'Код педагога'),
      c('study_level', 'VARCHAR', 'Уровень изучения', STUDY_LEVELS),
      c('hours_per_week', 'DOUBLE', 'Часов в неделю'),
      c('months_with_class', 'INTEGER', 'Месяцев с классом'),
      c('textbook', 'VARCHAR', 'Учебник'),
    ],
  },
  staff: {
    name: 'staff',
    title: 'Педагогические и руководящие работники',
    key: ['year', 'staff_id'],
    columns: [
      c('year', 'INTEGER', 'Учебный год'),
      c('staff_id', 'VARCHAR', 'Код работника'),
      c('school_id', 'VARCHAR', 'Код ОО'),
      c('position', 'VARCHAR', 'Должность', POSITIONS),
      c('main_subject', 'VARCHAR', 'Основной предмет'),
      c('category', 'VARCHAR', 'Квалификационная категория', CATEGORIES),
      c('experience_years', 'DOUBLE', 'Педагогический стаж, лет'),
      c('age', 'INTEGER', 'Возраст'),
      c('weekly_load_hours', 'DOUBLE', 'Нагрузка, ч/нед'),
      c('subjects_count', 'INTEGER', 'Число предметов'),
      c('has_teaching_load', 'BOOLEAN', 'Имеет педагогическую нагрузку'),
      c('education_matches_subject', 'BOOLEAN', 'Образование соответствует предмету'),
      c('higher_education', 'BOOLEAN', 'Высшее образование'),
      c('required_training', 'BOOLEAN', 'Требуемая подготовка руководителя'),
      c('is_gia_expert', 'BOOLEAN', 'Эксперт предметной комиссии'),
    ],
  },
  staff_activities: {
    name: 'staff_activities',
    title: 'Мероприятия профессионального развития',
    key: ['year', 'staff_id', 'activity', 'event_id'],
    columns: [
      c('year', 'INTEGER', 'Учебный год'),
      c('staff_id', 'VARCHAR', 'Код работника'),
      c('activity', 'VARCHAR', 'Вид мероприятия', ACTIVITIES),
      c('level', 'VARCHAR', 'Уровень', EVENT_LEVELS),
      c('event_id', 'VARCHAR', 'Код мероприятия'),
      c('date', 'DATE', 'Дата'),
    ],
  },
  achievements: {
    name: 'achievements',
    title: 'Олимпиады, конкурсы, чемпионаты',
    key: ['year', 'student_id', 'kind', 'name', 'subject', 'stage'],
    columns: [
      c('year', 'INTEGER', 'Учебный год'),
      c('student_id', 'VARCHAR', 'Код обучающегося'),
      c('school_id', 'VARCHAR', 'Код ОО'),
      c('grade', 'INTEGER', 'Класс'),
      c('kind', 'VARCHAR', 'Вид', ACHIEVEMENT_KINDS),
      c('name', 'VARCHAR', 'Название'),
      c('subject', 'VARCHAR', 'Предмет'),
      c('stage', 'VARCHAR', 'Этап / уровень', STAGES),
      c('status', 'VARCHAR', 'Статус', STATUSES),
    ],
  },
  graduates: {
    name: 'graduates',
    title: 'Выпускники 9 и 11 классов',
    key: ['year', 'student_id'],
    columns: [
      c('year', 'INTEGER', 'Учебный год'),
      c('student_id', 'VARCHAR', 'Код обучающегося'),
      c('school_id', 'VARCHAR', 'Код ОО'),
      c('grade', 'INTEGER', 'Класс (9 или 11)'),
      c('profile', 'VARCHAR', 'Профиль обучения', PROFILES),
      c('certificate', 'BOOLEAN', 'Аттестат получен'),
      c('honors', 'BOOLEAN', 'Аттестат с отличием'),
      c('medal', 'BOOLEAN', 'Медаль'),
      c('destination', 'VARCHAR', 'Продолжение обучения', DESTINATIONS),
      c('destination_by_profile', 'BOOLEAN', 'По профилю'),
      c('gia_subjects_match_profile', 'BOOLEAN', 'Предметы ГИА соответствуют профилю'),
    ],
  },
  monitoring: {
    name: 'monitoring',
    title: 'Мониторинговые показатели',
    key: ['year', 'school_id', 'code'],
    columns: [
      c('year', 'INTEGER', 'Учебный год'),
      c('school_id', 'VARCHAR', 'Код ОО (пусто — муниципалитет)'),
      c('code', 'VARCHAR', 'Код показателя'),
      c('value', 'DOUBLE', 'Значение'),
    ],
  },
};

/** The long indicator table every notebook and `npm run indicators` emits. */
export const INDICATOR_COLUMNS: readonly ColumnDef[] = [
  c('indicator_id', 'VARCHAR', 'Показатель'),
  c('year', 'INTEGER', 'Год'),
  c('procedure', 'VARCHAR', 'Процедура'),
  c('subject', 'VARCHAR', 'Предмет'),
  c('grade', 'INTEGER', 'Класс'),
  c('school_id', 'VARCHAR', 'Код ОО (пусто — муниципалитет)'),
  c('dimension', 'VARCHAR', 'Разрез'),
  c('dimension_value', 'VARCHAR', 'Значение разреза'),
  c('numerator', 'DOUBLE', 'Числитель'),
  c('denominator', 'DOUBLE', 'Знаменатель (для средних — n)'),
  c('value', 'DOUBLE', 'Значение'),
];

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** CREATE TABLE statement for a canonical table (or any column list). */
export function createTableSql(name: string, columns: readonly ColumnDef[], orReplace = true): string {
  const cols = columns.map((col) => `${quoteIdent(col.name)} ${col.type}`).join(', ');
  return `CREATE ${orReplace ? 'OR REPLACE ' : ''}TABLE ${quoteIdent(name)} (${cols})`;
}

export function isCanonicalTable(name: string): name is CanonicalTableName {
  return (CANONICAL_TABLE_NAMES as readonly string[]).includes(name);
}
