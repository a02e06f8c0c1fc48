/**
 * The trust prompt of an opened notebook. It is a modal <dialog> portalled to <body>: the
 * browser puts it in the top layer (above anything the notebook's content could draw) and makes
 * the rest of the page inert while it is open, so no overlay from a notebook can turn a click
 * into trust. Until the user trusts, no cell of the notebook runs.
 */
import { Show, onMount } from 'solid-js';
import { Portal } from 'solid-js/web';

export function TrustDialog(props: { hasTs: boolean; onTrust: () => void }) {
  let dialog!: HTMLDialogElement;
  const show = () => {
    if (!dialog.open) dialog.showModal();
  };
  onMount(show);
  const accept = () => {
    dialog.close();
    props.onTrust();
  };
  return (
    <>
      <div class="nb-trust" role="status" data-testid="nb-trust">
        Блокнот открыт из файла: ни одна его ячейка не выполнялась.
        <button onClick={show} data-testid="nb-trust-review">Проверить и выполнить…</button>
      </div>
      <Portal>
        <dialog ref={dialog} class="nb-trust-dialog" data-testid="nb-trust-dialog" aria-labelledby="nb-trust-title">
          <h3 id="nb-trust-title">Выполнить блокнот из файла?</h3>
          <p>
            Блокнот получен не из этого приложения. Его запросы могут изменить или удалить загруженные таблицы
            <Show when={props.hasTs}>, а ячейки TypeScript выполняют программный код</Show>. Пока вы не доверились ему, ничего не выполняется: можно
            прочитать код ячеек и решить.
          </p>
          <p>Выполняйте, только если доверяете источнику файла.</p>
          <div class="nb-trust-buttons">
            <button autofocus onClick={() => dialog.close()} data-testid="nb-trust-decline">Не выполнять</button>
            <button class="primary" onClick={accept} data-testid="nb-trust-accept">Доверять и выполнить</button>
          </div>
        </dialog>
      </Portal>
    </>
  );
}
