/**
 * The bundled demo municipality: every `datasets/demo/canonical/*.csv` (committed output of
 * `npm run datasets`), embedded at build time and loaded as typed canonical tables on first start.
 */
import { db } from '../db/browser-connector';
import { loadCanonicalFiles, type CanonicalFile } from '../indicators/load';

export const demoFiles = import.meta.glob('/datasets/demo/canonical/*.csv', { query: '?url', import: 'default', eager: true }) as Record<string, string>;

/** Downloads the demo's CSV files (start-up begins this while the engine is still starting). */
export function fetchDemoFiles(): Promise<CanonicalFile[]> {
  return Promise.all(
    Object.entries(demoFiles).map(async ([path, url]) => ({
      name: path.split('/').pop()!,
      bytes: new Uint8Array(await (await fetch(url)).arrayBuffer()),
    })),
  );
}

/** Loads the demo tables into the database (not yet stored); returns their names. */
export async function loadDemoTables(files: Promise<CanonicalFile[]> = fetchDemoFiles()): Promise<string[]> {
  return loadCanonicalFiles(db, await files);
}

/** Loads the demo tables and persists them; returns their names. */
export async function loadDemo(): Promise<string[]> {
  const loaded = await loadDemoTables();
  await db.persistTables(loaded);
  return loaded;
}
