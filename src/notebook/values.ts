/** Formatting of values interpolated into Markdown (Russian conventions: decimal comma). */
import type { Table } from 'apache-arrow';
import { normalizeValue, type Row } from '../db/connector';
import { formatValue as formatShown } from '../format';

/** Markdown `${x|spec}`: the one formatter of the presentation layer; a missing value reads «—». */
export function formatValue(value: unknown, format?: string): string {
  if (value === null || value === undefined) return '—';
  return formatShown(value, format);
}

/** Plain rows from an Arrow table (BIGINT → number, dates → ISO strings). */
export function arrowRows(table: Table): Row[] {
  const fields = table.schema.fields.map((f) => ({ name: f.name, type: String(f.type) }));
  const cols = fields.map((f) => table.getChild(f.name));
  const rows: Row[] = new Array(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    const r: Row = {};
    fields.forEach((f, k) => {
      const v: unknown = cols[k]?.get(i);
      r[f.name] = typeof v === 'number' && f.type.startsWith('Timestamp') ? new Date(v).toISOString() : normalizeValue(v, f.type);
    });
    rows[i] = r;
  }
  return rows;
}
