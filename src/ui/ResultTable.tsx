/**
 * A virtualised read-only grid over an Arrow table: only the visible rows are rendered and
 * cells are read lazily from the Arrow columns, so 1,000,000 rows scroll smoothly.
 *
 *   <ResultTable table={arrowTable} height={400} testId="cell-result" />
 */
import { For, Show, createMemo, type JSX } from 'solid-js';
import { createVirtualizer } from '@tanstack/solid-virtual';
import type { Table } from 'apache-arrow';
import { formatDate, formatInteger, formatNumber } from '../format';
import './ui.css';

export interface ResultTableProps {
  table: Table;
  /** Height of the scroll area in px (default 360). */
  height?: number;
  /** data-testid of the root element (default `result-table`). */
  testId?: string;
  /** Show the «N строк» line under the grid (default true). */
  footer?: boolean;
}

const ROW_HEIGHT = 26;
const MAX_COL_WIDTH = 320;
const MIN_COL_WIDTH = 64;

interface Col {
  name: string;
  type: string;
  get: (i: number) => unknown;
  numeric: boolean;
  width: number;
}

/** Display text of one cell. Plain integers below 10 000 (years, codes) are not grouped. */
export function cellText(v: unknown, type: string): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'bigint') v = Number(v);
  if (typeof v === 'number') {
    if (type.startsWith('Date')) return formatDate(new Date(v));
    if (type.startsWith('Timestamp')) return new Date(v).toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');
    if (Number.isInteger(v)) return Math.abs(v) < 10000 ? String(v) : formatInteger(v);
    return formatNumber(v, { maxDigits: 4 });
  }
  if (typeof v === 'boolean') return v ? 'да' : 'нет';
  if (v instanceof Date) return formatDate(v);
  if (typeof v === 'object' && v !== null && 'toJSON' in v && typeof (v as { toJSON: unknown }).toJSON === 'function') {
    return JSON.stringify((v as { toJSON(): unknown }).toJSON());
  }
  return String(v);
}

const isNumericType = (t: string) => /^(Int|Uint|Float|Decimal)/.test(t);

export function ResultTable(props: ResultTableProps): JSX.Element {
  let scroller!: HTMLDivElement;

  const cols = createMemo<Col[]>(() => {
    const t = props.table;
    const sample = Math.min(t.numRows, 50);
    return t.schema.fields.map((f, j) => {
      const vec = t.getChildAt(j)!;
      const type = String(f.type);
      let chars = f.name.length;
      for (let i = 0; i < sample; i++) chars = Math.max(chars, cellText(vec.get(i), type).length);
      return {
        name: f.name,
        type,
        get: (i: number) => vec.get(i),
        numeric: isNumericType(type),
        width: Math.max(MIN_COL_WIDTH, Math.min(MAX_COL_WIDTH, chars * 8.5 + 20)),
      };
    });
  });
  const template = createMemo(() => `56px ${cols().map((c) => `${c.width}px`).join(' ')}`);
  const totalWidth = createMemo(() => 56 + cols().reduce((s, c) => s + c.width, 0));

  const virtualizer = createVirtualizer({
    get count() {
      return props.table.numRows;
    },
    getScrollElement: () => scroller,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  return (
    <div class="result-table" data-testid={props.testId ?? 'result-table'} data-rows={props.table.numRows}>
      <div class="rt-scroll" ref={scroller} style={{ 'max-height': `${props.height ?? 360}px` }}>
        <div class="rt-header" style={{ 'grid-template-columns': template(), width: `${totalWidth()}px` }}>
          <div class="rt-cell rt-rownum">#</div>
          <For each={cols()}>
            {(c) => (
              <div class="rt-cell" classList={{ 'rt-num': c.numeric }} title={`${c.name}: ${c.type}`}>
                {c.name}
              </div>
            )}
          </For>
        </div>
        <div class="rt-body" style={{ height: `${virtualizer.getTotalSize()}px`, width: `${totalWidth()}px` }}>
          <For each={virtualizer.getVirtualItems()}>
            {(item) => (
              <div
                class="rt-row"
                data-row={item.index}
                style={{ 'grid-template-columns': template(), transform: `translateY(${item.start}px)`, height: `${ROW_HEIGHT}px` }}
              >
                <div class="rt-cell rt-rownum">{item.index + 1}</div>
                <For each={cols()}>
                  {(c) => {
                    const v = c.get(item.index);
                    return (
                      <div class="rt-cell" classList={{ 'rt-num': c.numeric, 'rt-null': v === null }}>
                        {v === null ? '∅' : cellText(v, c.type)}
                      </div>
                    );
                  }}
                </For>
              </div>
            )}
          </For>
        </div>
      </div>
      <Show when={props.footer !== false}>
        <div class="rt-footer" data-testid="result-rowcount">
          {formatInteger(props.table.numRows)} {plural(props.table.numRows, 'строка', 'строки', 'строк')}, {cols().length}{' '}
          {plural(cols().length, 'столбец', 'столбца', 'столбцов')}
        </div>
      </Show>
    </div>
  );
}

/** Russian plural form for n. */
export function plural(n: number, one: string, few: string, many: string): string {
  const m10 = n % 10;
  const m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}
