/**
 * «Построить диаграмму»: pick X, Y, colour and mark from a table result, see the chart, and add
 * it as a chart cell after the source cell. A modal <dialog> (top layer, Esc closes, the rest of
 * the page inert); the spec itself comes from the pure `chart-builder.ts`.
 */
import { For, Show, createMemo, createSignal, onMount } from 'solid-js';
import { Portal } from 'solid-js/web';
import { columnTitle } from '../../format';
import { CHART_MARKS, buildChartSpec, chartSource, defaultChoice, defaultMark, tableColumns, type ChartChoice, type ChartMark } from '../chart-builder';
import { safeSpec } from '../spec-guard';
import { arrowRows } from '../values';
import { Chart, type TableResult } from './CellOutput';

/** Rows drawn in the preview; the chart cell itself draws every row. */
const PREVIEW_ROWS = 5000;

export interface ChartBuilderProps {
  table: TableResult;
  /** The source cell's name (or «результат» before it has one). */
  sourceName: string;
  onAdd(source: string): void;
  onClose(): void;
}

const optionLabel = (name: string) => (columnTitle(name) === name ? name : `${columnTitle(name)} (${name})`);

export function ChartBuilder(props: ChartBuilderProps) {
  let dialog!: HTMLDialogElement;
  const columns = tableColumns(props.table.arrow);
  const [choice, setChoice] = createSignal<ChartChoice | null>(defaultChoice(columns));
  // The mark follows the X column until the user picks one.
  const [markPicked, setMarkPicked] = createSignal(false);
  // Only the previewed rows are converted: a result may have a million.
  const values = arrowRows(props.table.arrow.slice(0, PREVIEW_ROWS));
  const spec = createMemo(() => {
    const c = choice();
    return c ? buildChartSpec(columns, c) : null;
  });
  const preview = createMemo(() => {
    const s = spec();
    return s ? safeSpec({ ...s, data: { values } }) : null;
  });
  const update = (patch: Partial<ChartChoice>) => {
    const c = choice();
    if (!c) return;
    const next = { ...c, ...patch };
    if (patch.x && !markPicked()) next.mark = defaultMark(columns.find((col) => col.name === patch.x));
    setChoice(next);
  };
  onMount(() => dialog.showModal());
  const add = () => {
    const s = spec();
    if (!s) return;
    props.onAdd(chartSource(s));
    dialog.close();
  };

  const columnSelect = (label: string, key: 'x' | 'y' | 'color', testId: string, optional = false) => (
    <label class="nb-builder-field">
      {label}
      <select data-testid={testId} onChange={(e) => update({ [key]: e.currentTarget.value || undefined })}>
        {optional && <option value="">— нет —</option>}
        <For each={columns}>
          {(c) => (
            <option value={c.name} selected={choice()?.[key] === c.name}>
              {optionLabel(c.name)}
            </option>
          )}
        </For>
      </select>
    </label>
  );

  return (
    <Portal>
      <dialog ref={dialog} class="nb-builder" data-testid="chart-builder" aria-labelledby="nb-builder-title" on:close={() => props.onClose()}>
        <h3 id="nb-builder-title">Построить диаграмму по результату «{props.sourceName}»</h3>
        <Show when={choice()} fallback={<p class="muted">В результате нет столбцов.</p>}>
          <div class="nb-builder-fields">
            {columnSelect('По горизонтали (X)', 'x', 'builder-x')}
            {columnSelect('По вертикали (Y)', 'y', 'builder-y')}
            {columnSelect('Цвет', 'color', 'builder-color', true)}
            <label class="nb-builder-field">
              Вид
              <select
                data-testid="builder-mark"
                onChange={(e) => {
                  setMarkPicked(true);
                  update({ mark: e.currentTarget.value as ChartMark });
                }}
              >
                <For each={CHART_MARKS}>
                  {(m) => (
                    <option value={m.mark} selected={choice()?.mark === m.mark}>
                      {m.label}
                    </option>
                  )}
                </For>
              </select>
            </label>
          </div>
          <div class="nb-builder-preview" aria-label="Предпросмотр диаграммы">
            <Show when={preview()}>{(p) => <Chart spec={p()} testId="builder-preview" />}</Show>
          </div>
          <p class="muted">
            {props.table.rowCount > PREVIEW_ROWS ? `Предпросмотр по первым ${PREVIEW_ROWS.toLocaleString('ru-RU')} строкам. ` : ''}
            Диаграмма добавится ячейкой после исходной; её спецификацию Vega-Lite можно править.
          </p>
        </Show>
        <div class="nb-trust-buttons">
          <button onClick={() => dialog.close()} data-testid="builder-cancel">Отмена</button>
          <button class="primary" onClick={add} disabled={!choice()} data-testid="builder-add">Добавить</button>
        </div>
      </dialog>
    </Portal>
  );
}
