/**
 * The bundled demo municipality: every `datasets/demo/canonical/*.csv` (committed output of
 * `npm run datasets`), embedded at build time and loaded as typed canonical tables on first start.
 */
import { db } from '../db/browser-connector';
import { loadCanonicalFiles } from '../indicators/load';

export const demoFiles = import.meta.glob('/datasets/demo/canonical/*.csv', { query: '?url', import: 'default', eager: true }) as Record<string, string>;

/** Loads the demo tables into the database (not yet stored); returns their names. */
export async function loadDemoTables(): Promise<string[]> {
  const files = await Promise.all(
    Object.entries(demoFiles).map(async ([path, url]) => ({
      name: path.split('/').pop()!,
      bytes: new Uint8Array(await (await fetch(url)).arrayBuffer()),
    })),
  );
  return loadCanonicalFiles(db, files);
}

/** Loads the demo tables and persists them; returns their names. */
export async function loadDemo(): Promise<string[]> {
  const loaded = await loadDemoTables();
  await db.persistTables(loaded);
  return loaded;
}
