/**
 * «Отчёт»: the user picks which cells go into the report (code hidden by default) and saves it
 * as standalone HTML or DOCX, or opens it in a tab to print / save as PDF.
 */
import { createMemo, createSignal, For, type JSX } from 'solid-js';
import type { ReportCell } from '../../export/report/model';
import { reportCells, reportTitle } from '../../export/report/notebook-cells';
import type { NotebookRuntime } from '../../notebook/runtime';
import { downloadBytes, fileName, MIME } from './download';
import { ExportStatus, createExportStatus } from './status';
import './export.css';

export interface ReportDialogProps {
  runtime: Pick<NotebookRuntime, 'notebook' | 'states'>;
  onClose: () => void;
}

const KIND_LABEL: Record<string, string> = { md: 'текст', sql: 'SQL', ts: 'TS', 'vega-lite': 'график', param: 'параметр' };

/** Cells that show something are chosen by default, unless the template marks them `report=false`. */
const shownByDefault = (c: ReportCell): boolean => c.kind !== 'param' && c.output.kind !== 'none' && c.inReport !== false;

function preview(c: ReportCell): string {
  const o = c.output;
  const what = o.kind === 'table' ? 'таблица' : o.kind === 'chart' ? 'график' : o.kind === 'error' ? 'ошибка' : o.kind === 'none' ? 'нет результата' : '';
  const title = o.kind === 'chart' ? (o.spec as { title?: unknown }).title : undefined;
  const first = typeof title === 'string' ? title : (c.source.split('\n').find((l) => l.trim())?.trim() ?? '');
  return [c.name, what, first].filter(Boolean).join(' · ');
}

export function ReportDialog(props: ReportDialogProps): JSX.Element {
  const cells = createMemo(() => reportCells(props.runtime));
  const [chosen, setChosen] = createSignal(new Set(cells().filter(shownByDefault).map((c) => c.id)));
  const [showCode, setShowCode] = createSignal(false);
  const { status, run } = createExportStatus(': формирование…');
  const head = () => reportTitle(props.runtime.notebook);

  const toggle = (id: string, on: boolean) => {
    const next = new Set(chosen());
    if (on) next.add(id);
    else next.delete(id);
    setChosen(next);
  };

  // The renderers (Vega, docx) load on first use, not with the notebook.
  const lib = () => import('../../export/report');
  const report = async () => (await lib()).buildReport(cells(), { ...head(), include: chosen(), showCode: showCode() });

  const html = () => run('HTML', async () => downloadBytes(fileName(head().title, 'html'), (await lib()).renderHtml(await report()), 'html'));
  const docx = () =>
    run('DOCX', async () => {
      const { rasterizeCharts, renderDocx } = await lib();
      const { svgToPngInBrowser } = await import('../../export/chart');
      const withPng = await rasterizeCharts(await report(), svgToPngInBrowser, 2);
      downloadBytes(fileName(head().title, 'docx'), await renderDocx(withPng), 'docx');
    });
  const print = () =>
    run('Печать', async () => {
      // A window opened before the await keeps the click's permission to open it.
      const w = window.open('', '_blank');
      const text = (await lib()).renderHtml(await report());
      const url = URL.createObjectURL(new Blob([text], { type: MIME.html }));
      if (w) w.location.href = url;
      else downloadBytes(fileName(head().title, 'html'), text, 'html');
      setTimeout(() => URL.revokeObjectURL(url), 120_000);
    });

  return (
    <div class="report-dialog" data-testid="report-dialog" role="dialog" aria-label="Отчёт" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
      <div class="report-dialog-box">
        <header>
          <h2>Отчёт: {head().title}</h2>
          <button class="link" onClick={() => props.onClose()} data-testid="report-close">
            Закрыть
          </button>
        </header>
        <div class="report-dialog-body">
          <p class="muted">Отметьте ячейки, которые войдут в справку. Текст, таблицы и графики — как на экране.</p>
          <ul class="report-cells">
            <For each={cells()}>
              {(c) => (
                <li>
                  <input type="checkbox" checked={chosen().has(c.id)} onChange={(e) => toggle(c.id, e.currentTarget.checked)} data-testid={`report-cell-${c.id}`} />
                  <span class="kind">{KIND_LABEL[c.kind] ?? c.kind}</span>
                  <span class="preview">{preview(c)}</span>
                </li>
              )}
            </For>
          </ul>
        </div>
        <footer>
          <label>
            <input type="checkbox" checked={showCode()} onChange={(e) => setShowCode(e.currentTarget.checked)} data-testid="report-show-code" /> показывать код
          </label>
          <span class="spacer" />
          <button class="primary" onClick={docx} data-testid="report-docx">
            Скачать DOCX
          </button>
          <button onClick={html} data-testid="report-html">
            Скачать HTML
          </button>
          <button onClick={print} data-testid="report-print" title="Откройте и выберите «Печать → Сохранить как PDF»">
            Открыть для печати (PDF)
          </button>
          <ExportStatus status={status} testid="report-status" />
        </footer>
      </div>
    </div>
  );
}
