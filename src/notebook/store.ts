/**
 * The notebook being edited, apart from any view: cell data (what is saved) and editing state
 * (selection, Markdown cells open for editing, deleted cells to bring back), changed only by
 * named actions. Each action is a pure function `(state, …) → state`; `NotebookStore` applies
 * them, tells subscribers, and hands every change of the notebook's data to `onData` (the
 * runtime and the autosave). The notebook view and a report view both build on it.
 * Collapsed cells are view state like the selection: never part of the notebook's data.
 */
import { newCellId } from './format';
import { cellKind } from './kinds';
import type { CellData, CellKind, NotebookData } from './model';

export interface EditorState {
  data: NotebookData;
  selected: string | null;
  /** Markdown cells shown as source for editing. */
  editingMd: ReadonlySet<string>;
  /** Deleted cells with their former index, most recent last (Z brings back). */
  deleted: readonly { cell: CellData; index: number }[];
  readOnly: boolean;
  /** Whether the notebook's cells may run (an opened file waits for the user). */
  trusted: boolean;
  /** Cells shown as one summary line (editor and result hidden). */
  collapsed: ReadonlySet<string>;
}

export function editorState(data: NotebookData, opts: { readOnly?: boolean; trusted?: boolean; collapsed?: Iterable<string> } = {}): EditorState {
  const ids = new Set(data.cells.map((c) => c.id));
  return {
    data,
    selected: data.cells[0]?.id ?? null,
    editingMd: new Set(),
    deleted: [],
    readOnly: opts.readOnly ?? false,
    trusted: opts.trusted ?? true,
    collapsed: new Set([...(opts.collapsed ?? [])].filter((id) => ids.has(id))),
  };
}

const withCells = (s: EditorState, cells: CellData[]): EditorState => ({ ...s, data: { ...s.data, cells } });
const indexOf = (s: EditorState, id: string | null) => (id ? s.data.cells.findIndex((c) => c.id === id) : -1);
const setHas = (set: ReadonlySet<string>, id: string, on: boolean) => {
  const n = new Set(set);
  if (on) n.add(id);
  else n.delete(id);
  return n;
};

/** A name `<prefix><n>` no cell uses yet. */
export function uniqueName(cells: readonly CellData[], prefix: string): string {
  const used = new Set(cells.map((c) => c.name?.toLowerCase()));
  let i = 1;
  while (used.has(`${prefix}${i}`)) i++;
  return `${prefix}${i}`;
}

