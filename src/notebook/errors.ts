/** The one place where errors of notebook cells become Russian messages. */
import type { CellKind } from './model';

/** DuckDB messages are English; the user sees Russian with the original detail kept. */
export function sqlErrorRu(msg: string): string {
  const first = msg.split('\n')[0];
  let m: RegExpExecArray | null;
  if ((m = /Table with name (\S+) does not exist/.exec(first))) return `Таблица «${m[1]}» не найдена (${first})`;
  if ((m = /Referenced column "?([^"\s]+)"? not found/.exec(first))) return `Столбец «${m[1]}» не найден (${first})`;
  if (/Parser Error/.test(first)) return `Синтаксическая ошибка SQL: ${first.replace(/^Parser Error:\s*/, '')}`;
  if (/Binder Error/.test(first)) return `Ошибка в запросе: ${first.replace(/^Binder Error:\s*/, '')}`;
  if (/Conversion Error/.test(first)) return `Ошибка преобразования типов: ${first.replace(/^Conversion Error:\s*/, '')}`;
  if (/Permission Error/.test(first)) return `Доступ запрещён: блокнот работает только с загруженными таблицами (${first})`;
  if (/Interrupt|cancel/i.test(first)) return 'Выполнение отменено';
  if (/^[A-Z][a-z]+ Error:/.test(first)) return `Ошибка SQL: ${first}`;
  return first;
}

/** The message shown on a cell whose run failed. */
export function cellErrorMessage(kind: CellKind, e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (kind === 'sql' || /Error: /.test(msg)) return sqlErrorRu(msg);
  if (kind === 'ts') return `Ошибка в ячейке TypeScript: ${msg}`;
  return msg;
}

export const notRunMessage = (dep: string) => `Не выполнена: ячейка «${dep}» не выполнена или завершилась с ошибкой`;
