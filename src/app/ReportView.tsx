/**
 * Report view around the notebook: code hidden (one toggle shows it), the parameter bar sticky
 * and an outline of the notebook's headings. Read-only notebooks (templates) open as reports;
 * the user's own notebooks open with their code. The choice is remembered per kind.
 */
import { For, Show, createResource, createSignal, onCleanup, onMount, type JSX } from 'solid-js';
import { dataSummary, datasetRevision } from './dataset';
import { summaryLine } from './dataset-core';
import { tables } from './state';

export type CodeMode = 'auto' | 'shown' | 'hidden';
const KEY = 'msoko.codeMode';
const [codeMode, setCodeModeSignal] = createSignal<CodeMode>((localStorage.getItem(KEY) as CodeMode | null) ?? 'auto');
export { codeMode };
export function setCodeMode(mode: CodeMode): void {
  localStorage.setItem(KEY, mode);
  setCodeModeSignal(mode);
}

/** Whether a notebook is shown as a report (auto: read-only notebooks, i.e. templates, are). */
export const isReport = (readOnly: boolean): boolean => codeMode() === 'hidden' || (codeMode() === 'auto' && readOnly);

export function CodeToggle(props: { report: boolean }) {
  return (
    <button
      onClick={() => setCodeMode(props.report ? 'shown' : 'hidden')}
      data-testid="code-toggle"
      title="Переключить между отчётом и кодом ячеек (клавиша C)"
    >
      {props.report ? 'Показать код' : 'Скрыть код'}
    </button>
  );
}

interface Heading {
  id: string;
  text: string;
  level: number;
}

/** The notebook with its report chrome: code toggle, outline of headings, report styling. */
export function NotebookChrome(props: { hidden: boolean; children: JSX.Element }) {
  let main!: HTMLDivElement;
  const [items, setItems] = createSignal<Heading[]>([]);
  const [readOnly, setReadOnly] = createSignal(false);
  onMount(() => {
    const scan = () => {
      setReadOnly(!!main.querySelector('[data-testid=nb-readonly]'));
      const found = [...main.querySelectorAll<HTMLElement>('.nb-md h1, .nb-md h2, .nb-md h3')].map((h, i) => {
        if (!h.id) h.id = `outline-${i}`;
        return { id: h.id, text: h.textContent ?? '', level: Number(h.tagName.slice(1)) };
      });
      const old = items();
      if (found.length !== old.length || found.some((f, i) => f.text !== old[i]!.text || f.id !== old[i]!.id)) setItems(found);
    };
    let pending = false;
    const observer = new MutationObserver(() => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => ((pending = false), scan()));
    });
    observer.observe(main, { childList: true, subtree: true, characterData: true });
    scan();
    onCleanup(() => observer.disconnect());
  });
  const report = () => isReport(readOnly());
  // Which data the numbers below come from, so that a partial load is seen where they are read.
  const [summary] = createResource(() => [tables(), datasetRevision()] as const, () => dataSummary());
  return (
    <div class="notebook-host" classList={{ report: report() }} hidden={props.hidden} data-testid="notebook-host" data-report={report() ? 'true' : 'false'}>
      <div class="notebook-main" ref={main}>
        <div class="notebook-tools">
          <span class="notebook-data" data-testid="notebook-data">
            {summary() ? summaryLine(summary()!) : ''}
          </span>
          <CodeToggle report={report()} />
        </div>
        {props.children}
      </div>
      <Show when={items().length > 1}>
        <nav class="outline" data-testid="outline" aria-label="Содержание">
          <div class="outline-title">Содержание</div>
          <For each={items()}>
            {(h) => (
              <a
                href="#/notebook"
                class={`outline-l${h.level}`}
                onClick={(e) => {
                  e.preventDefault();
                  document.getElementById(h.id)?.scrollIntoView({ block: 'start' });
                }}
              >
                {h.text}
              </a>
            )}
          </For>
        </nav>
      </Show>
    </div>
  );
}
