/**
 * The notebook store without a browser: named actions over cell data and editing state, the
 * kind registry behind new cells, and the pure status transitions of the runtime.
 */
import { expect, test } from 'vitest';
import { parseNotebook, serializeNotebook } from '../../../src/notebook/format';
import { CELL_KINDS, cellKind } from '../../../src/notebook/kinds';
import type { CellResult } from '../../../src/notebook/model';
import * as status from '../../../src/notebook/status';
import { actions, editorState, NotebookStore, type EditorState } from '../../../src/notebook/store';

const TEXT = '---\ntitle: Проба\n---\n\n```sql id=a name=q1\nSELECT 1 AS x\n```\n\n```sql id=b name=q2\nSELECT 2 AS y\n```\n\n<!-- cell id=c -->\nТекст\n';
const start = (opts: { readOnly?: boolean } = {}) => editorState(parseNotebook(TEXT), opts);
const ids = (s: EditorState) => s.data.cells.map((c) => c.id);

test('a new cell of each kind comes from its registry record: source, unique name, position, selection', () => {
  let s = start();
  s = actions.addCell(s, 'sql', 1);
  const added = s.data.cells[1];
  expect(added.kind).toBe('sql');
  expect(added.source).toBe(cellKind('sql').newSource);
  // q1 and q2 are taken: the next free SQL name is q3.
  expect(added.name).toBe('q3');
  expect(s.selected).toBe(added.id);
  expect(ids(s)).toEqual(['a', added.id, 'b', 'c']);
  s = actions.addCell(s, 'md', 99);
  const md = s.data.cells.at(-1)!;
  expect([md.kind, md.name, s.editingMd.has(md.id)]).toEqual(['md', undefined, true]);
  expect(new Set(ids(s)).size).toBe(5);
  expect(CELL_KINDS.map((k) => k.kind).sort()).toEqual(['md', 'param', 'sql', 'ts', 'vega-lite']);
});

test('delete, undo in reverse order, move within bounds; the text round-trips', () => {
  let s = start();
  s = actions.deleteCell(s, 'a');
  expect([ids(s), s.selected]).toEqual([['b', 'c'], 'b']);
  s = actions.deleteCell(s, 'c');
  expect([ids(s), s.selected]).toEqual([['b'], 'b']);
  s = actions.undoDelete(s);
  expect([ids(s), s.selected]).toEqual([['b', 'c'], 'c']);
  s = actions.undoDelete(s);
  expect(ids(s)).toEqual(['a', 'b', 'c']);
  expect(actions.undoDelete(s)).toBe(s);
  s = actions.moveCell(s, 'c', -1);
  expect(ids(s)).toEqual(['a', 'c', 'b']);
  expect(actions.moveCell(s, 'a', -1)).toBe(s);
  s = actions.moveCell(s, 'c', 1);
  expect(serializeNotebook(s.data)).toBe(TEXT);
});

test('a read-only notebook (a template) ignores every edit but selection', () => {
  const s = start({ readOnly: true });
  expect(actions.addCell(s, 'sql', 0)).toBe(s);
  expect(actions.deleteCell(s, 'a')).toBe(s);
  expect(actions.editSource(s, 'a', 'DROP TABLE x')).toBe(s);
  expect(actions.updateCell(s, 'a', { name: 'z' })).toBe(s);
  expect(actions.setTitle(s, 'x')).toBe(s);
  expect(actions.editMarkdown(s, 'c', true)).toBe(s);
  expect(actions.selectNext(s, 1).selected).toBe('b');
  expect(actions.selectNext(actions.select(s, 'c'), 1).selected).toBe('c');
});

test('the store reports data changes to onData and every change to subscribers', () => {
  const seen: string[] = [];
  const store = new NotebookStore(start(), (data, before) => seen.push(`${before.cells.length}→${data.cells.length}`));
  const states: (string | null)[] = [];
  const off = store.subscribe((s) => states.push(s.selected));
  store.do('select', 'b');
  store.do('select', 'b');
  store.do('editSource', 'b', 'SELECT 3 AS y');
  store.do('addCell', 'ts', 3);
  off();
  store.do('select', 'a');
  expect(seen).toEqual(['3→3', '3→4']);
  expect(states.length).toBe(3);
  expect(store.state.data.cells.find((c) => c.id === 'b')!.source).toBe('SELECT 3 AS y');
  expect(store.state.data.cells[3].name).toBe('t1');
  expect(store.do('trust').trusted).toBe(true);
});

