import { render } from 'solid-js/web';
import { db } from './db/browser-connector';

declare global {
  interface Window {
    /** For browser tests and the console: the app's connector. */
    msoko?: { db: typeof db };
  }
}
window.msoko = { db };

function App() {
  return <main data-testid="app">МСОКО Workbench</main>;
}

render(() => <App />, document.getElementById('root')!);
