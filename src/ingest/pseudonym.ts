/**
 * Participant pseudonyms. Personal names and document numbers are never stored: when a
 * source has no participant code, the participant is identified by a salted SHA-256 of them.
 * The salt belongs to the user (one per municipality) so codes are stable across their files
 * but cannot be recomputed by anyone without it.
 */
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
