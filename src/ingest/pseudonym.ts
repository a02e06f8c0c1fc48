/**
 * Participant pseudonyms. Personal names and document numbers are never stored: when a
 * source has no participant code, the participant is identified by a salted SHA-256 of them.
 * The salt belongs to the user (one per municipality) so codes are stable across their files
 * but cannot be recomputed by anyone without it.
 */
import { pseudonymSql } from './sql';

/** The public salt of the bundled demo municipality only; real data get a random one (src/app/salt.ts). */
export const DEMO_SALT = 'msoko-demo';

const normalizePart = (s: string | number | null | undefined): string =>
  String(s ?? '')
    .trim()
    .toLowerCase()
    .replaceAll('ё', 'е')
    .replace(/\s+/g, ' ');

export async function pseudonymize(salt: string, parts: ReadonlyArray<string | number | null | undefined>): Promise<string> {
  const text = [salt, ...parts.map(normalizePart)].join('\u001f');
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `p_${hex.slice(0, 16)}`;
}

const isEmptyPart = (s: string | number | null | undefined): boolean => normalizePart(s) === '';

/**
 * A participant's pseudonym from their identifying parts (name, document, СНИЛС) and the context
 * that scopes them (school). null when every identifying part is empty: hashing nothing would give
 * every such pupil the same code, so five pupils with an empty name became one; such a row gets
 * no pseudonym and the import lists it.
 */
export async function participantPseudonym(
  salt: string,
  identifying: ReadonlyArray<string | number | null | undefined>,
  context: ReadonlyArray<string | number | null | undefined> = [],
): Promise<string | null> {
  if (identifying.every(isEmptyPart)) return null;
  return pseudonymize(salt, [...identifying, ...context]);
}

/** The SQL of participantPseudonym: NULL when every identifying expression is empty. */
export function participantPseudonymSql(salt: string, identifying: string[], context: string[] = []): string {
  const empty = identifying.map((e) => `coalesce(trim(replace(CAST(${e} AS VARCHAR), chr(160), ' ')), '') = ''`).join(' AND ');
  return `(CASE WHEN ${empty || 'true'} THEN NULL ELSE ${pseudonymSql(salt, [...identifying, ...context])} END)`;
}
