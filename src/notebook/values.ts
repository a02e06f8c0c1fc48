/** Formatting of values interpolated into Markdown (Russian conventions: decimal comma). */
import type { Table } from 'apache-arrow';
import { normalizeValue, type Row } from '../db/connector';

const nf = (opts: Intl.NumberFormatOptions) => new Intl.NumberFormat('ru-RU', opts);

export function formatValue(value: unknown, format?: string): string {
  if (value === null || value === undefined) return '—';
  const [fmt, arg] = (format ?? '').split(':');
  const num = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' && !isNaN(Number(value)) ? Number(value) : NaN;
  switch (fmt) {
    case 'pct': {
      const digits = arg === undefined ? 1 : Number(arg);
      return isNaN(num) ? String(value) : nf({ style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(num);
    }
    case 'int':
      return isNaN(num) ? String(value) : nf({ maximumFractionDigits: 0 }).format(num);
    case 'num': {
      const digits = arg === undefined ? 2 : Number(arg);
      return isNaN(num) ? String(value) : nf({ minimumFractionDigits: digits, maximumFractionDigits: digits }).format(num);
    }
    default:
      if (typeof value === 'number') return String(value).replace('.', ',');
      if (Array.isArray(value)) return value.map((v) => formatValue(v)).join('–');
      return String(value);
  }
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
