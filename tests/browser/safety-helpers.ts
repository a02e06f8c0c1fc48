/** Helpers for the safety browser tests: what IndexedDB and the engine hold, as text to search. */
import type { Page } from 'playwright-core';

/**
 * Which of `needles` occur in the app's IndexedDB: every record (kv and tables), bytes decoded as
 * UTF-8, searched as one text. The search runs in the page: the stored demo is megabytes of text.
 */
export function idbFound(page: Page, needles: string[]): Promise<string[]> {
  return page.evaluate(async (needles) => {
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
    const text = parts.join('\n');
    return needles.filter((n) => text.includes(n));
  }, needles);
}

/** Names of the stored tables (IndexedDB keys of the tables store). */
export const storedTables = (page: Page): Promise<string[]> => page.evaluate(() => window.msoko!.storedTables());

/**
 * Which of `needles` occur in any table of the engine (main and raw schemas): each table's name,
 * columns and rows as JSON text. Searched in the page: the demo's task_scores alone has 200 000
 * rows, slow to carry to Node.
 */
export function tablesFound(page: Page, needles: string[]): Promise<string[]> {
  return page.evaluate(async (needles) => {
    const q = (sql: string) => window.msoko!.db.query({ type: 'rows', sql });
    const names = await q(`SELECT table_schema AS s, table_name AS t FROM information_schema.tables WHERE table_schema IN ('main', 'raw')`);
    const found = new Set<string>();
    for (const { s, t } of names) {
      const cols = await q(`SELECT column_name AS c FROM information_schema.columns WHERE table_schema = '${s}' AND table_name = '${String(t).replaceAll("'", "''")}'`);
      const rows = await q(`SELECT * FROM "${s}"."${String(t).replaceAll('"', '""')}"`);
      const text = `${s}.${t}: ${cols.map((c) => c.c).join('|')}\n${JSON.stringify(rows, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`;
      for (const n of needles) if (text.includes(n)) found.add(n);
    }
    return needles.filter((n) => found.has(n));
  }, needles);
}
