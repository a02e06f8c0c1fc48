/**
 * What a TypeScript cell sees (documented in docs/notebook.md) and how its code is invoked.
 * Free of DOM and of the database: the same module runs in Node (in-process, `--trust`) and
 * inside the browser's sandboxed frame, where `sql` is answered by the page through the one
 * connector. Only `invokeTs` evaluates code (it needs `unsafe-eval`, which the app page lacks).
 */
import { isArrowTable } from './table-value';
import * as ss from 'simple-statistics';
import jStatModule from 'jstat';
import type { Table } from 'apache-arrow';
import type { Row } from '../db/connector';
import { escapeHtmlText, escapeMarkdown } from './escape';
import { arrowRows, formatValue } from './values';

export const API_NAMES = ['sql', 'stats', 'md', 'html', 'vl', 'tables', 'cells', 'params'] as const;

/** One call of a TS cell: its transpiled body, the cells it reads and the notebook around it. */
export interface TsInvocation {
  /** The cell body, already transpiled to JavaScript. */
  code: string;
  /** Names of the cells it reads, passed to it as arguments. */
  names: string[];
  /** Every named cell's value; table results as Arrow tables (rows are made only when read). */
  values: Record<string, unknown>;
  params: Record<string, unknown>;
}

/** What the code's `sql` template reaches: the page's query (binding and checks happen there). */
export type TsSql = (strings: string[], values: unknown[]) => Promise<Table>;

/** Runs a TS cell: in process (Node) or in a sandboxed frame (browser); `cancel` drops a run that hangs. */
export type TsRunner = ((inv: TsInvocation, sql: TsSql) => Promise<unknown>) & { cancel?: () => void };

const jStat = ((jStatModule as unknown as { jStat?: unknown }).jStat ?? jStatModule) as unknown;

/** Rows of a table value (an Arrow table or a cell's rows) for a chart's inline data. */
export function rowsOf(v: unknown): unknown[] {
  if (v && typeof v === 'object' && 'rows' in v && typeof (v as { rows: unknown }).rows === 'function') return (v as { rows(): unknown[] }).rows();
  if (isArrowTable(v)) return arrowRows(v);
  if (Array.isArray(v)) return v;
  return [];
}

/** Rows of an Arrow table with the table itself attached as the non-enumerable `.arrow`. */
export function rowsWithArrow(t: Table): Row[] {
  const rows = arrowRows(t);
  Object.defineProperty(rows, 'arrow', { value: t, enumerable: false });
  return rows;
}

function formatInline(v: unknown): string {
  return typeof v === 'number' ? formatValue(v) : v === null || v === undefined ? '—' : String(v);
}

export function makeTsApi(query: TsSql) {
  const sql = async (strings: TemplateStringsArray, ...vals: unknown[]): Promise<Row[]> => rowsWithArrow(await query([...strings], vals));
  sql.arrow = (strings: TemplateStringsArray, ...vals: unknown[]): Promise<Table> => query([...strings], vals);
  // Values placed into md``/html`` are data: escaped, never markup.
  const interp = (strings: TemplateStringsArray, vals: unknown[], escape: (s: string) => string) =>
    strings.reduce((acc, s, i) => acc + s + (i < vals.length ? escape(formatInline(vals[i])) : ''), '');
  return {
    sql,
    stats: { ...ss, jStat },
    md: (strings: TemplateStringsArray, ...vals: unknown[]) => ({ __nb: 'md', text: interp(strings, vals, escapeMarkdown) }),
    html: (strings: TemplateStringsArray, ...vals: unknown[]) => ({ __nb: 'html', html: interp(strings, vals, escapeHtmlText) }),
    vl: (spec: Record<string, unknown>, data?: unknown) => ({
      __nb: 'chart',
      spec: data === undefined ? spec : { ...spec, data: { values: rowsOf(data) } },
    }),
  };
}

/** How a cell sees another cell's value: a table as row objects (`.arrow` attached). */
const view = (v: unknown): unknown => (isArrowTable(v) ? rowsWithArrow(v) : v);

/** Evaluates the cell body as an async function with the API and its inputs in scope. */
export async function invokeTs(inv: TsInvocation, query: TsSql): Promise<unknown> {
  const api = makeTsApi(query);
  const tables: Record<string, Table> = {};
  const cells: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(inv.values)) {
    if (isArrowTable(v)) tables[name] = v;
    // Lazy: turning a large table into rows costs, and most cells read few of the others.
    Object.defineProperty(cells, name, { get: () => view(inv.values[name]), enumerable: true });
  }
  const args = inv.names.map((n) => view(inv.values[n]));
  const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor as new (...a: string[]) => (...v: unknown[]) => Promise<unknown>;
  const fn = new AsyncFunction(...API_NAMES, ...inv.names, `"use strict";\n${inv.code}`);
  return fn(api.sql, api.stats, api.md, api.html, api.vl, tables, cells, inv.params, ...args);
}

/** Node: the code runs in this process (the CLI allows it only with --trust). */
export const inProcessRunner: TsRunner = invokeTs;

