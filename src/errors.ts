/**
 * Errors meant for the person using the app: Russian text that names the file, sheet,
 * row and column where they apply. This is the one place that turns any error — ours, and the
 * engine's English ones (DuckDB native and WASM) — into Russian (`describeError`, `toUserError`
 * for files and data; `cellErrorMessage` for notebook cells, which keep the engine's line as a
 * detail for the author of the query); add new engine messages to ENGINE_ERRORS or CELL_SQL_ERRORS.
 */
export interface ErrorPlace {
  file?: string;
  sheet?: string | null;
  /** 1-based row number in the source file. */
  row?: number;
  /** Column title or 1-based number. */
  column?: string | number;
}

export class UserError extends Error {
  override readonly name = 'UserError';
  /** The message without its place. */
  readonly text: string;
  constructor(
    message: string,
    readonly place: ErrorPlace = {},
  ) {
    super(withPlace(message, place));
    this.text = message;
  }
}

/** «Файл «a.csv», лист «Лист1», строка 5, столбец «Балл»: message». */
export function withPlace(message: string, place: ErrorPlace): string {
  const parts: string[] = [];
  if (place.file) parts.push(`Файл «${place.file}»`);
  if (place.sheet) parts.push(`лист «${place.sheet}»`);
  if (place.row !== undefined) parts.push(`строка ${place.row}`);
  if (place.column !== undefined) parts.push(typeof place.column === 'number' ? `столбец ${place.column}` : `столбец «${place.column}»`);
  if (!parts.length) return message;
  const prefix = parts.join(', ');
  return `${prefix[0].toUpperCase()}${prefix.slice(1)}: ${message}`;
}

export const isUserError = (e: unknown): e is UserError =>
  e instanceof UserError || (typeof e === 'object' && e !== null && (e as { name?: string }).name === 'UserError');

const TYPE_NAMES: Record<string, string> = {
  INTEGER: 'целое число',
  INT32: 'целое число',
  BIGINT: 'целое число',
  INT64: 'целое число',
  SMALLINT: 'целое число',
  TINYINT: 'целое число',
  HUGEINT: 'целое число',
  DOUBLE: 'число',
  FLOAT: 'число',
  DECIMAL: 'число',
  DATE: 'дату',
  TIMESTAMP: 'дату и время',
  BOOLEAN: 'логическое значение (да/нет)',
};
const typeName = (t: string) => TYPE_NAMES[t.toUpperCase().replace(/\(.*$/, '')] ?? `тип ${t}`;
const MEMORY =
  'не хватило памяти для этой операции. Закройте другие вкладки и программы, разделите данные на части или используйте запуск без браузера (npm run import, npm run indicators).';

/** An indicator run stopped for lack of memory (the engine's own error, or its crash and restart): nothing was saved. */
export const indicatorsOutOfMemory = (id: string) =>
  `Показатели не рассчитаны (остановлено на ${id}): ${MEMORY} Частично рассчитанные показатели не сохранены.`;

/** DuckDB's common English messages (first line) → Russian; the first match wins. */
const ENGINE_ERRORS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/Could not convert string '([^']*)' to '?([A-Za-z0-9_]+)/i, (m) => `значение «${m[1]}» не удаётся прочитать как ${typeName(m[2])}.`],
  [/Conversion Error: .*?(-?[\d.e+]+) is out of range for .*?([A-Z0-9]+)/i, (m) => `значение ${m[1]} не помещается в ${typeName(m[2])}.`],
  [/Conversion Error: (?:date field value out of range|Could not parse string|invalid date)[^"']*["']([^"']*)["']/i, (m) => `«${m[1]}» не является датой.`],
  [/Conversion Error/i, () => 'значение не удаётся преобразовать к нужному типу (число, дата).'],
  [/Out of Memory|out of memory|failed to allocate|Allocation failure|allocation failed|could not allocate/i, () => MEMORY],
  [/No space left on device|disk is full/i, () => 'на диске не осталось места.'],
  [/No files found that match the pattern "([^"]+)"/i, (m) => `файл «${m[1]}» не найден.`],
  [/Cannot open file "([^"]+)"[^:]*: No such file or directory/i, (m) => `файл «${m[1]}» не найден.`],
  [/Cannot open file "([^"]+)"[^:]*: Permission denied|Permission Error/i, (m) => `нет доступа к файлу${m[1] ? ` «${m[1]}»` : ''}.`],
  [/Invalid unicode|Invalid Input Error: .*(UTF-?8|unicode)/i, () => 'в файле встречаются байты, которые не являются текстом в кодировке UTF-8. Сохраните файл в UTF-8 или Windows-1251.'],
  [/Table with name "?([^"\s!]+)"? does not exist/i, (m) => `таблица «${m[1]}» не найдена.`],
  [/Referenced column "([^"]+)" not found|column with name "?([^"\s]+)"? (?:does not exist|not found)/i, (m) => `столбец «${m[1] ?? m[2]}» не найден.`],
  [/Duplicate key "([^"]*)" violates/i, (m) => `повторяющийся ключ (${m[1]}).`],
  [/Parser Error: (?:syntax error at or near "([^"]*)")?/i, (m) => (m[1] ? `синтаксическая ошибка в SQL рядом с «${m[1]}».` : 'синтаксическая ошибка в SQL.')],
  [/INTERRUPT|Interrupted/i, () => 'запрос прерван.'],
  [/Could not set lock on file "([^"]+)"/i, (m) => `файл «${m[1]}» занят другой программой.`],
  [/Binder Error: (.*)/i, (m) => `ошибка в запросе: ${m[1]}`],
];

