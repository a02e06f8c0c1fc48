/**
 * Russian titles of everything a reader sees by its code: canonical columns, the indicator table,
 * common derived columns of the templates, indicator ids, dimensions and coded dimension values.
 * Unknown names come back unchanged, so a user's own column keeps its own title.
 */
import { CONTRACT, INDICATOR_COLUMNS } from '../model/contract';
import { INDICATOR_TITLES } from './indicator-titles';

/** Derived and ambiguous names: these win over the contract (whose titles may differ per table). */
const OVERRIDES: Record<string, string> = {
  year: 'Год',
  grade: 'Класс',
  school_id: 'ОО',
  school: 'ОО',
  school_name: 'ОО',
  name: 'Наименование',
  level: 'Уровень',
  indicator_id: 'Показатель',
  indicator_title: 'Показатель',
  dimension: 'Разрез',
  dimension_value: 'Значение разреза',
  numerator: 'Числитель',
  denominator: 'Знаменатель',
  value: 'Значение',
  mean: 'Среднее',
  mean_score: 'Средний балл',
  median: 'Медиана',
  sd: 'Стандартное отклонение',
  n: 'Число участников',
  count: 'Количество',
  share: 'Доля',
  rate: 'Решаемость',
  ci_low: 'Нижняя граница 95% ДИ',
  ci_high: 'Верхняя граница 95% ДИ',
  cl_low: 'Нижняя граница 95% ДИ с учётом школ',
  cl_high: 'Верхняя граница 95% ДИ с учётом школ',
  p: 'p-значение',
  p_value: 'p-значение',
  welch_p: 'p-значение (t-критерий Уэлча)',
  rank: 'Место',
  cluster: 'Кластер',
  feature: 'Признак',
  reasons: 'Основания',
  flag: 'Признак',
  flagged: 'Отмечена',
  factor: 'Фактор',
  group: 'Группа',
  grp: 'Группа',
  part: 'Часть КИМ',
  band: 'Диапазон баллов',
  change: 'Изменение',
  previous: 'Предыдущий год',
  municipal: 'Муниципалитет',
  icc: 'Внутриклассовая корреляция (ICC)',
  design_effect: 'Эффект плана (design effect)',
  adjusted: 'С поправкой на классы',
  raw: 'Без поправки',
  n_eff: 'Эффективный размер выборки',
};

const COLUMN_TITLES: Record<string, string> = (() => {
  const out: Record<string, string> = {};
  for (const t of Object.values(CONTRACT)) for (const c of t.columns) out[c.name] ??= c.title;
  for (const c of INDICATOR_COLUMNS) out[c.name] ??= c.title;
  return { ...out, ...OVERRIDES };
})();

/** `school_id` → «ОО», `primary_score` → «Первичный балл»; anything else unchanged. */
export function columnTitle(name: string): string {
  return COLUMN_TITLES[name] ?? COLUMN_TITLES[name.toLowerCase()] ?? name;
}

/** True when the column holds school codes that the reader should see as school names. */
export const isSchoolColumn = (name: string): boolean => /^(school_id|school|partner|ОО|Код ОО)$/i.test(name.trim());

/** `GIA-01` → «Средний балл по ОО …»; an unknown id unchanged. */
export function indicatorTitle(id: string): string {
  return INDICATOR_TITLES[id] ?? id;
}

