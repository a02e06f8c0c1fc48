/**
 * From a run notebook (NotebookRuntime, browser or Node) to report cells: each cell's source and
 * what it showed. Light on imports (types only from the engine), so the report dialog can list
 * cells before the renderers load.
 */
import type { CellResult, NotebookData } from '../../notebook/model';
import type { NotebookRuntime } from '../../notebook/runtime';
import { formatBySpec } from '../../format';
import { emptyStateText, type EmptyStateSource } from '../../notebook/empty-state';
import { escapeMarkdown } from '../../notebook/escape';
import { fromArrow } from '../table';
import type { CellOutput, ReportCell } from './model';

function outputOf(r: CellResult | undefined, emptyText: () => string): CellOutput {
  if (!r) return { kind: 'none' };
  switch (r.kind) {
    case 'table':
      // As on screen: an empty result names the choice that has no rows, not an empty table.
      return r.arrow.numRows === 0 ? { kind: 'text', text: `*${escapeMarkdown(emptyText())}*` } : { kind: 'table', table: fromArrow(r.arrow) };
    case 'chart':
      return { kind: 'chart', spec: r.spec };
    case 'md':
      return { kind: 'markdown', markdown: r.text };
    case 'html':
      return { kind: 'html', html: r.html };
    case 'value': {
      const v = r.value;
      if (v === undefined || v === null) return { kind: 'none' };
      return { kind: 'text', text: typeof v === 'object' ? '```\n' + JSON.stringify(v, null, 2) + '\n```' : formatBySpec(v as string | number | boolean) };
    }
    default:
      return { kind: 'none' };
  }
}

/** The report cells of a notebook after a run, in notebook order. */
export function reportCells(rt: Pick<NotebookRuntime, 'notebook' | 'states'> & Partial<EmptyStateSource>): ReportCell[] {
  const source = rt.units ? (rt as EmptyStateSource) : undefined;
  return rt.notebook.cells.map((cell) => {
    const state = rt.states.get(cell.id);
    const output: CellOutput =
      state?.status === 'error' && state.error ? { kind: 'error', message: state.error } : outputOf(state?.result, () => emptyStateText(source, cell.id));
    const inReport = !/^(false|no|0|нет)$/i.test(cell.attrs.report ?? '');
    return { id: cell.id, kind: cell.kind, ...(cell.name ? { name: cell.name } : {}), source: cell.source, output, inReport };
  });
}

/** Title and subtitle of a notebook's report from its front matter. */
export function reportTitle(nb: NotebookData): { title: string; subtitle?: string } {
  const title = nb.frontMatter.title?.trim() || 'Аналитическая справка';
  const d = nb.frontMatter.description?.trim();
  return d ? { title, subtitle: d } : { title };
}

