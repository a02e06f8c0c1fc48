import { render } from 'solid-js/web';
import { db } from './db/browser-connector';
import { App } from './app/App';
import { importFiles, onFileImported } from './app/importer';

declare global {
  interface Window {
    /** For browser tests and the console: the app's connector and import entry points. */
    msoko?: { db: typeof db; importFiles: typeof importFiles; onFileImported: typeof onFileImported };
  }
}
window.msoko = { db, importFiles, onFileImported };

render(() => <App />, document.getElementById('root')!);
