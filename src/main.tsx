import { render } from 'solid-js/web';
import type { Table } from 'apache-arrow';
import { ResultTable } from './ui/ResultTable';
import { db } from './db/browser-connector';
import { App } from './app/App';
import { importFiles, onFileImported } from './app/importer';
import { kvGet, kvSet } from './storage/kv';
import { storedTableNames } from './storage/tables';
import { watchSchoolNames } from './ui/school-names';

declare global {
  interface Window {
    /** For browser tests and the console: the app's connector and import entry points. */
    msoko?: {
      db: typeof db;
      importFiles: typeof importFiles;
      onFileImported: typeof onFileImported;
      kv: { get: typeof kvGet; set: typeof kvSet };
      showResult: (sql: string) => Promise<number>;
      storedTables: typeof storedTableNames;
    };
  }
}
watchSchoolNames();
window.msoko = { db, importFiles, onFileImported, kv: { get: kvGet, set: kvSet }, showResult, storedTables: storedTableNames };

/** Shows a query's result in a dialog over the app (the console's and the tests' way to look at any result). */
async function showResult(sql: string): Promise<number> {
  const table: Table = await db.query({ type: 'arrow', sql });
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
