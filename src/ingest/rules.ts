/**
 * THE one table of validation rules. Every issue the importer records has one of these codes;
 * `apply` decides exclusion from `excludes`, the issue list and the forecast take titles from
 * here, and the forecast explains a rule that excludes many rows with `cause` and `fix`.
 */
export interface Rule {
  code: string;
  /** Russian title shown in the summary, the issue list and the mapping dialog's forecast. */
  title: string;
  /** A row with this issue is left out of the canonical tables. */
  excludes: boolean;
  /** How it is found and counted (documentation; the SQL lives in the step named here). */
  counted: string;
  /** When this rule excludes many rows of a file: the likely cause, in Russian. */
  cause?: string;
  /** …and what the user can do about it, in Russian. */
  fix?: string;
}

export const RULES: readonly Rule[] = [
  { code: 'absent', title: 'Отсутствовали (не включены в результаты)', excludes: false, counted: 'rows: «отсутств…» in the variant, total or mark (stage)' },
  { code: 'not_attempted', title: 'Задание не выполнялось (X, «не пройд.») — 0 баллов', excludes: false, counted: 'cells: X, x, Х, «не пройд.» (cells)' },
  {
    code: 'task_out_of_range',
    title: 'Балл за задание вне диапазона 0…максимум',
    excludes: true,
    counted: 'rows with a cell < 0 or > the maximum from the title or `tasks` (validate)',
    cause: 'максимальные баллы заданий не те: другой вариант КИМ или неверная спецификация',
    fix: 'проверьте максимальные баллы в заголовках столбцов или загрузите описание КИМ этого года',
  },
  {
    code: 'total_out_of_range',
    title: 'Первичный балл вне диапазона 0…максимум',
    excludes: true,
    counted: 'rows whose total is < 0 or > the sum of task maxima (validate)',
    cause: 'столбец первичного балла сопоставлен не с тем столбцом или максимумы заданий не те',
    fix: 'проверьте, какой столбец назначен «Первичный балл»',
  },
  {
    code: 'total_mismatch',
    title: 'Первичный балл не равен сумме баллов за задания (оставлен официальный)',
    excludes: false,
    counted: 'rows whose total differs from the sum of task cells; the official total is kept (validate)',
  },
  {
    code: 'bad_value',
    title: 'Нечисловое значение балла',
    excludes: true,
    counted: 'rows with a task cell or total that is not a number (validate)',
    cause: 'в столбцы заданий попали нечисловые данные (сдвиг столбцов, текстовые пометки)',
    fix: 'проверьте сопоставление столбцов заданий',
  },
  {
    code: 'duplicate',
    title: 'Повтор участника (та же ОО и тот же код в одной работе)',
    excludes: true,
    counted: 'later rows with the same (year, procedure, subject, grade, school, code) in the file or already loaded (validate)',
    cause: 'коды участников повторяются в разных школах или файл уже загружен',
    fix: 'ключ участника — школа + код: назначьте столбец ОО; если файл уже загружен, отметьте «Заменить данные» для этой работы',
  },
  {
    code: 'school_missing',
    title: 'Не указана ОО',
    excludes: true,
    counted: 'rows without a school code (validate)',
    cause: 'не назначен столбец ОО (логин или код школы)',
    fix: 'назначьте столбцу с логином или кодом школы роль «Код ОО»',
  },
  {
    code: 'participant_missing',
    title: 'Участник не определён (нет кода и персональных данных)',
    excludes: true,
    counted: 'rows whose participant code is empty and, without a code column, whose personal parts are all empty (validate)',
    cause: 'не назначен столбец кода участника, или в файле пусты и коды, и ФИО / документ',
    fix: 'назначьте столбцу с кодом участника роль «Код участника»',
  },
  { code: 'school_added', title: 'Добавлена ОО, которой не было в справочнике', excludes: false, counted: 'one issue per school added to `schools` from the file (schools)' },
  { code: 'spill', title: 'Значение в столбце без заголовка (за последним заголовком)', excludes: false, counted: 'cells in untitled columns past the last titled one (validate)' },
  { code: 'journal_mark_invalid', title: 'Отметка по журналу не из 2–5 (оставлена пустой)', excludes: false, counted: 'rows (stage)' },
  { code: 'mark_invalid', title: 'Отметка не из 2–5 (оставлена пустой)', excludes: false, counted: 'rows (stage)' },
  {
    code: 'missing_key',
    title: 'Не заполнен ключевой столбец',
    excludes: true,
    counted: 'rows with an empty key column of the target table (table)',
    cause: 'ключевой столбец не сопоставлен или пуст',
    fix: 'назначьте ключевые столбцы или задайте их значения в сопоставлении',
  },
  { code: 'missing_constant', title: 'Не задан год, процедура, предмет или класс', excludes: false, counted: 'one issue per missing key (stage)' },
  { code: 'domain', title: 'Значение не из списка допустимых (оставлено пустым)', excludes: false, counted: 'cells (table)' },
  {
    code: 'duplicate_key',
    title: 'Повтор ключа',
    excludes: true,
    counted: 'later rows with a key already seen in the file or loaded (table)',
    cause: 'строки повторяются или данные уже загружены',
    fix: 'проверьте, не загружен ли файл повторно',
  },
];

export const RULE_BY_CODE: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.code, r]));

/** Russian titles by code. */
export const ISSUE_TITLES: Record<string, string> = Object.fromEntries(RULES.map((r) => [r.code, r.title]));

/** Issue codes after which the row is excluded from the canonical tables. */
export const EXCLUDING: ReadonlySet<string> = new Set(RULES.filter((r) => r.excludes).map((r) => r.code));

/** SQL list of the excluding codes, for `code IN (…)`. */
export const EXCLUDING_SQL = [...EXCLUDING].map((c) => `'${c}'`).join(', ');

/** A rule excluding more than this share of a file's rows is shown in red with its cause and fix. */
export const WARN_SHARE = 0.05;
