/** Per-file import progress bars and messages. */
import { For, Show } from 'solid-js';
import type { ImportJob } from '../app/state';

export function ImportList(props: { jobs: ImportJob[]; onClear: () => void }) {
  return (
    <Show when={props.jobs.length}>
      <section class="import-list" aria-label="Загрузка файлов">
        <For each={props.jobs}>
          {(j) => (
            <div class="import-job" classList={{ [j.status]: true }} data-testid={`import-progress-${j.file}`} data-status={j.status}>
              <div class="import-file">
                <span>{j.file}</span> <span class="muted">{j.stage}</span>
              </div>
              <progress max="1" value={j.status === 'error' ? 1 : j.fraction} />
              <Show when={j.error}>
                <p class="error" data-testid="import-error" role="alert">
                  {j.error}
                </p>
              </Show>
              <For each={j.warnings ?? []}>
                {(w) => (
                  <p class="import-warning" data-testid="import-warning">
                    {w}
                  </p>
                )}
              </For>
              <Show when={j.status === 'done' && j.tables.length}>
                <p class="muted">Таблицы: {j.tables.join(', ')}</p>
              </Show>
            </div>
          )}
        </For>
        <Show when={props.jobs.every((j) => j.status === 'done' || j.status === 'error')}>
          <button class="link" onClick={() => props.onClear()} data-testid="import-clear">
            Скрыть
          </button>
        </Show>
      </section>
    </Show>
  );
}
