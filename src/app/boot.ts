/** Start-up: the engine, then the persisted tables (or, on first start, the demo municipality). */
import { db } from '../db/browser-connector';
import { describeError } from '../errors';
import { clearAllStorage, deleteStoredTable, kvDelete, kvGet, kvSet, loadStoredTables } from '../storage';
import type { StoredTable } from '../storage/tables';
import type { TableInfo } from '../db/connector';
import { INDICATORS_TABLE } from '../indicators/sql';
import { fetchDemo, loadDemoTables, type DemoSource } from './demo';
import { activeDataset, loadDatasetState, markDemoLoaded } from './dataset';
import { refreshTables, setEngine, setNotice, setRestoring, setStartupError, setTables } from './state';
import { onTableProvided } from '../notebook/providers';
import { markDataReady, publishStoredTables } from '../notebook/startup';

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
async function loadDemoPending(demo?: Promise<DemoSource>): Promise<() => void> {
  const loaded = await loadDemoTables(demo);
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
  try {
    // The engine's start (seconds: the wasm module) runs in its worker while this thread reads
    // what start-up needs next: the stored tables from IndexedDB, or on first start the demo files.
    const engine = db.ready();
    engine.catch(() => undefined);
    const { storeDemo, listed } = (await kvGet<boolean>(INITIALIZED)) ? { storeDemo: await reopen(engine), listed: false } : await firstStart(engine);
    performance.mark('msoko:data-in');
    if (!listed) await refreshTables();
    setRestoring(null);
    performance.mark('msoko:ready');
    setEngine('ready');
    markDataReady();
    storeDemo?.();
  } catch (e) {
    setRestoring(null);
    setStartupError(describeError(e));
    setEngine('failed');
  }
}

/**
 * First start: the demo municipality, fetched while the engine starts. Ready once it is loaded.
 * `listed`: the data panel lists the tables from the demo's own description (its names, columns
 * and row counts as the build's engine described them), as a reload lists stored records, instead
 * of asking the engine (≈0.2 s of the cold open: the first query of its catalogue).
 */
async function firstStart(engine: Promise<void>): Promise<{ storeDemo: () => void; listed: boolean }> {
  publishStoredTables(null);
  const demo = fetchDemo();
  demo.catch(() => undefined);
  await engine;
  performance.mark('msoko:engine');
  const storeDemo = await loadDemoPending(demo);
  await markDemoLoaded();
  await kvSet(INITIALIZED, true);
  const source = await demo;
  if (!('tables' in source)) return { storeDemo, listed: false };
  setTables(source.tables.map(listedRecord).sort((a, b) => a.name.localeCompare(b.name, 'ru')));
  return { storeDemo, listed: true };
}

/**
 * A later start: the stored tables go back into the engine. The shell is offered as soon as the
 * engine runs — the data panel and the home page list the tables from their stored records, with
 * the restore's progress — while every query waits until the restore has ended (the connector's
 * gate). Returns once the data are ready (or, for a demo whose write was cut short, reloaded).
 */
async function reopen(engine: Promise<void>): Promise<(() => void) | undefined> {
  const stored = loadStoredTables();
  // The connector holds every query from here until the restore has ended.
  const restore = db.restoreTables(heldForTest(stored), (done, total) => setRestoring({ done, total }));
  restore.catch(() => undefined);
  await loadDatasetState();
  const demoPending = await kvGet<boolean>(DEMO_PENDING);
  // A notebook shows its kept outputs while these records describe the tables (until the restore ends).
  publishStoredTables(demoPending ? null : stored);
  void restore.finally(() => publishStoredTables(null)).catch(() => undefined);
  if (demoPending && activeDataset() === 'demo') {
    // Rare (the page closed while the demo was being stored): the demo is loaded again before the shell is offered.
    await engine;
    performance.mark('msoko:engine');
    await restore;
    return loadDemoPending();
  }
  if (demoPending) await kvDelete(DEMO_PENDING);
  const records = await stored;
  setRestoring((r) => r ?? { done: 0, total: records.length });
  setTables(records.filter((t) => !/^raw\./.test(t.name)).map(listedRecord).sort((a, b) => a.name.localeCompare(b.name, 'ru')));
  await engine;
  performance.mark('msoko:engine');
  setEngine('ready');
  markDataReady();
  await restore;
  performance.mark('msoko:restored');
  return undefined;
}

/**
 * Browser tests hold start-up's restore (a promise in `window.__msokoHoldRestore`, set before the
 * page loads) to look at the app while its tables are still being restored, with no timing.
 */
function heldForTest<T>(work: Promise<T>): Promise<T> {
  const hold = (window as { __msokoHoldRestore?: Promise<unknown> }).__msokoHoldRestore;
  return hold ? hold.then(() => work) : work;
}

/** A stored table as the data panel lists it before it is back in the engine (schema main only, as listTables). */
const listedRecord = (t: Pick<StoredTable, 'name' | 'rowCount' | 'columns'>): TableInfo => ({ name: t.name.replace(/^main\./, ''), rowCount: t.rowCount, columns: t.columns, kind: 'table' });

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
