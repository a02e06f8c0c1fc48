/**
 * The data set in the data panel: which one is active and what it covers, the consent question
 * before canonical tables are cleared or replaced, the undo of the last change, and the
 * pseudonym key shown once (src/app/dataset.ts, src/app/salt.ts).
 */
import { For, Show, createResource, createSignal } from 'solid-js';
import { formatInteger } from '../format';
import { summaryLine, yearLine } from '../app/dataset-core';
import { activeDataset, backToDemo, confirmChange, consentQuestion, dataSummary, datasetRevision, pendingUndo, undoChange } from '../app/dataset';
import { acknowledgeSalt, currentSalt, freshSalt, saltFileText, setSalt } from '../app/salt';
import { describeError } from '../errors';
import './dataset.css';

export function DatasetSummary(props: { tablesKey: unknown }) {
  const [summary] = createResource(
    () => [props.tablesKey, datasetRevision(), activeDataset()] as const,
    () => dataSummary().catch(() => null),
  );
  return (
    <div class="dataset-summary" data-testid="data-summary" data-dataset={activeDataset()}>
      <Show when={summary()} fallback={<span class="muted">{activeDataset() === 'demo' ? 'Демонстрационные данные' : 'Ваши данные'}</span>}>
        {(s) => (
          <>
            <strong data-testid="data-summary-line">{summaryLine(s())}</strong>
            <ul class="dataset-years">
              <For each={s().perYear}>{(y) => <li data-testid={`data-summary-${y.year}`}>{yearLine(y)}</li>}</For>
            </ul>
          </>
        )}
      </Show>
      <Show when={activeDataset() === 'own'}>
        <button class="link" data-testid="back-to-demo" onClick={() => void backToDemo()}>
          Вернуться к демонстрационным данным
        </button>
      </Show>
    </div>
  );
}

export function ConsentDialog() {
  return (
    <Show when={consentQuestion()}>
      {(q) => (
        <div class="consent-backdrop">
          <section class="consent-dialog" role="alertdialog" aria-modal="true" aria-label="Замена данных" data-testid="consent-dialog">
            <h3>{q().plan.leaveDemo ? 'Перейти от демонстрационных данных к вашим?' : 'Заменить данные?'}</h3>
            <p>
              {q().plan.leaveDemo
                ? `Ваши данные${q().request.file ? ` («${q().request.file}»)` : ''} хранятся отдельно от демонстрационных. Будут убраны демонстрационные таблицы:`
                : `${q().request.file ? `«${q().request.file}»: ` : ''}будут заменены таблицы:`}
            </p>
            <ul data-testid="consent-tables">
              <For each={q().plan.cleared}>
                {(t) => (
                  <li data-testid={`consent-table-${t.table}`}>
                    {t.table} — {formatInteger(t.rows)} строк
                  </li>
                )}
              </For>
            </ul>
            <Show when={q().plan.ignored.length}>
              <p class="muted">Не таблицы модели данных, не загружаются: {q().plan.ignored.join(', ')}</p>
            </Show>
            <p class="muted">Прежние данные сохранятся, пока вы не подтвердите замену: их можно будет вернуть.</p>
            <div class="consent-actions">
              <button class="primary" data-testid="consent-accept" onClick={() => q().answer(true)}>
                {q().plan.leaveDemo ? 'Убрать демонстрационные и загрузить мои' : 'Заменить'}
              </button>
              <button data-testid="consent-cancel" onClick={() => q().answer(false)}>
                Отмена — ничего не менять
              </button>
            </div>
          </section>
        </div>
      )}
    </Show>
  );
}

export function UndoBar() {
  const [error, setError] = createSignal<string | null>(null);
  const run = (f: () => Promise<void>) => f().then(() => setError(null), (e) => setError(describeError(e)));
  return (
    <Show when={pendingUndo()}>
      {(u) => (
        <div class="undo-bar" data-testid="undo-bar" role="status">
          <span>
            {u().previous === 'demo' ? 'Демонстрационные данные убраны.' : `Таблицы заменены${u().file ? ` («${u().file}»)` : ''}.`} Прежние данные можно вернуть, пока
            вы не подтвердите.
          </span>
          <button data-testid="undo-keep" onClick={() => void run(confirmChange)}>
            Оставить новые
          </button>
          <button data-testid="undo-revert" onClick={() => void run(undoChange)}>
            Вернуть прежние данные
          </button>
          <Show when={error()}>
            <p class="error">{error()}</p>
          </Show>
        </div>
      )}
    </Show>
  );
}

export function SaltControls() {
  const [entering, setEntering] = createSignal(false);
  let input!: HTMLInputElement;
  const download = (key: string) => {
    const url = URL.createObjectURL(new Blob([saltFileText(key)], { type: 'text/plain;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'ключ-псевдонимизации.txt';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <div class="salt-controls">
      <Show when={freshSalt()}>
        {(key) => (
          <div class="salt-notice" role="alert" data-testid="salt-notice">
            <p>
              Создан ключ псевдонимизации вашего муниципалитета: <code data-testid="salt-value">{key()}</code>
            </p>
            <p>
              Ключ показывается один раз и не хранится вместе с данными. Скачайте его и храните отдельно; при загрузке данных на
              другом компьютере или в новой вкладке введите его снова, чтобы участники получили те же коды.
            </p>
            <button data-testid="salt-download" onClick={() => download(key())}>
              Скачать ключ (.txt)
            </button>
            <button data-testid="salt-ack" onClick={acknowledgeSalt}>
              Я сохранил ключ
            </button>
          </div>
        )}
      </Show>
      <Show
        when={entering()}
        fallback={
          <button class="link" data-testid="salt-enter" onClick={() => setEntering(true)}>
            {currentSalt() ? 'Ключ псевдонимизации задан' : 'Ввести ключ псевдонимизации'}
          </button>
        }
      >
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setSalt(input.value);
            setEntering(false);
          }}
        >
          <input ref={input} type="password" autocomplete="off" placeholder="Ключ из файла" data-testid="salt-input" />
          <button type="submit" data-testid="salt-save">
            Применить
          </button>
        </form>
      </Show>
    </div>
  );
}
