/**
 * A report as one standalone HTML file: CSS and charts (SVG) inline, no script, and a
 * Content-Security-Policy that forbids every request, so it opens offline exactly as it was saved.
 * The print stylesheet makes the browser's «Сохранить как PDF» a clean A4 document.
 */
import { formatDate } from '../../format';
import { inlineSvg } from '../chart';
import { columnTitle } from '../table';
import { cellText, cutNote, isNumericColumn } from './cells';
import { markdownToHtml } from './markdown';
import type { Report, ReportBlock } from './model';

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

export const REPORT_CSS = `
:root { color-scheme: light; }
body { font-family: "PT Serif", "Times New Roman", "Liberation Serif", "DejaVu Serif", serif; font-size: 16px; line-height: 1.45;
  color: #111; background: #fff; max-width: 52rem; margin: 2rem auto; padding: 0 1.5rem; }
header.report-head { border-bottom: 2px solid #1f3864; margin-bottom: 1.5rem; padding-bottom: .5rem; }
header.report-head h1 { font-size: 1.7rem; margin: 0 0 .3rem; }
header.report-head .subtitle { font-size: 1.1rem; margin: 0; }
header.report-head .date { color: #555; font-size: .9rem; margin: .3rem 0 0; }
h1, h2, h3 { font-family: "PT Sans", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; color: #1f3864; line-height: 1.25; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.25rem; } h3 { font-size: 1.1rem; }
table { border-collapse: collapse; margin: .8rem 0 1.2rem; font-size: .85rem; width: auto; max-width: 100%; }
th, td { border: 1px solid #9aa5b8; padding: .25rem .5rem; vertical-align: top; }
thead th { background: #d9e2f3; font-weight: bold; text-align: left; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
caption { caption-side: top; text-align: left; font-weight: bold; padding-bottom: .3rem; }
.table-note { font-size: .8rem; color: #555; margin-top: -.8rem; }
figure.chart { margin: 1rem 0 1.5rem; text-align: center; }
figure.chart svg { max-width: 100%; height: auto; }
figure.chart figcaption { font-style: italic; font-size: .9rem; margin-top: .3rem; }
pre.code { background: #f4f5f7; border: 1px solid #dde; padding: .6rem .8rem; font-size: .8rem; overflow-x: auto; white-space: pre-wrap; }
.error { border-left: 4px solid #c00; background: #fff3f3; padding: .4rem .8rem; font-size: .9rem; }
@page { size: A4; margin: 20mm 15mm 20mm 25mm; @bottom-center { content: counter(page); font-size: 10pt; } }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 12pt; }
  header.report-head { border-bottom-color: #000; }
  h1, h2, h3 { color: #000; break-after: avoid; page-break-after: avoid; }
  table, figure.chart, pre.code { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  .no-print { display: none !important; }
}
`;

// No requests, no forms, no <base>, no plugins: the file opens offline exactly as it was saved.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; form-action 'none'; base-uri 'none'; object-src 'none'";

/** Drops what could run or fetch: scripts, frames, external src/href on resources, event handlers. */
export function sanitizeHtml(html: string): string {
  return html
    .replace(/<(script|iframe|object|embed|link|meta|base|style|form|textarea|select|button)\b[\s\S]*?(<\/\1>|\/?>)/gi, '')
    .replace(/<\/?(input|form|button|dialog)\b[^>]*>/gi, '')
    .replace(/\son\w+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '')
    .replace(/\s(src|srcset|poster|background)\s*=\s*("(?!data:)[^"]*"|'(?!data:)[^']*')/gi, '')
    .replace(/url\(\s*['"]?(?!data:)[^)]*\)/gi, 'none');
}

function tableHtml(b: Extract<ReportBlock, { kind: 'table' }>): string {
  const { columns, rows } = b.table;
  const head = columns.map((c) => `<th>${escapeHtml(columnTitle(c))}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${columns.map((c) => `<td${isNumericColumn(c) ? ' class="num"' : ''}>${escapeHtml(cellText(r[c.name], c))}</td>`).join('')}</tr>`)
    .join('\n');
  const note = cutNote(rows.length, b.totalRows);
  return (
    `<table>${b.caption ? `<caption>${escapeHtml(b.caption)}</caption>` : ''}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table>` +
    (note ? `\n<p class="table-note">${escapeHtml(note)}</p>` : '')
  );
}

function blockHtml(b: ReportBlock): string {
  switch (b.kind) {
    case 'heading':
      return `<h${b.level}>${escapeHtml(b.text)}</h${b.level}>`;
    case 'markdown':
      return `<div class="md">${markdownToHtml(b.markdown)}</div>`;
    case 'table':
      return tableHtml(b);
    case 'chart':
      return `<figure class="chart">${inlineSvg(b.svg)}${b.caption ? `<figcaption>${escapeHtml(b.caption)}</figcaption>` : ''}</figure>`;
    case 'code':
      return `<pre class="code"><code class="language-${escapeHtml(b.language)}">${escapeHtml(b.source)}</code></pre>`;
    case 'html':
      return `<div class="html">${sanitizeHtml(b.html)}</div>`;
    case 'error':
      return `<div class="error">Ошибка: ${escapeHtml(b.message)}</div>`;
  }
}

/** The complete HTML document of a report. */
export function renderHtml(report: Report): string {
  return `<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="МСОКО Workbench">
<title>${escapeHtml(report.title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header class="report-head">
<h1>${escapeHtml(report.title)}</h1>
${report.subtitle ? `<p class="subtitle">${escapeHtml(report.subtitle)}</p>\n` : ''}<p class="date">Дата формирования: ${escapeHtml(formatDate(report.date))}</p>
</header>
<main>
${report.blocks.map(blockHtml).join('\n')}
</main>
</body>
</html>
`;
}
