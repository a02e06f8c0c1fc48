/**
 * Recognition of personal data in a source sheet, by column title and by content.
 *
 * Titles are matched word by word on Unicode letters (JS `\b` knows only ASCII, so «ФИО ученика»
 * slipped through an `/^фио\b/` test). Content is matched on a sample of values: a column is
 * personal when ≥ 80 % of its non-empty sampled values look like full names, passport numbers,
 * СНИЛС, dates of birth, phone numbers or e-mails. Personal columns are never stored; the ones the
 * salted pseudonym needs are hashed first (`personalRole`).
 */
import { quoteIdent } from '../db/connector';
import type { Connector } from '../db/connector';
import type { RawSource } from './read/types';

/** The role a personal column plays in the salted hash, in the order they are hashed. */
export const PERSONAL_HASH_ORDER = ['фамилия', 'имя', 'отчество', 'серия', 'номер'] as const;
export type PersonalRole = (typeof PERSONAL_HASH_ORDER)[number];

/** Lowercase, ё→е, everything but letters and digits → one space (Unicode-aware). */
const words = (title: string): string[] =>
  title
    .toLowerCase()
    .replaceAll('ё', 'е')
    .split(/[^\p{L}\p{N}@]+/u)
    .filter(Boolean);

/** Any of these words anywhere in a title makes the column personal. */
const PERSONAL_WORDS = new Set([
  'фамилия',
  'имя',
  'отчество',
  'фио',
  'паспорт',
  'паспорта',
  'паспортные',
  'снилс',
  'телефон',
  'телефона',
  'тел',
  'email',
  'e-mail',
  'адрес',
  'рождения',
  'surname',
  'firstname',
  'lastname',
  'patronymic',
  'phone',
  'address',
  'birthday',
  'birthdate',
]);

/** Whole-title matches (after `words`): document fields that are too generic as single words. */
const PERSONAL_PHRASES = new Set([
  'ф и о',
  'серия',
  'номер',
  'документ',
  'серия документа',
  'номер документа',
  'серия и номер',
  'серия и номер документа',
  'документ удостоверяющий личность',
  'e mail',
  'электронная почта',
  'эл почта',
  'адрес электронной почты',
  'свидетельство о рождении',
  'дата рождения',
  'д р',
]);

export function isPersonalTitle(title: string): boolean {
  const w = words(title);
  if (!w.length) return false;
  if (PERSONAL_PHRASES.has(w.join(' '))) return true;
  if (w.some((x) => PERSONAL_WORDS.has(x))) return true;
  // «E-mail» splits into «e» + «mail»; «эл. почта», «электронная почта» anywhere in a title.
  const joined = w.join(' ');
  return /(^| )e mail( |$)/.test(joined) || /(^| )(электронн\p{L}*|эл) (почт\p{L}*)/u.test(joined) || /(^| )документ\p{L}* удостоверяющ/u.test(joined);
}

/** The role of a personal column in the pseudonym (null: personal but not hashed, e.g. a phone). */
export function personalRole(title: string): PersonalRole | null {
  if (!isPersonalTitle(title)) return null;
  const w = words(title);
  const joined = w.join(' ');
  // A full name in one column is hashed as the surname part (the whole text is the key).
  if (w[0] === 'фио' || joined.startsWith('ф и о') || (w.includes('фамилия') && w.includes('имя'))) return 'фамилия';
  if (w[0] === 'фамилия' || w[0] === 'surname' || w[0] === 'lastname') return 'фамилия';
  if (w[0] === 'имя' || w[0] === 'firstname') return 'имя';
  if (w[0] === 'отчество' || w[0] === 'patronymic') return 'отчество';
  if (w[0] === 'серия' && !w.includes('номер')) return 'серия';
  // «Номер», «Серия и номер паспорта», «Паспорт», «СНИЛС»: one document key. A file whose only
  // identifier is a СНИЛС must give every pupil their own pseudonym.
  if (w[0] === 'номер' || w[0] === 'серия' || w.some((x) => x.startsWith('паспорт')) || w.includes('снилс') || w.includes('документ')) return 'номер';
  return null;
}

// ---- content ------------------------------------------------------------------------------

export type PersonalKind = 'name' | 'passport' | 'snils' | 'birth_date' | 'phone' | 'email';

export const PERSONAL_KIND_TITLES: Record<PersonalKind, string> = {
  name: 'фамилии, имена и отчества',
  passport: 'номера паспортов',
  snils: 'номера СНИЛС',
  birth_date: 'даты рождения',
  phone: 'номера телефонов',
  email: 'адреса электронной почты',
};

