/** Helpers for the safety browser tests: what IndexedDB and the engine hold, as text to search. */
import type { Page } from 'playwright-core';
import { sql } from './app-helpers';

/** Every record of the app's IndexedDB (kv and tables), bytes decoded as UTF-8, as one string. */
export function idbText(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const r = indexedDB.open('msoko-workbench');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const parts: string[] = [];
    const dec = new TextDecoder('utf-8', { fatal: false });
    const walk = (v: unknown): void => {
      if (v instanceof Uint8Array) parts.push(dec.decode(v));
      else if (ArrayBuffer.isView(v)) parts.push(dec.decode(new Uint8Array(v.buffer)));
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => (parts.push(k), walk(x)));
      else parts.push(String(v));
    };
    for (const store of [...db.objectStoreNames]) {
      const tx = db.transaction(store, 'readonly');
      const all = await new Promise<unknown[]>((ok) => {
        const r = tx.objectStore(store).getAll();
        r.onsuccess = () => ok(r.result);
      });
      const keys = await new Promise<IDBValidKey[]>((ok) => {
        const r = tx.objectStore(store).getAllKeys();
        r.onsuccess = () => ok(r.result);
      });
      keys.forEach((k) => parts.push(String(k)));
      all.forEach(walk);
    }
    db.close();
    return parts.join('\n');
  });
}

/** Names of the stored tables (IndexedDB keys of the tables store). */
export const storedTables = (page: Page): Promise<string[]> => page.evaluate(() => window.msoko!.storedTables());

/** Every table of the engine (main and raw schemas) as JSON text. */
export async function allTablesText(page: Page): Promise<string> {
  const names = await sql(page, `SELECT table_schema AS s, table_name AS t FROM information_schema.tables WHERE table_schema IN ('main', 'raw')`);
  const out: string[] = [];
  for (const { s, t } of names) {
    const cols = await sql(page, `SELECT column_name AS c FROM information_schema.columns WHERE table_schema = '${s}' AND table_name = '${String(t).replaceAll("'", "''")}'`);
    out.push(`${s}.${t}: ${cols.map((c) => c.c).join('|')}`);
    out.push(JSON.stringify(await sql(page, `SELECT * FROM "${s}"."${String(t).replaceAll('"', '""')}"`)));
  }
  return out.join('\n');
}
