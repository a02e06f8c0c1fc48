/**
 * A tiny promise wrapper over one IndexedDB database with two stores:
 * `kv` (small JSON-able state: notebooks, settings, import metadata) and
 * `tables` (persisted DuckDB tables as Parquet bytes, see src/storage/tables.ts).
 */
const DB_NAME = 'msoko-workbench';
const DB_VERSION = 1;
export const STORES = ['kv', 'tables'] as const;
export type StoreName = (typeof STORES)[number];

let opening: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      for (const s of STORES) if (!req.result.objectStoreNames.contains(s)) req.result.createObjectStore(s);
    };
    req.onsuccess = () => {
      const db = req.result;
      // Another tab (or clearAll) wants to delete the database: let it.
      db.onversionchange = () => {
        db.close();
        opening = null;
      };
      resolve(db);
    };
    req.onerror = () => {
      opening = null;
      reject(req.error);
    };
  });
  return opening;
}

function done<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export async function idbGet<T>(store: StoreName, key: string): Promise<T | undefined> {
  const db = await open();
  return done(db.transaction(store, 'readonly').objectStore(store).get(key)) as Promise<T | undefined>;
}

export async function idbSet(store: StoreName, key: string, value: unknown): Promise<void> {
  const db = await open();
  const tx = db.transaction(store, 'readwrite');
  tx.objectStore(store).put(value, key);
  await txDone(tx);
}

/**
 * Reads `key` and writes what `next(current)` returns in one transaction, so no other tab can
 * write in between; `next` throwing aborts without writing.
 */
export async function idbUpdate<T>(store: StoreName, key: string, next: (current: T | undefined) => T): Promise<void> {
  const db = await open();
  const tx = db.transaction(store, 'readwrite');
  const os = tx.objectStore(store);
  let failure: unknown = null;
  const req = os.get(key);
  req.onsuccess = () => {
    try {
      os.put(next(req.result as T | undefined), key);
    } catch (e) {
      failure = e;
      tx.abort();
    }
  };
  try {
    await txDone(tx);
  } catch (e) {
    throw failure ?? e;
  }
}

export async function idbDelete(store: StoreName, key: string): Promise<void> {
  const db = await open();
  const tx = db.transaction(store, 'readwrite');
  tx.objectStore(store).delete(key);
  await txDone(tx);
}

export async function idbKeys(store: StoreName): Promise<string[]> {
  const db = await open();
  const keys = await done(db.transaction(store, 'readonly').objectStore(store).getAllKeys());
  return keys.map(String);
}

/** Deletes the whole database (every store). */
export async function idbClearAll(): Promise<void> {
  if (opening) {
    (await opening).close();
    opening = null;
  }
  await new Promise<void>((resolve, reject) => {
    const req = indexedDB.deleteDatabase(DB_NAME);
    req.onsuccess = () => resolve();
    req.onerror = () => reject(req.error);
    req.onblocked = () => resolve();
  });
}

function txDone(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(storageError(tx.error));
    tx.onabort = () => reject(storageError(tx.error));
  });
}

/** Why the browser refused to store something, in Russian (an aborted transaction may carry no error). */
export function storageReason(e: unknown): string {
  const name = (e as { name?: string } | null)?.name ?? '';
  const text = String((e as { message?: string } | null)?.message ?? e ?? '');
  if (name === 'QuotaExceededError' || /quota/i.test(text)) return 'в хранилище браузера не хватает места (квота исчерпана); освободите место: удалите ненужные таблицы или блокноты';
  if (name === 'InvalidStateError') return 'хранилище браузера закрыто (вкладка очищает данные или браузер завершает работу)';
  if (name === 'DataCloneError') return 'данные нельзя сохранить в хранилище браузера (неподдерживаемый тип значения)';
  if (name === 'UnknownError' || name === 'AbortError' || !text) return 'браузер прервал запись в хранилище (возможно, не хватает места на диске или хранилище недоступно в режиме инкогнито)';
  return `браузер отказал в записи: ${text}`;
}

/** A storage failure whose message is the Russian reason (and whose name tells quota apart). */
export class StorageError extends Error {
  override readonly name = 'UserError';
  constructor(
    readonly reason: string,
    readonly quota: boolean,
  ) {
    super(reason);
  }
}

function storageError(e: unknown): StorageError {
  const quota = (e as { name?: string } | null)?.name === 'QuotaExceededError' || /quota/i.test(String((e as { message?: string } | null)?.message ?? ''));
  return new StorageError(storageReason(e), quota);
}
