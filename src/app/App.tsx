/** The app shell: header, data panel, table view, the home / notebook / help views, drop zone and import progress. */
import { Match, Show, Switch, createMemo, createSignal, lazy, onCleanup, onMount } from 'solid-js';
import { db } from '../db/browser-connector';
import { STARTER, newUserId, saveUserNotebook, setCurrent, type OpenRef } from '../notebook/ui/library';
import { DataPanel } from '../ui/DataPanel';
import { ImportList } from '../ui/ImportList';
import { MappingDialog } from '../ui/import/MappingDialog';
import { boot, clearLocalData } from './boot';
import { Home } from './Home';
import { NotebookChrome, codeMode, setCodeMode } from './ReportView';
import { appCommands } from './commands';
import { Palette, Shortcuts } from './Palette';
import { go, view } from './route';
import type { ImportHook } from './importer';
import { clearFinishedJobs, engine, jobs, notice, refreshTables, restoring, selectedTable, setNotice, setSelectedTable, startupError, tables } from './state';
import './app.css';

// Loaded when first shown: the home page needs neither (most of the start-up JavaScript).
const notebookModule = () => import('../notebook/ui/NotebookView');
const NotebookView = lazy(() => notebookModule().then((m) => ({ default: m.NotebookView })));
// A reload that lands on the notebook fetches and compiles its code and the charts' (Vega) while
// the engine starts, instead of after it.
if (view() === 'notebook') void Promise.all([notebookModule(), import('vega-embed'), import('vega-interpreter'), import('vega-lite')]).catch(() => undefined);
const Help = lazy(() => import('./Help').then((m) => ({ default: m.Help })));
const TableView = lazy(() => import('../ui/TableView').then((m) => ({ default: m.TableView })));

// The importer brings the file readers (SheetJS among them): fetched once start-up is done (files
// dropped earlier wait for it, as they would for the engine); the mapping hook is added first.
let started!: () => void;
const startedUp = new Promise<void>((ok) => (started = ok));
const importer = () => import('./importer');
function onFileImported(hook: ImportHook): () => void {
  let off: (() => void) | undefined;
  let gone = false;
  void startedUp.then(importer).then((m) => {
    if (!gone) off = m.onFileImported(hook);
  });
  return () => {
    gone = true;
    off?.();
  };
}
const importFiles = (files: File[]) => startedUp.then(importer).then((m) => m.importFiles(files));

