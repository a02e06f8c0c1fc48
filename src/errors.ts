/**
 * Errors meant for the person using the app: Russian text that names the file, sheet,
 * row and column where they apply. Anything else thrown is a bug or an engine error.
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
  constructor(
    message: string,
    readonly place: ErrorPlace = {},
  ) {
    super(withPlace(message, place));
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

/** A message to show for any error: user errors as they are, engine errors with a Russian lead-in. */
export function describeError(e: unknown): string {
  if (isUserError(e)) return e.message;
  const text = e instanceof Error ? e.message : String(e);
  return `Ошибка: ${text}`;
}
