export { buildReport, rasterizeCharts, type CellOutput, type Report, type ReportBlock, type ReportCell, type ReportOptions } from './model';
export { renderHtml, REPORT_CSS, sanitizeHtml } from './html';
export { renderDocx } from './docx';
export { markdownToHtml } from './markdown';
export { notebookReport, reportCells, reportTitle } from './notebook';
