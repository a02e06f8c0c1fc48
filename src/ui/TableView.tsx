/** A table's preview (first rows, virtualised) and per-column profile. */
import { For, Show, createResource, createSignal, onCleanup } from 'solid-js';
import type { Table } from 'apache-arrow';
import type { TableInfo } from '../db/connector';
import { db, qualified } from '../db/browser-connector';
import { describeError } from '../errors';
import { formatInteger } from '../format';
import { ResultTable } from './ResultTable';
import { TableExport } from './export/TableExport';
import { Histogram } from './Histogram';
import { profileColumn, type ColumnProfile } from './profile';

const PREVIEW_ROWS = 1000;

export function TableView(props: { table: TableInfo; onClose: () => void }) {
  const [preview] = createResource(
    () => props.table,
    (t): Promise<Table> => db.query({ type: 'arrow', sql: `SELECT * FROM ${qualified(t.name)} LIMIT ${PREVIEW_ROWS}` }),
  );
  const [profiles, setProfiles] = createSignal<ColumnProfile[]>([]);
  const [profileError, setProfileError] = createSignal<string | null>(null);
  let alive = true;
  onCleanup(() => (alive = false));
  createResource(
    () => props.table,
    async (t) => {
      setProfiles([]);
      setProfileError(null);
      try {
        for (const c of t.columns) {
          const p = await profileColumn(db, t.name, c);
          if (!alive || props.table !== t) return;
          setProfiles((list) => [...list, p]);
        }
      } catch (e) {
        console.error(e);
        setProfileError(describeError(e));
      }
      return true;
    },
  );
  return (
    <section class="table-view" data-testid="data-preview" data-table={props.table.name}>
      <header class="table-view-head">
        <h2>
          {props.table.name} <span class="muted">· {formatInteger(props.table.rowCount)} строк</span>
        </h2>
        <button class="close" onClick={() => props.onClose()} data-testid="data-preview-close" title="Закрыть">
          ×
        </button>
      </header>
      <Show when={preview.error}>
        <p class="error">{describeError(preview.error)}</p>
      </Show>
      <Show when={preview()}>{(t) => <ResultTable table={t()} height={300} testId="preview-table" footer={false} />}</Show>
      <TableExport table={() => db.query({ type: 'arrow', sql: `SELECT * FROM ${qualified(props.table.name)}` })} name={props.table.name} grid={preview()} />
      <Show when={props.table.rowCount > PREVIEW_ROWS}>
        <p class="muted">Показаны первые {formatInteger(PREVIEW_ROWS)} строк.</p>
      </Show>
      <h3>Профиль столбцов</h3>
      <Show when={profileError()}>
        <p class="error">{profileError()}</p>
      </Show>
      <div class="profiles" data-testid="column-profile">
        <For each={profiles()}>
          {(p) => (
            <div class="profile" data-testid={`profile-${p.name}`} data-nulls={p.nulls} data-distinct={p.distinct} data-min={p.min ?? ''} data-max={p.max ?? ''}>
              <div class="profile-name" title={p.type}>
                {p.name} <span class="col-type">{p.type}</span>
              </div>
              <div class="profile-stats">
                пусто: {formatInteger(p.nulls)} · различных: {formatInteger(p.distinct)}
                <Show when={p.min !== null}>
                  <br />
                  мин: {p.min} · макс: {p.max}
                </Show>
              </div>
              <Histogram bars={p.bars} />
            </div>
          )}
        </For>
      </div>
    </section>
  );
}
