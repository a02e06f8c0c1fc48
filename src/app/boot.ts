/** Start-up: the engine, then the persisted tables (or, on first start, the demo municipality). */
import { db } from '../db/browser-connector';
import { describeError } from '../errors';
import { clearAllStorage, deleteStoredTable, kvDelete, kvGet, kvSet, loadStoredTables } from '../storage';
import { INDICATORS_TABLE } from '../indicators/sql';
import { fetchDemoFiles, loadDemoTables } from './demo';
import type { CanonicalFile } from '../indicators/load';
import { activeDataset, loadDatasetState, markDemoLoaded } from './dataset';
import { refreshTables, setEngine, setNotice, setStartupError } from './state';
import { onTableProvided } from '../notebook/providers';

const INITIALIZED = 'app.initialized';
/** Set while the demo's tables are being written to IndexedDB after they were loaded. */
const DEMO_PENDING = 'app.demoPending';

/**
 * The demo's tables being written to IndexedDB. Start-up does not wait for it: the tables are
 * usable once they are in DuckDB. If the page closes before the write ends, the next start
 * restores what was stored (the user's own tables included) and loads the demo again.
 */
let storingDemo: Promise<void> = Promise.resolve();
export const demoStored = (): Promise<void> => storingDemo;

/**
 * Loads the demo into the engine and marks it pending; returns what starts writing it to
 * IndexedDB, which start-up calls once it is ready (the write's queries would otherwise queue
 * in the engine ahead of start-up's own).
 */
async function loadDemoPending(files?: Promise<CanonicalFile[]>): Promise<() => void> {
  const loaded = await loadDemoTables(files);
  await kvSet(DEMO_PENDING, true);
  return () => {
    storingDemo = db
      .persistTables(loaded)
      .then(() => kvDelete(DEMO_PENDING))
      .catch((e) => void setNotice(`Демонстрационные данные не сохранены в браузере: ${describeError(e)}`));
  };
}

/** Above this many rows the indicator table is not kept in the browser (storing passes it through JavaScript). */
const KEEP_INDICATORS_ROWS = 300_000;
let keeping: Promise<void> = Promise.resolve();

/**
 * Keeps the computed indicator table and the fingerprint of the data it came from
 * (`indicators_source`) in IndexedDB, so a reload does not recompute it before the first chart:
 * the provider compares that fingerprint with the restored data and recomputes when they differ.
 * The old record goes first and the fingerprint is stored before the table, so a write cut short
 * leaves no indicators (recomputed next time), never older indicators beside a newer fingerprint.
 */
function keepIndicators(): void {
  keeping = keeping
    .then(async () => {
      const { SOURCE_TABLE } = await import('../indicators/materialise');
      const tables = new Map((await db.listTables()).map((t) => [t.name, t]));
      const computed = tables.get(INDICATORS_TABLE);
      await deleteStoredTable(INDICATORS_TABLE);
      if (!computed || !tables.has(SOURCE_TABLE) || computed.rowCount > KEEP_INDICATORS_ROWS) return deleteStoredTable(SOURCE_TABLE);
      await db.persistTables([SOURCE_TABLE, INDICATORS_TABLE]);
    })
    // Only a reload's head start is lost: the indicators are recomputed then.
    .catch((e) => console.warn('Показатели не сохранены в браузере', e));
}

export async function boot(): Promise<void> {
  // A table computed on demand for a notebook (`indicators`) appears in the data panel and is kept for the next start.
  onTableProvided(() => {
    void refreshTables();
    keepIndicators();
  });
  db.on((e) => {
    if (e.type === 'tables-changed') void refreshTables();
    if (e.type === 'restarted') {
      setNotice(
        e.reason === 'cancel'
          ? 'Запрос отменён. База данных перезапущена, сохранённые таблицы восстановлены.'
          : 'База данных перезапущена после сбоя, сохранённые таблицы восстановлены.',
      );
      void refreshTables();
    }
  });
  let storeDemo: (() => void) | undefined;
  try {
    // The engine's start (seconds: the wasm module) runs in its worker while this thread reads
    // what start-up needs next: the stored tables from IndexedDB, or on first start the demo files.
    const engine = db.ready();
    engine.catch(() => undefined);
    if (await kvGet<boolean>(INITIALIZED)) {
      const stored = loadStoredTables();
      stored.catch(() => undefined);
      await engine;
      performance.mark('msoko:engine');
      await db.restoreTables(stored);
      performance.mark('msoko:restored');
      await loadDatasetState();
      if (await kvGet<boolean>(DEMO_PENDING)) {
        if (activeDataset() === 'demo') storeDemo = await loadDemoPending();
        else await kvDelete(DEMO_PENDING);
      }
    } else {
      const files = fetchDemoFiles();
      files.catch(() => undefined);
      await engine;
      performance.mark('msoko:engine');
      storeDemo = await loadDemoPending(files);
      await markDemoLoaded();
      await kvSet(INITIALIZED, true);
    }
    await refreshTables();
    performance.mark('msoko:ready');
    setEngine('ready');
    storeDemo?.();
  } catch (e) {
    setStartupError(describeError(e));
    setEngine('failed');
  }
}

/** Wipes every table, the notebook and settings kept in this browser, then starts over with the demo. */
export async function clearLocalData(): Promise<void> {
  // A demo or indicator write still in flight would otherwise land after the wipe.
  await storingDemo;
  await keeping;
  await db.close();
  await clearAllStorage();
  for (const k of Object.keys(localStorage)) if (k.startsWith('msoko')) localStorage.removeItem(k);
  // Starting over lands on the home page (a reload would keep the current view's hash).
  location.replace(location.pathname + location.search);
}