/** Base dimension names (the last part of `measure|factor`) and measures (the first parts). */
const DIMENSIONS: Record<string, string> = {
  settlement_type: 'Тип населённого пункта',
  school_type: 'Тип ОО',
  study_level: 'Уровень изучения',
  hours_per_week: 'Часов в неделю',
  months_with_class: 'Месяцев учитель с классом',
  category: 'Квалификационная категория',
  experience: 'Педагогический стаж',
  textbook: 'Учебник',
  mark: 'Отметка',
  band: 'Диапазон баллов',
  task: 'Задание',
  section: 'Раздел',
  part: 'Часть КИМ',
  score: 'Балл',
  below_min: 'Не преодолели минимальный порог',
  direction: 'Направление',
  metric: 'Показатель',
  stage: 'Этап',
  level: 'Уровень',
  profile: 'Профиль',
  main_subject: 'Предмет',
  group: 'Группа показателей',
  flag: 'Признак',
  code: 'Код показателя',
  cluster: 'Кластер',
  cluster_profile: 'Профиль кластера',
  mean_pct: 'Средний % от максимума',
  top: 'Высокие результаты',
  rank: 'Место',
  reasons: 'Основания',
  pooled: 'Все предметы',
  olympiad_municipal: 'Победители и призёры муниципального этапа',
  spearman_schools: 'Корреляция Спирмена по ОО',
  spearman_p: 'p-значение корреляции',
  ci_low: 'Нижняя граница 95% ДИ',
  ci_high: 'Верхняя граница 95% ДИ',
  welch_p: 'p-значение (t-критерий Уэлча)',
  p_value: 'p-значение',
  p: 'p-значение',
  chi2_p: 'p-значение (χ²)',
  icc: 'Внутриклассовая корреляция (ICC)',
  design_effect: 'Эффект плана (design effect)',
  adjusted: 'С поправкой на классы',
  n_eff: 'Эффективный размер выборки',
  social_index: 'Индекс социального благополучия',
  teacher_vacancies: 'Вакансии педагогов',
  no_category: 'Педагоги без категории',
  load_over_30: 'Нагрузка более 30 ч',
  young: 'Молодые учителя',
  confirmation: 'Подтверждение отметок',
  risk_count: 'Число факторов риска',
  partner: 'ОО-партнёр',
  strong: 'Сильная ОО',
  all_criteria: 'Все критерии',
  criterion_met: 'Критерий выполнен',
  cutoff: 'Граница',
  below_min_cutoff: 'Граница доли ниже порога',
  below_min_share: 'Доля ниже порога',
  mean_z: 'Отклонение среднего (в sd)',
  flagged_share: 'Доля отмеченных ОО',
  before: 'До',
  after: 'После',
  fence_low: 'Нижняя граница выброса',
  fence_high: 'Верхняя граница выброса',
  high: 'Верхняя граница',
  low: 'Нижняя граница',
  municipal_high: 'Верхняя граница муниципалитета',
  municipal_low: 'Нижняя граница муниципалитета',
  municipal_mean: 'Среднее по муниципалитету',
  at_boundary: 'На границе отметки',
  below_boundary: 'Ниже границы отметки',
  municipal_at_share: 'Доля на границе по муниципалитету',
  easy_rate: 'Решаемость базовых заданий',
  hard_rate: 'Решаемость трудных заданий',
  higher_dev: 'Отклонение доли повысивших',
  lower_dev: 'Отклонение доли понизивших',
  school_stage_winners: 'Победители школьного этапа',
  municipal_success: 'Успех на муниципальном этапе',
  vpr_minus_journal: 'ВПР минус журнал',
  vpr_minus_journal_municipal: 'ВПР минус журнал (муниципалитет)',
  vpr_minus_oge_municipal: 'ВПР минус ОГЭ (муниципалитет)',
  missing: 'Нет данных',
  error: 'Ошибка расчёта',
};

/**
 * `settlement_type` → «Тип населённого пункта»; `icc|textbook` → «Внутриклассовая корреляция
 * (ICC): Учебник»; `ci_low|part|category` → «Нижняя граница 95% ДИ: Часть КИМ: Квалификационная
 * категория»; `cluster_profile|mean_pct:ВПР` → «Профиль кластера: Средний % от максимума: ВПР».
 */
export function dimensionTitle(dimension: string | null | undefined): string {
  if (dimension === null || dimension === undefined || dimension === '') return 'Все';
  return dimension
    .split('|')
    .map((part) => {
      const [head, ...rest] = part.split(':');
      const t = DIMENSIONS[head!] ?? OVERRIDES[head!] ?? head!;
      return rest.length ? `${t}: ${rest.join(':')}` : t;
    })
    .join(': ');
}

/** Coded values that appear in data (activities of `staff_activities`, booleans as text). */
const VALUES: Record<string, string> = {
  deficit_diagnostics: 'Диагностика профессиональных дефицитов',
  pk_course: 'Курсы повышения квалификации',
  retraining: 'Профессиональная переподготовка',
  methodical_event: 'Методическое мероприятие',
  prof_contest: 'Профессиональный конкурс',
  upbringing_training: 'Подготовка по воспитанию',
  talent_training: 'Подготовка по работе с талантами',
  young_teacher_support: 'Поддержка молодых педагогов',
  mentoring: 'Наставничество',
  true: 'да',
  false: 'нет',
};

/** A dimension value as the reader sees it: coded values in Russian, decimal commas in text. */
export function dimensionValueTitle(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return VALUES[value] ?? russianNumbersInText(value);
}

/**
 * Decimal points of numbers inside Russian text become commas («66.2%» → «66,2%», «ρ = -0.57» →
 * «ρ = -0,57»): texts computed elsewhere (flag reasons) reach the reader in one number format.
 * Dates (21.05.2025), codes with several dots and bare codes without a space («4.1», a task) are
 * left alone.
 */
export function russianNumbersInText(text: string): string {
  if (!/\s/.test(text)) return text;
  return text.replace(/(^|[^\d.,])(\d+)\.(\d+)(?![.\d])/g, (_m, pre: string, a: string, b: string) => `${pre}${a},${b}`);
}

/** Label of a parameter option: a dimension key in Russian (the value stays the key). */
export function optionTitle(value: string | number): string {
  const s = String(value);
  return DIMENSIONS[s] ?? s;
}
