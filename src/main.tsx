import { render } from 'solid-js/web';
import type { Table } from 'apache-arrow';
import { db } from './db/browser-connector';
import { App } from './app/App';
import type { importFiles, onFileImported } from './app/importer';
import { kvGet, kvPeek, kvSet } from './storage/kv';
import { storedTableNames } from './storage/tables';
import { watchSchoolNames } from './ui/school-names';

declare global {
  interface Window {
    /** For browser tests and the console: the app's connector and import entry points. */
    msoko?: {
      db: typeof db;
      importFiles: typeof importFiles;
      onFileImported: typeof onFileImported;
      kv: { get: typeof kvGet; peek: typeof kvPeek; set: typeof kvSet };
      showResult: (sql: string) => Promise<number>;
      storedTables: typeof storedTableNames;
    };
  }
}
watchSchoolNames();
// The importer and the grid load on first use: the home page needs neither.
const importer = () => import('./app/importer');
window.msoko = {
  db,
  importFiles: (files) => importer().then((m) => m.importFiles(files)),
  onFileImported: (hook) => {
    let off: (() => void) | undefined;
    let gone = false;
    void importer().then((m) => {
      if (!gone) off = m.onFileImported(hook);
    });
    return () => {
      gone = true;
      off?.();
    };
  },
  kv: { get: kvGet, peek: kvPeek, set: kvSet },
  showResult,
  storedTables: storedTableNames,
};

/** Shows a query's result in a dialog over the app (the console's and the tests' way to look at any result). */
async function showResult(sql: string): Promise<number> {
  const table: Table = await db.query({ type: 'arrow', sql });
  const { ResultTable } = await import('./ui/ResultTable');
  const host = document.createElement('div');
  host.className = 'result-dialog';
  host.dataset.testid = 'result-dialog';
  document.body.append(host);
  const dispose = render(
    () => (
      <>
        <button onClick={() => (dispose(), host.remove())} data-testid="result-dialog-close">
          Закрыть
        </button>
        <ResultTable table={table} height={600} />
      </>
    ),
    host,
  );
  return table.numRows;
}

render(() => <App />, document.getElementById('root')!);
