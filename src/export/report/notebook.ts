/** The report of a run notebook (cells from notebook-cells.ts, blocks from model.ts). */
import type { NotebookRuntime } from '../../notebook/runtime';
import { buildReport, type Report, type ReportOptions } from './model';
import { reportCells, reportTitle } from './notebook-cells';

export { reportCells, reportTitle } from './notebook-cells';

/** The report of a run notebook; options choose cells and code visibility. */
export function notebookReport(rt: Pick<NotebookRuntime, 'notebook' | 'states'>, opts: Partial<ReportOptions> = {}): Promise<Report> {
  return buildReport(reportCells(rt), { ...reportTitle(rt.notebook), ...opts });
}
