/** Shows one cell's result: table (virtualised), chart (vega-embed), Markdown/HTML (sanitised), value. */
import { Match, Show, Switch, createEffect, onCleanup } from 'solid-js';
import type { Result as EmbedResult } from 'vega-embed';
import { ruFieldTitle, withRussianLocale } from '../../format';
import { ResultTable } from '../../ui/ResultTable';
import type { CellResult } from '../model';
import { ChartExport } from '../../ui/export/ChartExport';
import { TableExport } from '../../ui/export/TableExport';
import { guardLinkClick, renderMarkdown, sanitizeHtml } from '../sanitize';
import { refusingLoader, safeSpec } from '../spec-guard';

export { renderMarkdown };

export function Chart(props: { spec: Record<string, unknown>; testId?: string }) {
  let host!: HTMLDivElement;
  let view: EmbedResult | undefined;
  let latest = 0;
  createEffect(() => {
    const spec = props.spec;
    const n = ++latest;
    // Vega loads in its own chunk; vega-interpreter evaluates expressions without eval (CSP-safe).
    // Vega-Lite is compiled here rather than by vega-embed so default field titles come out in Russian.
    void Promise.all([import('vega-embed'), import('vega-interpreter'), import('vega-lite')]).then(
      async ([{ default: embed }, { expressionInterpreter }, { compile }]) => {
        if (n !== latest) return;
        view?.finalize();
        // Stripped before and after compiling: Vega-Lite copies `usermeta` and turns `href` into Vega `href` encodings.
        const vega = safeSpec(compile(safeSpec(withRussianLocale(spec)) as never, { fieldTitle: ruFieldTitle as never }).spec);
        view = await embed(host, vega as never, {
          mode: 'vega',
          actions: false,
          ast: true,
          expr: expressionInterpreter,
          renderer: 'svg',
          loader: refusingLoader as never,
        });
      },
    );
  });
  onCleanup(() => view?.finalize());
  return <div class="nb-chart" ref={host} data-testid={props.testId ?? 'cell-chart'} />;
}

function Dom(props: { node: unknown }) {
  let host!: HTMLDivElement;
  createEffect(() => {
    host.replaceChildren(props.node as Node);
  });
  return <div class="nb-dom" ref={host} />;
}

export type TableResult = Extract<CellResult, { kind: 'table' }>;

/** `kept`: an output kept from an earlier run (../kept-outputs.ts), shown without export or chart actions. */
export function CellOutput(props: { result: CellResult; name?: string; onChart?: (table: TableResult) => void; emptyText?: () => string; kept?: boolean }) {
  const r = () => props.result;
  return (
    <div class="nb-output" data-testid="cell-output" data-kind={r().kind} onClick={guardLinkClick}>
      <Switch>
        <Match when={r().kind === 'table' && (r() as TableResult).arrow.numRows === 0}>
          {/* A reader sees which choice has no rows («Нет данных: ОГЭ, 5 класс»), not an empty grid. */}
          <p class="nb-empty" data-testid="cell-empty">{props.emptyText?.() ?? 'Нет данных'}</p>
        </Match>
        <Match when={r().kind === 'table' && (r() as Extract<CellResult, { kind: 'table' }>)}>
          {(t) => (
            <>
              <ResultTable table={t().arrow} height={320} testId="cell-table" />
              <Show when={!props.kept}>
                <div class="nb-table-tools">
                  <TableExport table={t().arrow} name={props.name ?? 'результат'} />
                  {props.onChart && t().columns.length > 0 && (
                    <button onClick={() => props.onChart!(t())} data-testid="build-chart" title="Выбрать столбцы и вид диаграммы">
                      Построить диаграмму…
                    </button>
                  )}
                </div>
              </Show>
            </>
          )}
        </Match>
        <Match when={r().kind === 'chart' && (r() as Extract<CellResult, { kind: 'chart' }>)}>{(c) => (
            <>
              <Chart spec={c().spec} />
              <Show when={!props.kept}>
                <ChartExport spec={c().spec} name={props.name ?? 'график'} />
              </Show>
            </>
          )}</Match>
        <Match when={r().kind === 'md' && (r() as Extract<CellResult, { kind: 'md' }>)}>
          {(m) => <div class="nb-md" data-testid="cell-md" innerHTML={renderMarkdown(m().text)} />}
        </Match>
        <Match when={r().kind === 'html' && (r() as Extract<CellResult, { kind: 'html' }>)}>
          {(h) => <div class="nb-md" innerHTML={sanitizeHtml(h().html)} />}
        </Match>
        <Match when={r().kind === 'dom' && (r() as Extract<CellResult, { kind: 'dom' }>)}>{(d) => <Dom node={d().node} />}</Match>
        <Match when={r().kind === 'value' && (r() as Extract<CellResult, { kind: 'value' }>)}>
          {(v) => <pre class="nb-value" data-testid="cell-value">{typeof v().value === 'string' ? (v().value as string) : JSON.stringify(v().value, null, 2)}</pre>}
        </Match>
      </Switch>
    </div>
  );
}
