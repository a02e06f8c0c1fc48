/**
 * One cell of the notebook view: its bar (kind, name or chart data, status, actions), the
 * source editor, the error and the result. Everything it changes goes through the callbacks,
 * which the view maps to named store actions.
 */
import { Show } from 'solid-js';
import { KEPT_MESSAGE } from '../../errors';
import { cellKind } from '../kinds';
import type { CellData, CellResult, CellRuntimeState, ParamDef, ParamValue } from '../model';
import { cellSummary, renderedText } from '../cell-summary';
import { CellOutput, renderMarkdown, type TableResult } from './CellOutput';
import { CodeEditor } from './CodeEditor';
import { ParamInput } from './ParamInput';

export const STATUS_LABEL: Record<CellRuntimeState['status'], string> = {
  idle: 'не выполнялась',
  stale: 'устарела',
  queued: 'в очереди',
  running: 'выполняется…',
  done: 'готово',
  error: 'ошибка',
  cancelled: 'отменена',
};

export function rowsLabel(n: number): string {
  const m10 = n % 10;
  const m100 = n % 100;
  const word = m10 === 1 && m100 !== 11 ? 'строка' : m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14) ? 'строки' : 'строк';
  return `${n.toLocaleString('ru-RU')} ${word}`;
}

export interface CellViewProps {
  id: string;
  cell: CellData;
  state: CellRuntimeState | undefined;
  selected: boolean;
  editingMd: boolean;
  readOnly: boolean;
  collapsed: boolean;
  /** The parameter a param cell defines (from the runtime's analysis). */
  paramDef?: ParamDef;
  onSelect(): void;
  onRun(): void;
  onSource(source: string): void;
  onPatch(patch: Partial<Omit<CellData, 'id'>>): void;
  onEditMd(): void;
  onMove(delta: 1 | -1): void;
  onDelete(): void;
  onParam(name: string, v: ParamValue): void;
  onEscape(): void;
  onToggleCollapsed(): void;
  /** What an empty table result says (the parameter values it was asked for). */
  emptyText?: () => string;
  /** The output kept from an earlier run, shown marked until the runtime reports on this cell (./kept.ts). */
  kept?: CellResult;
  /** Opens the chart builder on this cell's table result (editable notebooks only). */
  onChart?: (table: TableResult) => void;
  editorRef(api: { focus(): void }): void;
}

function CellBar(props: CellViewProps) {
  const c = () => props.cell;
  const s = () => props.state;
  return (
    <div class="nb-cell-bar">
      <button class="nb-collapse" onClick={() => props.onToggleCollapsed()} aria-expanded="true" title="Свернуть ячейку" data-testid="collapse-cell">
        ▾
      </button>
      <span class="nb-kind">{cellKind(c().kind).label}</span>
      <Show when={cellKind(c().kind).named}>
        <input
          class="nb-name"
          value={c().name ?? ''}
          placeholder="имя"
          title="Имя результата: по нему ячейку читают другие ячейки"
          readOnly={props.readOnly}
          data-testid="cell-name"
          onChange={(e) => props.onPatch({ name: e.currentTarget.value.trim() || undefined })}
        />
      </Show>
      <Show when={c().kind === 'vega-lite'}>
        <label class="nb-data">
          данные:
          <input
            class="nb-name"
            value={c().attrs.data ?? ''}
            readOnly={props.readOnly}
            data-testid="cell-data"
            onChange={(e) => props.onPatch({ attrs: { ...c().attrs, data: e.currentTarget.value.trim() } })}
          />
        </label>
      </Show>
      <span class="nb-status" data-testid="cell-status">
        {STATUS_LABEL[s()?.status ?? 'idle']}
        {s()?.status === 'done' && s()?.result?.kind === 'table' ? ` · ${rowsLabel((s()!.result as { rowCount: number }).rowCount)}` : ''}
      </span>
      <span class="spacer" />
      <button onClick={() => props.onRun()} title="Выполнить (Shift+Enter)" data-testid="run-cell">▶ Выполнить</button>
      <Show when={!props.readOnly}>
        <Show when={c().kind === 'md'}>
          <button onClick={() => props.onEditMd()} data-testid="edit-cell">Править</button>
        </Show>
        <button onClick={() => props.onMove(-1)} title="Выше" data-testid="move-up">↑</button>
        <button onClick={() => props.onMove(1)} title="Ниже" data-testid="move-down">↓</button>
        <button onClick={() => props.onDelete()} title="Удалить (D D)" data-testid="delete-cell">✕</button>
      </Show>
    </div>
  );
}