/** Pure actions. Edits of a read-only notebook return the state unchanged. */
export const actions = {
  editSource(s: EditorState, id: string, source: string): EditorState {
    if (s.readOnly) return s;
    return withCells(s, s.data.cells.map((c) => (c.id === id ? { ...c, source } : c)));
  },
  updateCell(s: EditorState, id: string, patch: Partial<Omit<CellData, 'id'>>): EditorState {
    if (s.readOnly) return s;
    return withCells(s, s.data.cells.map((c) => (c.id === id ? { ...c, ...patch } : c)));
  },
  setTitle(s: EditorState, title: string): EditorState {
    if (s.readOnly) return s;
    return { ...s, data: { ...s.data, frontMatter: { ...s.data.frontMatter, title } } };
  },
  addCell(s: EditorState, kind: CellKind, index: number): EditorState {
    if (s.readOnly) return s;
    const def = cellKind(kind);
    const cell: CellData = { id: newCellId(s.data.cells.map((c) => c.id)), kind, source: def.newSource, attrs: {} };
    if (def.namePrefix) cell.name = uniqueName(s.data.cells, def.namePrefix);
    const cells = [...s.data.cells];
    cells.splice(Math.max(0, Math.min(index, cells.length)), 0, cell);
    return { ...withCells(s, cells), selected: cell.id, editingMd: kind === 'md' ? setHas(s.editingMd, cell.id, true) : s.editingMd };
  },
  deleteCell(s: EditorState, id: string): EditorState {
    const index = indexOf(s, id);
    if (s.readOnly || index < 0) return s;
    const cells = s.data.cells.filter((c) => c.id !== id);
    return { ...withCells(s, cells), deleted: [...s.deleted, { cell: s.data.cells[index], index }], selected: cells[Math.min(index, cells.length - 1)]?.id ?? null };
  },
  undoDelete(s: EditorState): EditorState {
    const last = s.deleted.at(-1);
    if (!last || s.readOnly) return s;
    const cells = [...s.data.cells];
    cells.splice(Math.min(last.index, cells.length), 0, last.cell);
    return { ...withCells(s, cells), deleted: s.deleted.slice(0, -1), selected: last.cell.id };
  },
  moveCell(s: EditorState, id: string, delta: number): EditorState {
    const i = indexOf(s, id);
    const j = i + delta;
    if (s.readOnly || i < 0 || j < 0 || j >= s.data.cells.length) return s;
    const cells = [...s.data.cells];
    [cells[i], cells[j]] = [cells[j], cells[i]];
    return withCells(s, cells);
  },
  select(s: EditorState, id: string | null): EditorState {
    return s.selected === id ? s : { ...s, selected: id };
  },
  /** ↓ / ↑ in command mode; stays put at either end. */
  selectNext(s: EditorState, delta: 1 | -1): EditorState {
    const next = s.data.cells[indexOf(s, s.selected) + delta];
    return next ? { ...s, selected: next.id } : s;
  },
  editMarkdown(s: EditorState, id: string, on: boolean): EditorState {
    if (on && s.readOnly) return s;
    return s.editingMd.has(id) === on ? s : { ...s, editingMd: setHas(s.editingMd, id, on) };
  },
  trust(s: EditorState): EditorState {
    return s.trusted ? s : { ...s, trusted: true };
  },
  /**
   * The chart builder's result: a chart cell right after the source cell, reading its rows by
   * name (`data=<name>`); a source without a name gets one first.
   */
  addChartCell(s: EditorState, sourceId: string, spec: string): EditorState {
    const i = indexOf(s, sourceId);
    if (s.readOnly || i < 0) return s;
    const cells = [...s.data.cells];
    let source = cells[i]!;
    if (!source.name) {
      source = { ...source, name: uniqueName(cells, cellKind(source.kind).namePrefix ?? 'r') };
      cells[i] = source;
    }
    const chart: CellData = { id: newCellId(cells.map((c) => c.id)), kind: 'vega-lite', source: spec, attrs: { data: source.name! } };
    cells.splice(i + 1, 0, chart);
    return { ...withCells(s, cells), selected: chart.id };
  },
  toggleCollapsed(s: EditorState, id: string): EditorState {
    if (indexOf(s, id) < 0) return s;
    return { ...s, collapsed: setHas(s.collapsed, id, !s.collapsed.has(id)) };
  },
  /** «Свернуть все» / «Развернуть все». */
  collapseAll(s: EditorState, on: boolean): EditorState {
    if (!on) return s.collapsed.size ? { ...s, collapsed: new Set() } : s;
    const all = s.data.cells.map((c) => c.id);
    return all.every((id) => s.collapsed.has(id)) ? s : { ...s, collapsed: new Set(all) };
  },
};

export type ActionName = keyof typeof actions;
type Args<K extends ActionName> = (typeof actions)[K] extends (s: EditorState, ...a: infer A) => EditorState ? A : never;

export class NotebookStore {
  private listeners = new Set<(s: EditorState) => void>();

  constructor(
    private current: EditorState,
    /** Called when the notebook's data changed (not on selection or view-only changes). */
    private onData?: (data: NotebookData, previous: NotebookData) => void,
  ) {}

  get state(): EditorState {
    return this.current;
  }

  /** Applies a named action; subscribers hear of it, `onData` only when the data changed. */
  do<K extends ActionName>(name: K, ...args: Args<K>): EditorState {
    const before = this.current;
    const next = (actions[name] as unknown as (s: EditorState, ...a: Args<K>) => EditorState)(before, ...args);
    if (next === before) return next;
    this.current = next;
    if (next.data !== before.data) this.onData?.(next.data, before.data);
    for (const l of this.listeners) l(next);
    return next;
  }

  /** Another notebook was opened: a new state, no `onData` (nothing was edited). */
  replace(state: EditorState): void {
    this.current = state;
    for (const l of this.listeners) l(state);
  }

  subscribe(listener: (s: EditorState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
