/** Arrow tables (what DuckDB-WASM returns) → plain rows with the Connector's value contract. */
import type { Table } from 'apache-arrow';
import { normalizeValue, type Row, type Value } from './connector';

export function normalizeArrowValue(v: unknown, type: string): Value {
  // Arrow gives timestamps as epoch milliseconds; the Connector contract wants ISO strings.
  if (typeof v === 'number' && type.startsWith('Timestamp')) return new Date(v).toISOString();
  return normalizeValue(v, type);
}

export function arrowToRows(table: Table): Row[] {
  const fields = table.schema.fields;
  const columns = fields.map((_, j) => table.getChildAt(j)!);
  const types = fields.map((f) => String(f.type));
  const rows: Row[] = new Array(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    const o: Row = {};
    for (let j = 0; j < fields.length; j++) o[fields[j].name] = normalizeArrowValue(columns[j].get(i), types[j]);
    rows[i] = o;
  }
  return rows;
}