const CAP = '[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?';
const PATTERNS: Array<[Exclude<PersonalKind, 'birth_date'>, RegExp]> = [
  // Three capitalised Cyrillic words. A surname with initials is not enough: textbook authors
  // («Моро М.И.») are written so and must stay for the textbook factor.
  ['name', new RegExp(`^${CAP}\\s+${CAP}\\s+${CAP}$`, 'u')],
  ['passport', /^\d{2}\s?\d{2}\s+№?\s*\d{6}$/u],
  ['snils', /^\d{3}-\d{3}-\d{3}[\s-]\d{2}$/u],
  ['phone', /^(?:\+7|8|7)[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}$/u],
  ['email', /^[^\s@]+@[^\s@]+\.[^\s@]+$/u],
];

/** Share of sampled non-empty values that must match. */
export const CONTENT_THRESHOLD = 0.8;

/** `dd.mm.yyyy`, `yyyy-mm-dd` (optionally with a time of 00:00) → the day (UTC ms), or null. */
function dateDay(v: string): number | null {
  const m = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(v) ?? /^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$/.exec(v);
  if (!m) return null;
  const [d, mo, y] = m[3]!.length === 4 ? [+m[1]!, +m[2]!, +m[3]!] : [+m[3]!, +m[2]!, +m[1]!];
  return d >= 1 && d <= 31 && mo >= 1 && mo <= 12 ? Date.UTC(y, mo - 1, d) : null;
}

const DAY = 86_400_000;

/**
 * Dates of birth of pupils and staff: plausible years, many different days, spread over months
 * (the dates a work was written on are a few days in one season, whatever the year).
 */
function looksLikeBirthDates(values: string[], now: Date): boolean {
  const year = now.getFullYear();
  const days = values.map(dateDay).filter((d): d is number => {
    if (d === null) return false;
    const y = new Date(d).getUTCFullYear();
    return y >= year - 90 && y <= year - 4;
  });
  if (days.length < CONTENT_THRESHOLD * values.length) return false;
  const distinct = new Set(days).size;
  const span = (Math.max(...days) - Math.min(...days)) / DAY;
  return distinct >= 3 && distinct >= 0.3 * days.length && span >= 120;
}

/** What kind of personal data a column's sampled values are, or null. */
export function personalKindOfValues(sample: ReadonlyArray<string | null | undefined>, now = new Date()): PersonalKind | null {
  const values = sample.map((v) => String(v ?? '').replace(/\u00a0/g, ' ').trim()).filter(Boolean);
  if (!values.length) return null;
  for (const [kind, re] of PATTERNS) {
    const n = values.reduce((a, v) => a + (re.test(v) ? 1 : 0), 0);
    if (n >= CONTENT_THRESHOLD * values.length) return kind;
  }
  return looksLikeBirthDates(values, now) ? 'birth_date' : null;
}

export interface PersonalColumn {
  /** DuckDB column name in the raw table. */
  column: string;
  /** Title in the source. */
  header: string;
  /** `title` when the title says so, else the kind of values found. */
  reason: 'title' | PersonalKind;
}

/** Rows sampled per sheet for content recognition. */
export const SAMPLE_ROWS = 500;

/** Personal columns of a raw sheet (`raw.<table>`), by title first, then by a sample of values. */
export async function detectPersonalColumns(conn: Pick<Connector, 'query'>, src: Pick<RawSource, 'table' | 'columns' | 'headers'>): Promise<PersonalColumn[]> {
  const out: PersonalColumn[] = [];
  const rest: Array<{ column: string; header: string }> = [];
  src.columns.forEach((column, i) => {
    const header = src.headers[i] ?? '';
    if (isPersonalTitle(header)) out.push({ column, header, reason: 'title' });
    else rest.push({ column, header });
  });
  if (!rest.length) return out;
  // Values spread over the file: every k-th row, so a sorted file's first block does not decide.
  const rows = await conn.query({
    type: 'rows',
    sql: `SELECT ${rest.map((c) => `CAST(${quoteIdent(c.column)} AS VARCHAR) AS ${quoteIdent(c.column)}`).join(', ')}
          FROM raw.${quoteIdent(src.table)} USING SAMPLE ${SAMPLE_ROWS} ROWS (reservoir, 42)`,
  });
  for (const c of rest) {
    const kind = personalKindOfValues(rows.map((r) => r[c.column] as string | null));
    if (kind) out.push({ ...c, reason: kind });
  }
  return out;
}
