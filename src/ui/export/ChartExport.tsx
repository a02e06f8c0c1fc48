/** PNG (at a chosen scale), SVG and clipboard export of one chart. */
import { createSignal, For, type JSX } from 'solid-js';
import type { Row } from '../../db/connector';
import { DEFAULT_PNG_SCALE, PNG_SCALES } from '../../export/options';
import { downloadBytes, fileName, MIME } from './download';
import { ExportStatus, createExportStatus } from './status';
import './export.css';

export interface ChartExportProps {
  spec: object;
  /** Rows bound to the chart, when the spec has no data of its own. */
  rows?: readonly Row[];
  /** File name base (the cell's name or the chart title). */
  name: string;
}

export function ChartExport(props: ChartExportProps): JSX.Element {
  const [scale, setScale] = createSignal(DEFAULT_PNG_SCALE);
  const { status, run } = createExportStatus();

  // Vega and the exporters load on first use, not with the notebook.
  const chart = () => import('../../export/chart');
  const png = () => run('PNG', async () => downloadBytes(fileName(props.name, 'png'), await (await chart()).chartToPng(props.spec, props.rows, scale()), 'png'));
  const svg = () => run('SVG', async () => downloadBytes(fileName(props.name, 'svg'), await (await chart()).chartToSvg(props.spec, props.rows), 'svg'));
  const copy = () =>
    run('Копирование', async () => {
      if (!navigator.clipboard?.write || typeof ClipboardItem === 'undefined') throw new Error('браузер не даёт доступа к буферу обмена');
      // The promise keeps the user's click as the gesture while the PNG is drawn.
      const blob = chart()
        .then((m) => m.chartToPng(props.spec, props.rows, scale()))
        .then((b) => new Blob([b as BlobPart], { type: MIME.png }));
      await navigator.clipboard.write([new ClipboardItem({ [MIME.png]: blob })]);
    });

  return (
    <div class="export-bar" data-testid="chart-export">
      <button onClick={png} data-testid="export-png" title="Сохранить как PNG">
        PNG
      </button>
      <label title="Масштаб PNG: 3× — для печати">
        <select value={scale()} onChange={(e) => setScale(Number(e.currentTarget.value))} data-testid="export-png-scale">
          <For each={PNG_SCALES}>{(s) => <option value={s}>{s}×</option>}</For>
        </select>
      </label>
      <button onClick={svg} data-testid="export-svg" title="Сохранить как SVG (векторный)">
        SVG
      </button>
      <button onClick={copy} data-testid="export-copy" title="Скопировать рисунок в буфер обмена">
        Копировать
      </button>
      <ExportStatus status={status} testid="export-status" />
    </div>
  );
}
