/** «Показатели всех ОО (.xlsx)»: runs every indicator and saves one workbook, a sheet per direction. */
import { createSignal, Show, type JSX } from 'solid-js';
import type { Connector } from '../../db/connector';
import { downloadBytes, errorText } from './download';
import './export.css';

export function IndicatorWorkbookButton(props: { conn: Connector }): JSX.Element {
  const [status, setStatus] = createSignal<{ text: string; error?: boolean } | null>(null);
  const run = async () => {
    setStatus({ text: 'Расчёт показателей…' });
    try {
      const { buildIndicatorWorkbook } = await import('../../export/indicators');
      const bytes = await buildIndicatorWorkbook(props.conn);
      downloadBytes('Показатели ОО.xlsx', bytes, 'xlsx');
      setStatus({ text: 'Показатели: готово' });
    } catch (e) {
      setStatus({ text: `Показатели: ${errorText(e)}`, error: true });
    }
  };
  return (
    <div class="export-bar">
      <button onClick={run} data-testid="export-indicators" title="Таблица показателей каждой ОО: лист на каждое направление">
        Показатели всех ОО (.xlsx)
      </button>
      <Show when={status()}>{(s) => <span class={`export-status${s().error ? ' error' : ''}`} data-testid="indicators-status">{s().text}</span>}</Show>
    </div>
  );
}
