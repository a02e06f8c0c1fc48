import { render } from 'solid-js/web';
import { db } from './db/browser-connector';
import { App } from './app/App';
import { importFiles, onFileImported } from './app/importer';
import { kvGet, kvSet } from './storage/kv';

declare global {
  interface Window {
    /** For browser tests and the console: the app's connector and import entry points. */
    msoko?: {
      db: typeof db;
      importFiles: typeof importFiles;
      onFileImported: typeof onFileImported;
      kv: { get: typeof kvGet; set: typeof kvSet };
    };
  }
}
window.msoko = { db, importFiles, onFileImported, kv: { get: kvGet, set: kvSet } };

render(() => <App />, document.getElementById('root')!);
