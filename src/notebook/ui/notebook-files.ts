/**
 * Helpers of the notebook view (NotebookView.tsx): a notebook to and from a file (the download of
 * the open one, a picked file read as a new notebook, a copy) and the cells' state signals.
 */
import { createSignal, type Accessor, type Setter } from 'solid-js';
import { parseNotebook, serializeNotebook } from '../format';
import type { CellRuntimeState, NotebookData } from '../model';

/** One signal per cell id with the cell's runtime state, created on first use. */
export function cellStateSignals() {
  const signals = new Map<string, [Accessor<CellRuntimeState | undefined>, Setter<CellRuntimeState | undefined>]>();
  const stateSignal = (id: string) => {
    let s = signals.get(id);
    if (!s) signals.set(id, (s = createSignal<CellRuntimeState | undefined>(undefined, { equals: false })));
    return s;
  };
  return { signals, stateSignal, stateOf: (id: string) => stateSignal(id)[0]() };
}

/** The open notebook as the text and title of a new own notebook. */
export function copyOfNotebook(data: NotebookData): { text: string; title: string } {
  const title = `${data.frontMatter.title ?? 'Блокнот'} (копия)`;
  return { text: serializeNotebook({ ...data, frontMatter: { ...data.frontMatter, title } }), title };
}

export function downloadNotebook(data: NotebookData): void {
  const blob = new Blob([serializeNotebook(data)], { type: 'text/markdown;charset=utf-8' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${(data.frontMatter.title ?? 'notebook').replace(/[\\/:*?"<>|]/g, '_')}.md`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** The file's text and title, or the Russian message saying why it is not a notebook. */
export async function readNotebookFile(file: File): Promise<{ text: string; title: string } | { error: string }> {
  const text = await file.text();
  try {
    const nb = parseNotebook(text);
    return { text, title: nb.frontMatter.title ?? file.name.replace(/\.md$/i, '') };
  } catch (e) {
    return { error: `Файл «${file.name}»: не удалось прочитать блокнот: ${(e as Error).message}` };
  }
}

/** `fn` as `run`, and how many of its calls have not ended yet. */
export function inProgress<A extends unknown[]>(fn: (...args: A) => Promise<void>): { run: (...args: A) => Promise<void>; count: () => number } {
  let n = 0;
  const run = async (...args: A) => {
    n++;
    try {
      await fn(...args);
    } finally {
      n--;
    }
  };
  return { run, count: () => n };
}
