/** The one line a collapsed cell shows (src/notebook/ui/CellView.tsx), kept apart from the view so it is testable in Node. */
import { cellKind } from './kinds';
import type { CellData, CellRuntimeState } from './model';

/** A title's text whatever its form (a string, lines, or `{ text, subtitle }`). */
function titleText(title: unknown): string | undefined {
  if (typeof title === 'string') return title;
  if (Array.isArray(title)) return title.join(' ');
  if (title && typeof title === 'object' && 'text' in title) return titleText((title as { text: unknown }).text);
  return undefined;
}

/** What the cell showed when it last ran: a Markdown cell's text, a chart's title with its values in. */
export function renderedText(result: CellRuntimeState['result'] | undefined): string | undefined {
  if (result?.kind === 'md') return result.text;
  if (result?.kind === 'chart') return titleText(result.spec.title);
  return undefined;
}

/** The one line a collapsed cell shows: a Markdown cell's first line, a chart's title, else the cell's name or first line. */
export function cellSummary(cell: CellData, rendered?: string): string {
  // A Markdown cell's rendered text has its values in; before it runs «…» stands for each, never raw `${…}`.
  const text = cell.kind === 'md' && rendered !== undefined ? rendered : cell.source;
  const first = (text.split(/\r?\n/).find((l) => l.trim() && !/^<!--.*-->$/.test(l.trim())) ?? '').trim();
  if (cell.kind === 'md') return first.replace(/^#+\s*/, '').replace(/\$\{[^}]*\}/g, '…') || 'Пустая ячейка';
  const label = cellKind(cell.kind).label;
  if (cell.name) return `${label} «${cell.name}»`;
  if (cell.kind === 'vega-lite') {
    // The drawn chart's title has its values in; before it ran, «…» stands for each `${…}`.
    let title = rendered;
    if (title === undefined) {
      try {
        title = titleText((JSON.parse(cell.source) as { title?: unknown }).title)?.replace(/\$\{[^}]*\}/g, '…');
      } catch {
        /* an unfinished spec: summarised by its data */
      }
    }
    if (title?.trim()) return `${label}: ${title}`;
    return cell.attrs.data ? `${label} по «${cell.attrs.data}»` : label;
  }
  return first ? `${label}: ${first}` : label;
}
