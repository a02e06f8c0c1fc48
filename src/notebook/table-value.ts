/** A table as a cell value: the Arrow table plus rows made on first use. */
import type { Table } from 'apache-arrow';
import type { Row } from '../db/connector';
import type { CellResult } from './model';
import { arrowRows } from './values';

export type TableResult = Extract<CellResult, { kind: 'table' }>;

export function tableResult(arrow: Table, table: string | null): TableResult {
  let rows: Row[] | undefined;
  return {
    kind: 'table',
    table,
    columns: arrow.schema.fields.map((f) => f.name),
    rowCount: arrow.numRows,
    arrow,
    rows: () => (rows ??= arrowRows(arrow)),
  };
}

export function isTableValue(v: unknown): v is TableResult {
  return !!v && typeof v === 'object' && (v as TableResult).kind === 'table' && 'arrow' in v;
}

export function isArrowTable(v: unknown): v is Table {
  return !!v && typeof v === 'object' && 'schema' in v && 'numRows' in v && typeof (v as Table).getChild === 'function';
}

export function firstValue(t: TableResult): unknown {
  const row = t.rows()[0];
  return row ? Object.values(row)[0] : null;
}
