/**
 * The result grid: a virtualised read-only grid over an Arrow table (only visible rows are
 * rendered, cells are read lazily, so 1,000,000 rows scroll smoothly) that reads as a report:
 * Russian column titles, school names with the code on hover, shares as percents. Headers sort
 * on click, a search box filters, column edges drag to resize, long text wraps.
 *
 *   <ResultTable table={arrowTable} height={400} testId="cell-result" />
 */
import { For, Show, createEffect, createMemo, createSignal, on, type JSX, type Signal } from 'solid-js';
import { createVirtualizer } from '@tanstack/solid-virtual';
import type { Table } from 'apache-arrow';
import { formatInteger, schoolNames } from '../format';
import { PLAIN_VIEW, gridCellHover, gridCellText, gridColumns, hasLongText, initialWidth, plural, viewRows, type GridColumn, type GridView, type SortState } from './grid';
import { watchSchoolNames } from './school-names';
import './ui.css';
import './result-table.css';

export interface ResultTableProps {
  table: Table;
  /** Height of the scroll area in px (default 360). */
  height?: number;
  /** data-testid of the root element (default `result-table`). */
  testId?: string;
  /** Show the «N строк» line under the grid (default true). */
  footer?: boolean;
}

const views = new WeakMap<Table, Signal<GridView>>();
function viewSignal(table: Table): Signal<GridView> {
  let s = views.get(table);
  if (!s) views.set(table, (s = createSignal<GridView>(PLAIN_VIEW)));
  return s;
}

/**
 * The sort and search of the grid showing `table` (reactive; the plain view when no grid shows
 * it), so an export of the same result follows what the user sees without the two being wired.
 */
export const gridViewOf = (table: Table): GridView => viewSignal(table)[0]();

const ROW_HEIGHT = 26;
const ROWNUM_WIDTH = 56;
/** Narrowest a wrapping long-text column gets; it grows into the room the grid has. */
const LONG_MIN_WIDTH = 220;

