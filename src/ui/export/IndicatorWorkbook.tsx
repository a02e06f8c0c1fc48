/** «Показатели всех ОО (.xlsx)»: runs every indicator and saves one workbook, a sheet per direction. */
import type { JSX } from 'solid-js';
import type { Connector } from '../../db/connector';
import { downloadBytes, errorText } from './download';
import { ExportStatus, createExportStatus } from './status';
import './export.css';

export function IndicatorWorkbookButton(props: { conn: Connector }): JSX.Element {
  const { status, setStatus } = createExportStatus();
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
      <ExportStatus status={status} testid="indicators-status" />
    </div>
  );
}
