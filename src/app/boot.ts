/** Start-up: the engine, then the persisted tables (or, on first start, the demo municipality). */
import { db } from '../db/browser-connector';
import { describeError } from '../errors';
import { clearAllStorage, kvGet, kvSet } from '../storage';
import { loadDemo } from './demo';
import { loadDatasetState, markDemoLoaded } from './dataset';
import { refreshTables, setEngine, setNotice, setStartupError } from './state';
import { onTableProvided } from '../notebook/providers';

const INITIALIZED = 'app.initialized';

export async function boot(): Promise<void> {
  // A table computed on demand for a notebook (`indicators`) appears in the data panel.
  onTableProvided(() => void refreshTables());
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
    await db.ready();
    if (await kvGet<boolean>(INITIALIZED)) {
      await db.restoreTables();
      await loadDatasetState();
    } else {
      await loadDemo();
      await markDemoLoaded();
      await kvSet(INITIALIZED, true);
    }
    await refreshTables();
    setEngine('ready');
  } catch (e) {
    setStartupError(describeError(e));
    setEngine('failed');
  }
}

/** Wipes every table, the notebook and settings kept in this browser, then starts over with the demo. */
export async function clearLocalData(): Promise<void> {
  await db.close();
  await clearAllStorage();
  for (const k of Object.keys(localStorage)) if (k.startsWith('msoko')) localStorage.removeItem(k);
  // Starting over lands on the home page (a reload would keep the current view's hash).
  location.replace(location.pathname + location.search);
}
