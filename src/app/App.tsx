/** The app shell: header, data panel, table view, notebook, drop zone and import progress. */
import { Show, createSignal, onCleanup, onMount } from 'solid-js';
import { db } from '../db/browser-connector';
import { NotebookView } from '../notebook/ui/NotebookView';
import { DataPanel } from '../ui/DataPanel';
import { ImportList } from '../ui/ImportList';
import { TableView } from '../ui/TableView';
import { MappingDialog } from '../ui/import/MappingDialog';
import { boot, clearLocalData } from './boot';
import { importFiles, onFileImported } from './importer';
import { clearFinishedJobs, engine, jobs, notice, refreshTables, selectedTable, setNotice, setSelectedTable, startupError, tables } from './state';
import './app.css';

export function App() {
  let input!: HTMLInputElement;
  const [dragging, setDragging] = createSignal(false);
  const [busy, setBusy] = createSignal(0);
  const [busySince, setBusySince] = createSignal(0);
  const [now, setNow] = createSignal(Date.now());

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
    void boot();
  });

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
      onDragEnter={onDragEnter}
      onDragOver={(e) => e.preventDefault()}
      onDragLeave={onDragLeave}
      onDrop={onDrop}
    >
      <header class="app-header">
        <h1>МСОКО Workbench</h1>
        <span class="engine-status" data-testid="engine-status">
          {engine() === 'starting' ? 'Запуск базы данных…' : engine() === 'failed' ? 'База данных не запустилась' : 'Данные хранятся только в этом браузере'}
        </span>
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
          <Show when={engine() === 'ready'} fallback={<p class="muted loading">Загрузка данных…</p>}>
            <NotebookView />
          </Show>
        </main>
      </div>
      <Show when={dragging()}>
        <div class="drop-overlay" data-testid="drop-overlay">
          Отпустите файлы, чтобы загрузить их (CSV, TSV, XLSX, Parquet, JSON)
        </div>
      </Show>
    </div>
  );
}
