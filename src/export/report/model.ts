/**
 * The report model: an ordered list of blocks (headings, Markdown, tables, charts, code)
 * built from a notebook's cells and their results, independent of how it is rendered
 * (html.ts → standalone HTML, docx.ts → Word).
 */
import type { Row } from '../../db/connector';
import { chartToSvg, svgSize } from '../chart';
import { fromRows, type ExportTable } from '../table';

export type ReportBlock =
  | { kind: 'heading'; level: 1 | 2 | 3; text: string }
  | { kind: 'markdown'; markdown: string }
  | { kind: 'table'; caption?: string; table: ExportTable; totalRows: number }
  | { kind: 'chart'; caption?: string; svg: string; width: number; height: number; png?: Uint8Array }
  | { kind: 'code'; language: string; source: string }
  | { kind: 'html'; html: string }
  | { kind: 'error'; message: string };

export interface Report {
  title: string;
  subtitle?: string;
  /** ISO date of creation, shown as ДД.ММ.ГГГГ. */
  date: string;
  blocks: ReportBlock[];
}

/** What a cell showed after a run, in engine-neutral terms (the notebook runtime maps to this). */
export type CellOutput =
  | { kind: 'table'; table: ExportTable | Row[]; caption?: string }
  | { kind: 'chart'; spec: object; rows?: readonly Row[]; caption?: string }
  | { kind: 'markdown'; markdown: string }
  | { kind: 'html'; html: string }
  | { kind: 'text'; text: string }
  | { kind: 'error'; message: string }
  | { kind: 'none' };

export interface ReportCell {
  id: string;
  kind: string;
  name?: string;
  source: string;
  output: CellOutput;
  /** False for helper cells a template keeps out of the report by default (`report=false` on the cell). */
  inReport?: boolean;
}

export interface ReportOptions {
  title: string;
  subtitle?: string;
  /** Cells to include, in notebook order (default: every cell not marked `report=false`). */
  include?: ReadonlySet<string> | readonly string[];
  /** Include the source of code cells (SQL, TS, chart specs); hidden by default. */
  showCode?: boolean;
  /** Tables longer than this are cut, with a note (default 1000 rows). */
  maxTableRows?: number;
  date?: string;
}

const CODE_LANG: Record<string, string> = { sql: 'sql', ts: 'typescript', 'vega-lite': 'json' };

/** Cells + outputs → report blocks. Charts are rendered to SVG here (same in browser and Node). */
export async function buildReport(cells: readonly ReportCell[], opts: ReportOptions): Promise<Report> {
  const include = opts.include ? new Set(opts.include) : undefined;
  const maxRows = opts.maxTableRows ?? 1000;
  const blocks: ReportBlock[] = [];
  for (const cell of cells) {
    if (include ? !include.has(cell.id) : cell.inReport === false) continue;
    if (cell.kind === 'param') continue;
    if (opts.showCode && CODE_LANG[cell.kind]) blocks.push({ kind: 'code', language: CODE_LANG[cell.kind]!, source: cell.source });
    const out = cell.output;
    switch (out.kind) {
      case 'markdown':
        blocks.push({ kind: 'markdown', markdown: out.markdown });
        break;
      case 'text':
        blocks.push({ kind: 'markdown', markdown: out.text });
        break;
      case 'html':
        blocks.push({ kind: 'html', html: out.html });
        break;
      case 'table': {
        const t = Array.isArray(out.table) ? fromRows(out.table) : (out.table as ExportTable);
        const cut: ExportTable = t.rows.length > maxRows ? { columns: t.columns, rows: t.rows.slice(0, maxRows) } : t;
        blocks.push({ kind: 'table', table: cut, totalRows: t.rows.length, ...(out.caption ? { caption: out.caption } : {}) });
        break;
      }
      case 'chart': {
        const svg = await chartToSvg(out.spec, out.rows);
        blocks.push({ kind: 'chart', svg, ...svgSize(svg), ...(out.caption ? { caption: out.caption } : {}) });
        break;
      }
      case 'error':
        blocks.push({ kind: 'error', message: out.message });
        break;
      default:
        if (cell.kind === 'md') blocks.push({ kind: 'markdown', markdown: cell.source });
    }
  }
  return {
    title: opts.title,
    ...(opts.subtitle ? { subtitle: opts.subtitle } : {}),
    date: opts.date ?? new Date().toISOString().slice(0, 10),
    blocks,
  };
}

/** Fills in PNG renderings of the charts (needed by DOCX). */
export async function rasterizeCharts(report: Report, rasterize: (svg: string, scale: number) => Promise<Uint8Array>, scale = 2): Promise<Report> {
  const blocks: ReportBlock[] = [];
  for (const b of report.blocks) blocks.push(b.kind === 'chart' && !b.png ? { ...b, png: await rasterize(b.svg, scale) } : b);
  return { ...report, blocks };
}
