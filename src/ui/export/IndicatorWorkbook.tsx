/** «Показатели всех ОО (.xlsx)»: runs every indicator and saves one workbook, a sheet per direction. */
import { createSignal, Show, type JSX } from 'solid-js';
import { quoteIdent, type Connector } from '../../db/connector';
import { indicatorWorkbook } from '../../export/indicators';
import { INDICATORS } from '../../indicators/registry';
import { runIndicators } from '../../indicators/run';
import { downloadBytes, errorText } from './download';
import './export.css';

export async function buildIndicatorWorkbook(conn: Connector, onProgress?: (done: number, total: number) => void): Promise<Uint8Array> {
  const rows = await runIndicators(conn, { onProgress: (d, t) => onProgress?.(d, t) });
  const titles = Object.fromEntries(INDICATORS.map((d) => [d.id, d.title]));
  const schoolNames: Record<string, string> = {};
  if ((await conn.listTables()).some((t) => t.name === 'schools')) {
    for (const r of await conn.query({ type: 'rows', sql: `SELECT school_id, any_value(name) AS name FROM ${quoteIdent('schools')} GROUP BY 1` })) {
      if (r.school_id !== null && r.name !== null) schoolNames[String(r.school_id)] = String(r.name);
    }
  }
  return indicatorWorkbook(rows, { titles, schoolNames });
}

export function IndicatorWorkbookButton(props: { conn: Connector }): JSX.Element {
  const [status, setStatus] = createSignal<{ text: string; error?: boolean } | null>(null);
  const run = async () => {
    setStatus({ text: 'Расчёт показателей…' });
    try {
      const bytes = await buildIndicatorWorkbook(props.conn, (d, t) => setStatus({ text: `Расчёт показателей: ${d} из ${t}` }));
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
