/**
 * The notebook as saved (NotebookData / CellData) and the notebook as running
 * (CellRuntimeState). Only the first is ever written to a file.
 */
import type { Table } from 'apache-arrow';
import type { Row } from '../db/connector';

export type CellKind = 'md' | 'sql' | 'ts' | 'vega-lite' | 'param';
export const FENCED_KINDS: readonly CellKind[] = ['sql', 'ts', 'vega-lite', 'param'];

/** How the cell was written in the file, kept so that parse → serialise is exact. */
export interface CellLayout {
  /** Whitespace between the previous cell (or front matter) and this one. */
  gap: string;
  /** The fence as written (``` or ````), fenced cells only. */
  fence?: string;
  /** Info string / marker attributes as written; reused while they still mean the same thing. */
  info?: string;
  /** The id was not written in the file (it is derived from the position). */
  implicitId?: boolean;
  /** Whitespace after a Markdown cell's text that belongs to the cell (before EOF). */
  trailing?: string;
}

export interface CellData {
  id: string;
  kind: CellKind;
  name?: string;
  source: string;
  /** Other attributes of the info string (e.g. `data` for vega-lite), in file order. */
  attrs: Record<string, string>;
  layout?: CellLayout;
}

export type ParamType = 'select' | 'number' | 'text' | 'checkbox' | 'year-range';
export type ParamValue = string | number | boolean | null | [number, number];

export interface ParamDef {
  name: string;
  type: ParamType;
  label?: string;
  default?: ParamValue;
  options?: (string | number)[];
  options_sql?: string;
  min?: number;
  max?: number;
  step?: number;
}

export interface FrontMatter {
  title?: string;
  description?: string;
  parameters?: ParamDef[];
  [key: string]: unknown;
}

export interface NotebookData {
  frontMatter: FrontMatter;
  /** The YAML as written; reused on save while it still parses to `frontMatter`. */
  frontMatterRaw?: string;
  cells: CellData[];
  /** Text after the last cell (usually a newline). */
  trailing: string;
  /** Set when the file used Windows line endings throughout. */
  eol?: '\r\n';
}

export type CellStatus = 'idle' | 'stale' | 'queued' | 'running' | 'done' | 'error' | 'cancelled';

/** What a cell produced, in a form both the UI and the headless runner understand. */
export type CellResult =
  | { kind: 'table'; table: string | null; columns: string[]; rowCount: number; arrow: Table; rows(): Row[] }
  | { kind: 'chart'; spec: Record<string, unknown>; data?: string }
  | { kind: 'md'; text: string }
  | { kind: 'html'; html: string }
  | { kind: 'dom'; node: unknown }
  | { kind: 'value'; value: unknown }
  | { kind: 'param'; value: ParamValue; options?: (string | number)[] }
  | { kind: 'none' };

export interface CellRuntimeState {
  status: CellStatus;
  result?: CellResult;
  /** Russian message shown on the cell. */
  error?: string;
  runCount: number;
  /** Names this cell reads (from the analysis). */
  deps: string[];
  durationMs?: number;
}