export function App() {
  let input!: HTMLInputElement;
  const [dragging, setDragging] = createSignal(false);
  const [busy, setBusy] = createSignal(0);
  const [busySince, setBusySince] = createSignal(0);
  const [now, setNow] = createSignal(Date.now());
  // Bumped to remount the notebook view on the notebook chosen on the home page.
  const [notebookKey, setNotebookKey] = createSignal(1);
  const notebookSeen = createMemo<boolean>((seen) => seen || view() === 'notebook', false);
  const [dialog, setDialog] = createSignal<'palette' | 'shortcuts' | null>(null);
  const commands = appCommands({
    open: (ref) => void openNotebook(ref),
    importFiles: () => input.click(),
    showShortcuts: () => setDialog('shortcuts'),
  });

  const openNotebook = async (ref: OpenRef) => {
    await setCurrent(ref);
    setNotebookKey((k) => k + 1);
    go('notebook');
  };
  const newNotebook = async () => {
    const id = newUserId();
    await saveUserNotebook({ id, title: 'Мой блокнот', text: STARTER, updated: Date.now(), trusted: true });
    await openNotebook({ kind: 'user', id });
  };

  onMount(() => {
    const off = db.on((e) => {
      if (e.type !== 'busy') return;
      if (e.pending > 0 && busy() === 0) setBusySince(Date.now());
      setBusy(e.pending);
    });
    const timer = setInterval(() => setNow(Date.now()), 500);
    onCleanup(() => {
      off();
      clearInterval(timer);
    });
    void boot().finally(started);
    document.addEventListener('keydown', onGlobalKey);
    onCleanup(() => document.removeEventListener('keydown', onGlobalKey));
  });

  // Global keys only outside editors and inputs (the notebook handles its own command-mode keys).
  let lastG = 0;
  const onGlobalKey = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && (e.key === 'k' || e.key === 'л')) {
      e.preventDefault();
      setDialog('palette');
      return;
    }
    if (e.key === 'F1') return (e.preventDefault(), go('help'));
    const t = e.target as HTMLElement | null;
    if (dialog() || e.ctrlKey || e.metaKey || e.altKey || t?.closest('.monaco-editor, input, select, textarea, [contenteditable]')) return;
    const k = e.key.toLowerCase();
    if (k === 'g' || k === 'п') lastG = Date.now();
    else if (Date.now() - lastG < 1000 && (k === 'h' || k === 'р')) go('home');
    else if (Date.now() - lastG < 1000 && (k === 'n' || k === 'т')) go('notebook');
    else if (k === 'h' || k === 'р') setDialog('shortcuts');
    else if (k === 'c' || k === 'с') setCodeMode(codeMode() === 'shown' ? 'hidden' : 'shown');
  };

  const onFiles = (list: FileList | null | undefined) => {
    const files = [...(list ?? [])];
    if (files.length) void importFiles(files);
  };

  let depth = 0;
  const onDragEnter = (e: DragEvent) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    depth++;
    setDragging(true);
  };
  const onDragLeave = () => {
    depth = Math.max(0, depth - 1);
    if (!depth) setDragging(false);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    depth = 0;
    setDragging(false);
    onFiles(e.dataTransfer?.files);
  };

  const onClear = () => {
    if (confirm('Удалить все загруженные файлы, таблицы и блокнот из этого браузера и начать с демонстрационных данных?')) void clearLocalData();
  };

  const current = () => tables().find((t) => t.name === selectedTable());
  const elapsed = () => Math.max(0, Math.round((now() - busySince()) / 1000));

  return (
    <div
      class="app"
      data-testid="app"
      data-engine={engine()}
      data-data={engine() === 'ready' && restoring() ? 'restoring' : engine()}
      onDragEnter={onDragEnter}
      onDragOver={(e) => e.preventDefault()}
      onDragLeave={onDragLeave}
      onDrop={onDrop}
    >
      <header class="app-header">
        <h1>МСОКО Workbench</h1>
        <nav class="app-nav" data-testid="app-nav">
          <button classList={{ active: view() === 'home' }} onClick={() => go('home')} data-testid="nav-home">Главная</button>
          <button classList={{ active: view() === 'notebook' }} onClick={() => go('notebook')} data-testid="nav-notebook">Блокнот</button>
          <button classList={{ active: view() === 'help' }} onClick={() => go('help')} data-testid="nav-help">Справка</button>
          <button onClick={() => setDialog('palette')} title="Палитра команд (Ctrl+K)" data-testid="nav-palette">Команды…</button>
        </nav>
        <span class="engine-status" data-testid="engine-status">
          {engine() === 'starting' ? 'Запуск базы данных…' : engine() === 'failed' ? 'База данных не запустилась' : 'Данные хранятся только в этом браузере'}
        </span>
        <Show when={restoring()}>
          {(r) => (
            <span class="busy" data-testid="restore-progress">
              Восстановление таблиц: {r().done} из {r().total}…
            </span>
          )}
        </Show>
        <Show when={busy() > 0 && elapsed() >= 1}>
          <span class="busy" data-testid="db-busy">
            Выполняется… {elapsed()} с
            <button onClick={() => void db.cancel()} data-testid="cancel-query">
              Отменить
            </button>
          </span>
        </Show>
        <span class="spacer" />
        <button class="primary" onClick={() => input.click()} data-testid="import-button">
          Загрузить файлы
        </button>
        <input
          ref={input}
          type="file"
          multiple
          hidden
          accept=".csv,.tsv,.txt,.xlsx,.xlsm,.xls,.parquet,.json"
          data-testid="import-input"
          onChange={(e) => {
            onFiles(e.currentTarget.files);
            e.currentTarget.value = '';
          }}
        />
        <button onClick={onClear} data-testid="clear-data" title="Удалить всё, что хранится в этом браузере">
          Очистить локальные данные
        </button>
      </header>
      <Show when={startupError()}>
        <p class="error banner" role="alert" data-testid="startup-error">
          {startupError()}
        </p>
      </Show>
      <Show when={notice()}>
        <p class="notice banner" data-testid="notice">
          {notice()} <button class="link" onClick={() => setNotice(null)}>Закрыть</button>
        </p>
      </Show>
      <div class="app-body">
        <aside class="app-side">
          <DataPanel tables={tables()} selected={selectedTable()} onSelect={setSelectedTable} />
          <ImportList jobs={jobs} onClear={clearFinishedJobs} />
        </aside>
        <main class="app-main">
          <MappingDialog conn={db} onFileImported={onFileImported} persist={(t) => db.persistTables(t)} onApplied={() => void refreshTables()} />
          <Show when={current()}>{(t) => <TableView table={t()} onClose={() => setSelectedTable(null)} />}</Show>
          <Show when={engine() === 'ready'} fallback={<Show when={view() !== 'notebook'}><p class="muted loading">Загрузка данных…</p></Show>}>
            <Switch>
              <Match when={view() === 'home'}>
                <Home open={(ref) => void openNotebook(ref)} onNew={() => void newNotebook()} />
              </Match>
              <Match when={view() === 'help'}>
                <Help />
              </Match>
            </Switch>
          </Show>
          {/* Mounted on the first visit and then kept (hidden), so that going home and back does not recompute the notebook.
              Mounted while the engine starts: it shows its kept outputs meanwhile, and its queries wait for the engine. */}
          <Show when={notebookSeen() && engine() !== 'failed'}>
            <NotebookChrome hidden={view() !== 'notebook'}>
              <Show when={notebookKey()} keyed>
                {(_key: number) => <NotebookView />}
              </Show>
            </NotebookChrome>
          </Show>
        </main>
      </div>
      <Show when={dialog() === 'palette'}>
        <Palette commands={commands} onClose={() => setDialog(null)} />
      </Show>
      <Show when={dialog() === 'shortcuts'}>
        <Shortcuts commands={commands} onClose={() => setDialog(null)} />
      </Show>
      <Show when={dragging()}>
        <div class="drop-overlay" data-testid="drop-overlay">
          Отпустите файлы, чтобы загрузить их (CSV, TSV, XLSX, Parquet, JSON)
        </div>
      </Show>
    </div>
  );
}