/** The Russian text for an engine (or runtime) error message, or null when it is not a known one. */
export function engineMessage(text: string): string | null {
  for (const [re, ru] of ENGINE_ERRORS) {
    const m = re.exec(text);
    if (m) return ru(m);
  }
  return null;
}

/** Any error as a UserError at `place` (ours keep their own place; unknown ones keep the original text as a detail). */
export function toUserError(e: unknown, place: ErrorPlace = {}): UserError {
  if (isUserError(e)) return e.place?.file || !place.file || e.text === undefined ? e : new UserError(e.text, { ...place, ...e.place });
  const text = e instanceof Error ? e.message : String(e);
  const first = text.split('\n')[0];
  return new UserError(engineMessage(text) ?? `непредвиденная ошибка (${first}).`, place);
}

/** A message to show for any error: user errors as they are, engine errors in Russian. */
export function describeError(e: unknown, place: ErrorPlace = {}): string {
  if (isUserError(e)) return toUserError(e, place).message;
  const text = e instanceof Error ? e.message : String(e);
  const known = engineMessage(text);
  return known ? withPlace(known, place) : withPlace(`Ошибка: ${text}`, place);
}

/** Shown on a cell (SQL or TypeScript) whose run the user cancelled. */
export const CANCELLED_MESSAGE = 'Выполнение отменено';
/** Over a cell's output kept from an earlier run (src/notebook/kept-outputs.ts) until the engine has run the cell again. */
export const KEPT_MESSAGE = 'Сохранённый результат — проверяется…';

/**
 * DuckDB's first line → the Russian message on a notebook cell; the first match wins. Unlike
 * ENGINE_ERRORS the engine's text stays as a detail: the reader of a cell error wrote the query.
 */
const CELL_SQL_ERRORS: [RegExp, (m: RegExpExecArray, first: string) => string][] = [
  [/Table with name (\S+) does not exist/, (m, first) => `Таблица «${m[1]}» не найдена (${first})`],
  [/Referenced column "?([^"\s]+)"? not found/, (m, first) => `Столбец «${m[1]}» не найден (${first})`],
  [/Parser Error/, (_, first) => `Синтаксическая ошибка SQL: ${first.replace(/^Parser Error:\s*/, '')}`],
  [/Binder Error/, (_, first) => `Ошибка в запросе: ${first.replace(/^Binder Error:\s*/, '')}`],
  [/Conversion Error/, (_, first) => `Ошибка преобразования типов: ${first.replace(/^Conversion Error:\s*/, '')}`],
  [/Permission Error/, (_, first) => `Доступ запрещён: блокнот работает только с загруженными таблицами (${first})`],
  [/Interrupt|cancel/i, () => CANCELLED_MESSAGE],
  [/^[A-Z][a-z]+ Error:/, (_, first) => `Ошибка SQL: ${first}`],
];

/** A SQL error of a notebook cell in Russian, with the engine's first line kept. */
export function sqlErrorRu(msg: string): string {
  const first = msg.split('\n')[0]!;
  for (const [re, ru] of CELL_SQL_ERRORS) {
    const m = re.exec(first);
    if (m) return ru(m, first);
  }
  return first;
}

/** The message shown on a cell (of kind `sql`, `ts`, …) whose run failed. */
export function cellErrorMessage(kind: string, e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (kind === 'sql' || /Error: /.test(msg)) return sqlErrorRu(msg);
  if (kind === 'ts') return `Ошибка в ячейке TypeScript: ${msg}`;
  return msg;
}

export const notRunMessage = (dep: string) => `Не выполнена: ячейка «${dep}» не выполнена или завершилась с ошибкой`;
