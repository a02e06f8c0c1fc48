/**
 * The bundled demo municipality: every `datasets/demo/canonical/*.csv` (committed output of
 * `npm run datasets`), loaded as typed canonical tables on first start. The build ships them
 * already typed, as Arrow IPC made by the same engine and loader at build time
 * (`virtual:demo-tables`, vite.config.ts, src/db/demo-arrow.ts): the tab inserts them as it
 * restores stored tables instead of parsing and casting 13 MB of CSV (≈2 s of the cold open).
 * The dev server has no such file and loads the CSVs.
 */
import { db } from '../db/browser-connector';
import { unpackDemo, type DemoTable } from '../db/demo-pack';
import { loadCanonicalFiles, type CanonicalFile } from '../indicators/load';
import demoTablesUrl from 'virtual:demo-tables';

export const demoFiles = import.meta.glob('/datasets/demo/canonical/*.csv', { query: '?url', import: 'default', eager: true }) as Record<string, string>;

/** The demo as fetched: its typed tables (a build) or its CSV files (the dev server). */
export type DemoSource = { tables: DemoTable[] } | { files: CanonicalFile[] };

const fetchBytes = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());

/** Downloads the demo (start-up begins this while the engine is still starting). */
export async function fetchDemo(): Promise<DemoSource> {
  if (demoTablesUrl) {
    const bytes = await fetchBytes(demoTablesUrl);
    performance.mark('msoko:demo-fetched');
    return { tables: unpackDemo(bytes) };
  }
  return {
    files: await Promise.all(Object.entries(demoFiles).map(async ([path, url]) => ({ name: path.split('/').pop()!, bytes: await fetchBytes(url) }))),
  };
}

/** Loads the demo tables into the database (not yet stored); returns their names. */
export async function loadDemoTables(source: Promise<DemoSource> = fetchDemo()): Promise<string[]> {
  const demo = await source;
  const loaded = await ('tables' in demo ? db.insertTables(demo.tables) : loadCanonicalFiles(db, demo.files));
  performance.mark('msoko:demo-loaded');
  return loaded;
}

/** Loads the demo tables and persists them; returns their names. */
export async function loadDemo(): Promise<string[]> {
  const loaded = await loadDemoTables();
  await db.persistTables(loaded);
  return loaded;
}
