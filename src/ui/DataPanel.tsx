/**
 * Left panel: the active data set (demo or own) and what it covers, the consent question and undo
 * of changes to canonical tables, the pseudonym key, and the tables in the database with row
 * counts, columns and types; a table whose save failed is marked «не сохранена» with the reason.
 */
import { For, Show, createSignal, onCleanup } from 'solid-js';
import type { TableInfo } from '../db/connector';
import { formatInteger } from '../format';
import { onUnsavedChange, unsavedTables } from '../storage/tables';
import { ConsentDialog, DatasetSummary, SaltControls, UndoBar } from './DatasetControls';

export interface DataPanelProps {
  tables: TableInfo[];
  selected: string | null;
  onSelect: (name: string) => void;
}

export function DataPanel(props: DataPanelProps) {
  const [open, setOpen] = createSignal<Record<string, boolean>>({});
  const toggle = (name: string) => setOpen((o) => ({ ...o, [name]: !o[name] }));
  const [unsaved, setUnsaved] = createSignal(new Map(unsavedTables()));
  onCleanup(onUnsavedChange(() => setUnsaved(new Map(unsavedTables()))));
  return (
    <nav class="data-panel" aria-label="Таблицы">
      <h2>Данные</h2>
      <DatasetSummary tablesKey={props.tables} />
      <UndoBar />
      <SaltControls />
      <ConsentDialog />
      <Show when={props.tables.length} fallback={<p class="muted">Таблиц пока нет. Перетащите файлы в окно.</p>}>
        <ul class="table-list" data-testid="table-list">
          <For each={props.tables}>
            {(t) => (
              <li
                class="table-item"
                classList={{ selected: props.selected === t.name }}
                data-testid={`table-item-${t.name}`}
                data-rows={t.rowCount}
              >
                <div class="table-row">
                  <button class="twisty" onClick={() => toggle(t.name)} aria-label="Столбцы" data-testid={`table-toggle-${t.name}`}>
                    {open()[t.name] ? '▾' : '▸'}
                  </button>
                  <button class="table-name" onClick={() => props.onSelect(t.name)} title="Показать таблицу">
                    {t.name}
                  </button>
                  <span class="table-count" data-testid={`table-rows-${t.name}`}>
                    {formatInteger(t.rowCount)}
                  </span>
                  <Show when={unsaved().get(t.name)}>
                    {(reason) => (
                      <span class="table-unsaved" data-testid={`table-unsaved-${t.name}`} title={reason()}>
                        не сохранена
                      </span>
                    )}
                  </Show>
                </div>
                <Show when={open()[t.name]}>
                  <ul class="column-list" data-testid={`table-columns-${t.name}`}>
                    <For each={t.columns}>
                      {(c) => (
                        <li>
                          <span class="col-name">{c.name}</span> <span class="col-type">{c.type}</span>
                        </li>
                      )}
                    </For>
                  </ul>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </nav>
  );
}
