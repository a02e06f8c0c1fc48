/**
 * The municipality's pseudonym key (salt). Participants without a code are identified by a
 * salted hash of their name or document; whoever has the salt and a name list can recompute the
 * pseudonyms, so the salt is never stored with the data: not in IndexedDB, not in bundles or
 * exports. It lives in this tab's sessionStorage (gone when the tab closes). A fresh one is
 * generated with crypto.getRandomValues, shown once with how to keep it, and entered again in a
 * new session or on another machine so the same pupil gets the same pseudonym.
 * The demo data set keeps its fixed public demo salt.
 */
import { createSignal } from 'solid-js';
import { DEMO_SALT } from '../ingest/pseudonym';

const SESSION_KEY = 'msoko.salt';

/** A fresh random key: 128 bits as 32 hex digits in groups of four (easy to copy by hand). */
export function generateSalt(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return hex.match(/.{4}/g)!.join('-');
}

const read = (): string | null => {
  try {
    return sessionStorage.getItem(SESSION_KEY);
  } catch {
    return null;
  }
};

const [salt, setSaltSignal] = createSignal<string | null>(read());
/** A key generated in this session and not yet acknowledged: the data panel shows it once. */
const [fresh, setFresh] = createSignal<string | null>(null);
export const currentSalt = salt;
export const freshSalt = fresh;

export function setSalt(value: string): void {
  const v = value.trim();
  if (!v) return;
  try {
    sessionStorage.setItem(SESSION_KEY, v);
  } catch {
    /* private mode: the key stays in memory for this page */
  }
  setSaltSignal(v);
  if (fresh() && fresh() !== v) setFresh(null);
}

/** The key for an import of the user's own data: this session's, or a new one shown to the user. */
export function saltForImport(): string {
  const current = salt();
  if (current && current !== DEMO_SALT) return current;
  const next = generateSalt();
  setSalt(next);
  setFresh(next);
  return next;
}

export const acknowledgeSalt = (): void => void setFresh(null);

/** The key file offered for download: the key and how to use it, in Russian. */
export function saltFileText(key: string): string {
  return [
    'Ключ псевдонимизации МСОКО',
    '',
    key,
    '',
    'Этим ключом зашифрованы коды участников, у которых в файлах нет кода (вместо ФИО и документов).',
    'Храните файл отдельно от данных (не пересылайте вместе с выгрузками и пакетами).',
    'При загрузке файлов на другом компьютере или после закрытия вкладки введите этот ключ в панели «Данные»,',
    'чтобы одни и те же участники получили те же коды.',
    '',
  ].join('\r\n');
}
