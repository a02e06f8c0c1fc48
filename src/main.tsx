import { render } from 'solid-js/web';

function App() {
  return <main data-testid="app">МСОКО Workbench</main>;
}

render(() => <App />, document.getElementById('root')!);