test('status transitions: a run counts once, failures drop the result, cancels keep it, edits make it stale', () => {
  const table: CellResult = { kind: 'value', value: 42 };
  let s = status.initialState(['x']);
  expect(status.invalidated(s).status).toBe('idle');
  s = status.running(status.queued(s));
  expect([s.status, s.runCount]).toEqual(['running', 1]);
  s = status.done(s, table, 5);
  expect([s.status, s.result, s.durationMs]).toEqual(['done', table, 5]);
  expect(status.invalidated(s).status).toBe('stale');
  expect(status.lostTables(s).status).toBe('stale');
  const c = status.cancelled(status.running(s));
  expect([c.status, c.result, c.error, c.runCount]).toEqual(['cancelled', table, 'Выполнение отменено', 2]);
  const f = status.failed(status.running(s), 'Ошибка');
  expect([f.status, f.result, f.error]).toEqual(['error', undefined, 'Ошибка']);
  expect(status.invalidated(f)).toMatchObject({ status: 'stale', error: undefined });
  expect([status.isBusy(status.queued(s)), status.isBusy(s), status.isBusy(undefined)]).toEqual([true, false, false]);
});

test('the chart builder adds a chart cell right after its source, reading it by name; the file carries data=<name>', () => {
  const spec = '{\n  "mark": {\n    "type": "bar"\n  }\n}';
  let s = actions.addChartCell(start(), 'a', spec);
  const chart = s.data.cells[1];
  expect(ids(s)).toEqual(['a', chart.id, 'b', 'c']);
  expect([chart.kind, chart.source, chart.attrs, s.selected]).toEqual(['vega-lite', spec, { data: 'q1' }, chart.id]);
  const text = serializeNotebook(s.data);
  expect(text).toContain(`\`\`\`vega-lite id=${chart.id} data=q1\n${spec}\n\`\`\``);
  expect(parseNotebook(text).cells[1]).toMatchObject({ id: chart.id, kind: 'vega-lite', attrs: { data: 'q1' }, source: spec });
  // A source without a name gets the first free one first (q1 is taken by cell a).
  s = actions.updateCell(s, 'b', { name: undefined });
  s = actions.addChartCell(s, 'b', spec);
  expect(s.data.cells.find((c) => c.id === 'b')!.name).toBe('q2');
  expect(s.data.cells[3]).toMatchObject({ kind: 'vega-lite', attrs: { data: 'q2' } });
  expect(actions.addChartCell(s, 'nope', spec)).toBe(s);
  const ro = start({ readOnly: true });
  expect(actions.addChartCell(ro, 'a', spec)).toBe(ro);
});

test('collapsing is view state: per cell or all at once, also in a template, never a data change', () => {
  const seen: number[] = [];
  const store = new NotebookStore(start({ readOnly: true }), (data) => seen.push(data.cells.length));
  expect(store.do('toggleCollapsed', 'b').collapsed).toEqual(new Set(['b']));
  expect(store.do('toggleCollapsed', 'b').collapsed).toEqual(new Set());
  expect(store.do('toggleCollapsed', 'nope').collapsed).toEqual(new Set());
  expect(store.do('collapseAll', true).collapsed).toEqual(new Set(['a', 'b', 'c']));
  const all = store.state;
  expect(store.do('collapseAll', true)).toBe(all);
  expect(store.do('collapseAll', false).collapsed).toEqual(new Set());
  expect(seen).toEqual([]);
  // Restored from storage: ids of cells that no longer exist are dropped.
  expect(editorState(parseNotebook(TEXT), { collapsed: ['c', 'gone'] }).collapsed).toEqual(new Set(['c']));
});
