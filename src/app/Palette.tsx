/** The command palette (Ctrl+K) and the keyboard-shortcut help (H): two small modal dialogs. */
import { For, Show, createMemo, createSignal, onMount } from 'solid-js';
import { NOTEBOOK_KEYS, type Command } from './commands';

export function Palette(props: { commands: Command[]; onClose: () => void }) {
  const [query, setQuery] = createSignal('');
  const [index, setIndex] = createSignal(0);
  let input!: HTMLInputElement;
  const shown = createMemo(() => {
    const words = query().toLowerCase().split(/\s+/).filter(Boolean);
    return props.commands.filter((c) => words.every((w) => c.title.toLowerCase().includes(w)));
  });
  const run = (c: Command | undefined) => {
    if (!c) return;
    props.onClose();
    c.run();
  };
  onMount(() => input.focus());
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') props.onClose();
    else if (e.key === 'ArrowDown') setIndex((i) => Math.min(shown().length - 1, i + 1));
    else if (e.key === 'ArrowUp') setIndex((i) => Math.max(0, i - 1));
    else if (e.key === 'Enter') run(shown()[index()]);
    else return;
    e.preventDefault();
  };
  return (
    <div class="modal-backdrop" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
      <div class="palette" role="dialog" aria-label="Палитра команд" data-testid="palette">
        <input
          ref={input}
          placeholder="Команда или шаблон…"
          value={query()}
          onInput={(e) => (setQuery(e.currentTarget.value), setIndex(0))}
          onKeyDown={onKey}
          data-testid="palette-input"
        />
        <ul>
          <For each={shown()}>
            {(c, i) => (
              <li classList={{ active: i() === index() }} onMouseEnter={() => setIndex(i())} onClick={() => run(c)} data-testid={`palette-${c.id}`}>
                <span>{c.title}</span>
                <Show when={c.keys}>
                  <kbd>{c.keys}</kbd>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </div>
    </div>
  );
}

export function Shortcuts(props: { commands: Command[]; onClose: () => void }) {
  let box!: HTMLDivElement;
  onMount(() => box.focus());
  return (
    <div class="modal-backdrop" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
      <div class="shortcuts" role="dialog" aria-label="Горячие клавиши" tabIndex={-1} ref={box} onKeyDown={(e) => e.key === 'Escape' && props.onClose()} data-testid="shortcuts">
        <h2>Горячие клавиши</h2>
        <table>
          <tbody>
            <For each={props.commands.filter((c) => c.keys)}>
              {(c) => (
                <tr>
                  <td><kbd>{c.keys}</kbd></td>
                  <td>{c.title}</td>
                </tr>
              )}
            </For>
            <For each={NOTEBOOK_KEYS}>
              {([k, t]) => (
                <tr>
                  <td><kbd>{k}</kbd></td>
                  <td>{t}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
        <button onClick={props.onClose} data-testid="shortcuts-close">Закрыть</button>
      </div>
    </div>
  );
}