export function ResultTable(props: ResultTableProps): JSX.Element {
  watchSchoolNames();
  let scroller!: HTMLDivElement;
  const cols = createMemo(() => gridColumns(props.table));
  const [widths, setWidths] = createSignal<number[]>([]);
  const [sort, setSort] = createSignal<SortState | null>(null);
  const [query, setQuery] = createSignal('');
  const [wrap, setWrap] = createSignal(false);
  const [longCols, setLongCols] = createSignal<boolean[]>([]);
  createEffect(
    on(cols, (cs) => {
      const n = props.table.numRows;
      setWidths(cs.map((c) => initialWidth(c, n, schoolNames())));
      const long = cs.map((c) => hasLongText(c, n, schoolNames()));
      setLongCols(long);
      setWrap(long.some(Boolean));
      setSort(null);
    }),
  );

  const view = createMemo<GridView>(() => ({ sort: sort(), query: query() }));
  // The export beside the grid reads the view to write what the grid shows.
  createEffect(() => viewSignal(props.table)[1](view()));
  const rows = createMemo<Uint32Array | null>(() => viewRows(props.table.numRows, cols(), view(), schoolNames()));
  const count = () => rows()?.length ?? props.table.numRows;
  const rowAt = (k: number) => rows()?.[k] ?? k;

  // With wrapping on, long-text columns take the room left in the grid, so their text is read
  // without scrolling sideways.
  const template = createMemo(() => {
    const grow = wrap();
    return `${ROWNUM_WIDTH}px ${cols().map((_, j) => (grow && longCols()[j] ? `minmax(${LONG_MIN_WIDTH}px, 1fr)` : `${widths()[j] ?? 120}px`)).join(' ')}`;
  });
  const totalWidth = createMemo(() => ROWNUM_WIDTH + cols().reduce((s, _, j) => s + (wrap() && longCols()[j] ? LONG_MIN_WIDTH : (widths()[j] ?? 120)), 0));
  const gridWidth = () => (wrap() && longCols().some(Boolean) ? { width: '100%', 'min-width': `${totalWidth()}px` } : { width: `${totalWidth()}px` });

  const virtualizer = createVirtualizer({
    get count() {
      return count();
    },
    getScrollElement: () => scroller,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  createEffect(on([wrap, widths, rows], () => virtualizer.measure(), { defer: true }));

  const clickHeader = (j: number) => {
    const s = sort();
    setSort(!s || s.column !== j ? { column: j, dir: 'asc' } : s.dir === 'asc' ? { column: j, dir: 'desc' } : null);
  };

  return (
    <div class="result-table" data-testid={props.testId ?? 'result-table'} data-rows={props.table.numRows}>
      <div class="rt-tools">
        <input
          type="search"
          class="rt-search"
          placeholder="Поиск по таблице"
          value={query()}
          onInput={(e) => setQuery(e.currentTarget.value)}
          data-testid="grid-search"
          aria-label="Поиск по таблице"
        />
        <label class="rt-wrap-toggle" title="Показывать длинный текст целиком, в несколько строк">
          <input type="checkbox" checked={wrap()} onChange={(e) => setWrap(e.currentTarget.checked)} data-testid="grid-wrap" />
          переносить текст
        </label>
      </div>
      <div class="rt-scroll" ref={scroller} style={{ 'max-height': `${props.height ?? 360}px` }}>
        <div class="rt-header" style={{ 'grid-template-columns': template(), ...gridWidth() }}>
          <div class="rt-cell rt-rownum">#</div>
          <For each={cols()}>
            {(c, j) => (
              <HeaderCell
                title={c.title}
                hover={c.title === c.name ? `${c.name}: ${c.type}` : `${c.title} (${c.name}): ${c.type}`}
                numeric={c.numeric}
                sort={sort()?.column === j() ? sort()!.dir : null}
                onSort={() => clickHeader(j())}
                onResize={(dx) => setWidths((w) => w.map((x, k) => (k === j() ? Math.max(48, x + dx) : x)))}
                name={c.name}
              />
            )}
          </For>
        </div>
        <div class="rt-body" classList={{ 'rt-wrapped': wrap() }} style={{ height: `${virtualizer.getTotalSize()}px`, ...gridWidth() }}>
          <For each={virtualizer.getVirtualItems()}>
            {(item) => {
              // Virtual items are reused by index: the row shown at an index follows the sort and search.
              const i = () => rowAt(item.index);
              return (
                <div
                  class="rt-row"
                  data-row={i()}
                  data-index={item.index}
                  ref={(el) => queueMicrotask(() => wrap() && el.isConnected && virtualizer.measureElement(el))}
                  style={{ 'grid-template-columns': template(), transform: `translateY(${item.start}px)`, ...(wrap() ? { 'min-height': `${ROW_HEIGHT}px` } : { height: `${ROW_HEIGHT}px` }) }}
                >
                  <div class="rt-cell rt-rownum">{i() + 1}</div>
                  <For each={cols()}>{(c) => <GridCell col={c} row={i()} />}</For>
                </div>
              );
            }}
          </For>
        </div>
      </div>
      <Show when={props.footer !== false}>
        <div class="rt-footer" data-testid="result-rowcount">
          <Show when={rows() && query().trim()}>
            {formatInteger(count())} из{' '}
          </Show>
          {formatInteger(props.table.numRows)} {plural(props.table.numRows, 'строка', 'строки', 'строк')}, {cols().length}{' '}
          {plural(cols().length, 'столбец', 'столбца', 'столбцов')}
        </div>
      </Show>
    </div>
  );
}

function GridCell(props: { col: GridColumn; row: number }) {
  const v = () => props.col.get(props.row);
  const text = () => (v() === null ? '∅' : gridCellText(props.col, props.row, schoolNames()));
  const hover = () => (v() === null ? undefined : gridCellHover(props.col, props.row, schoolNames()) ?? (text().length > 30 ? text() : undefined));
  return (
    <div class="rt-cell" classList={{ 'rt-num': props.col.numeric || props.col.kind === 'percent', 'rt-null': v() === null }} title={hover()}>
      {text()}
    </div>
  );
}

function HeaderCell(props: { title: string; hover: string; name: string; numeric: boolean; sort: 'asc' | 'desc' | null; onSort: () => void; onResize: (dx: number) => void }) {
  const startResize = (e: PointerEvent) => {
    e.preventDefault();
    e.stopPropagation();
    let last = e.clientX;
    const move = (ev: PointerEvent) => {
      props.onResize(ev.clientX - last);
      last = ev.clientX;
    };
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };
  return (
    <div
      class="rt-cell rt-head"
      classList={{ 'rt-num': props.numeric }}
      title={`${props.hover}. Щелчок — сортировка`}
      data-column={props.name}
      data-sort={props.sort ?? ''}
      role="columnheader"
      aria-sort={props.sort === 'asc' ? 'ascending' : props.sort === 'desc' ? 'descending' : 'none'}
      onClick={() => props.onSort()}
    >
      <span class="rt-head-title">{props.title}</span>
      <span class="rt-sort">{props.sort === 'asc' ? '▲' : props.sort === 'desc' ? '▼' : ''}</span>
      <span class="rt-resize" onPointerDown={startResize} onClick={(e) => e.stopPropagation()} data-testid="grid-resize" title="Перетащите, чтобы изменить ширину" />
    </div>
  );
}