export function CellView(props: CellViewProps) {
  const c = () => props.cell;
  const s = () => props.state;
  const mdRendered = () => c().kind === 'md' && !props.editingMd && s()?.result?.kind === 'md';
  return (
    <div
      class="nb-cell"
      classList={{ selected: props.selected, collapsed: props.collapsed, [`status-${s()?.status ?? 'idle'}`]: true }}
      data-testid="cell"
      data-cell-id={props.id}
      data-cell-name={c().name ?? ''}
      data-kind={c().kind}
      data-report={c().attrs.report === 'false' ? 'false' : undefined}
      data-status={s()?.status ?? 'idle'}
      data-run-count={s()?.runCount ?? 0}
      data-collapsed={props.collapsed ? 'true' : 'false'}
      onMouseDown={() => props.onSelect()}
    >
      {/* Collapsed: everything but this line is hidden by CSS, so editors, charts and the outline keep their state. */}
      <Show when={props.collapsed}>
        <button class="nb-collapsed" onClick={() => props.onToggleCollapsed()} aria-expanded="false" title="Развернуть ячейку" data-testid="cell-collapsed">
          <span aria-hidden="true">▸</span>
          <span class="nb-collapsed-text">{cellSummary(c(), renderedText(s()?.result))}</span>
          <span class="nb-status">{STATUS_LABEL[s()?.status ?? 'idle']}</span>
        </button>
      </Show>
      <CellBar {...props} />
      <Show when={!mdRendered() && !(props.readOnly && c().kind === 'md')}>
        <CodeEditor
          value={c().source}
          kind={c().kind}
          readOnly={props.readOnly}
          onChange={(v) => props.onSource(v)}
          onRun={() => props.onRun()}
          onEscape={() => props.onEscape()}
          onFocus={() => props.onSelect()}
          ref={(api) => props.editorRef(api)}
        />
      </Show>
      <Show when={s()?.error}>
        <p class="nb-error" role="alert" data-testid="cell-error">{s()!.error}</p>
      </Show>
      <Show when={s()?.result}>
        {(r) => (
          <Show
            when={r().kind === 'param' && c().kind === 'param' && props.paramDef}
            fallback={
              <div onDblClick={() => !props.readOnly && c().kind === 'md' && props.onEditMd()}>
                <CellOutput result={r()} name={c().name ?? props.id} onChart={props.onChart} emptyText={props.emptyText} />
              </div>
            }
          >
            {(d) => (
              <div class="nb-params">
                <ParamInput
                  def={d()}
                  value={(r() as { value: ParamValue }).value}
                  options={(r() as { options?: (string | number)[] }).options}
                  onChange={(v) => props.onParam(d().name, v)}
                />
              </div>
            )}
          </Show>
        )}
      </Show>
      <Show when={!s()?.result && !s()?.error && props.kept}>
        {(k) => (
          <div class="nb-kept" data-testid="cell-kept">
            <p class="nb-kept-mark muted" role="status" data-testid="kept-mark">{KEPT_MESSAGE}</p>
            <CellOutput result={k()} name={c().name ?? props.id} kept />
          </div>
        )}
      </Show>
      <Show when={props.readOnly && c().kind === 'md' && !s()?.result && !s()?.error && !props.kept}>
        {/* Until its values are computed a read-only Markdown cell shows «…» where each value goes, never raw `${…}`. */}
        <div class="nb-md nb-pending" innerHTML={renderMarkdown(c().source.replace(/\$\{[^}]*\}/g, '…'))} />
      </Show>
    </div>
  );
}
