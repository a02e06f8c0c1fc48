/**
 * Jupyter keys in command mode (Esc): A/B add above/below, D D delete, Z undo deletion, Enter
 * edit, ↑/↓ (j/k) select, Shift+Enter run and select the next cell. Russian layout letters too.
 */
import type { NotebookStore } from '../store';

export interface CommandHandlers {
  run(id: string): void;
  edit(id: string): void;
  undo(): void;
}

export function commandKeys(store: NotebookStore, on: CommandHandlers): (e: KeyboardEvent) => void {
  let lastD = 0;
  return (e) => {
    const t = e.target as HTMLElement;
    if (t.closest('.monaco-editor, input, select, textarea, button')) return;
    const { data, selected: id } = store.state;
    const index = id ? data.cells.findIndex((c) => c.id === id) : -1;
    const key = e.key;
    const letter = (set: string) => key.length === 1 && set.includes(key);
    if (key === 'Enter' && e.shiftKey) {
      if (id) {
        on.run(id);
        store.do('selectNext', 1);
      }
    } else if (key === 'Enter') {
      if (id) on.edit(id);
    } else if (letter('aAфФ')) store.do('addCell', 'sql', Math.max(0, index));
    else if (letter('bBиИ')) store.do('addCell', 'sql', index + 1);
    else if (letter('dDвВ')) {
      const now = Date.now();
      if (now - lastD < 800 && id) {
        store.do('deleteCell', id);
        lastD = 0;
      } else lastD = now;
    } else if (letter('zZяЯ')) on.undo();
    else if (key === 'ArrowDown' || key === 'j') store.do('selectNext', 1);
    else if (key === 'ArrowUp' || key === 'k') store.do('selectNext', -1);
    else return;
    e.preventDefault();
  };
}
