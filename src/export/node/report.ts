/**
 * Node only: writes a run notebook's report (`npm run notebook -- … --report html|docx`).
 * DOCX chart images are rasterised by headless Chromium (node/rasterize.ts).
 */
import { writeFileSync } from 'node:fs';
import type { NotebookRuntime } from '../../notebook/runtime';
import { notebookReport } from '../report/notebook';
import { rasterizeCharts, renderDocx, renderHtml, type ReportOptions } from '../report';

export type ReportFormat = 'html' | 'docx';
export const REPORT_FORMATS: readonly ReportFormat[] = ['html', 'docx'];

export async function writeNotebookReport(rt: Pick<NotebookRuntime, 'notebook' | 'states'>, format: ReportFormat, path: string, opts: Partial<ReportOptions> = {}): Promise<void> {
  const report = await notebookReport(rt, opts);
  if (format === 'html') {
    writeFileSync(path, renderHtml(report));
    return;
  }
  // Chromium is started only when a DOCX needs chart images.
  const { withRasterizer } = await import('./rasterize');
  const withPng = await withRasterizer((r) => rasterizeCharts(report, r, 2));
  writeFileSync(path, await renderDocx(withPng));
}
