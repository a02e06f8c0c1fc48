/** Per-column profile of a table: nulls, distinct values, min/max and a small histogram. */
import { quoteIdent, type ColumnInfo, type Connector } from '../db/connector';
import { qualified } from '../db/browser-connector';

export interface ColumnProfile {
  name: string;
  type: string;
  nulls: number;
  distinct: number;
  min: string | null;
  max: string | null;
  /** Equal-width bins for numbers, or the most frequent values for anything else. */
  bars: { label: string; count: number }[];
}

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL|REAL)/i;
export const isNumericSqlType = (t: string) => NUMERIC.test(t);
const BINS = 10;

export async function profileColumn(conn: Connector, table: string, col: ColumnInfo): Promise<ColumnProfile> {
  const t = qualified(table);
  const c = quoteIdent(col.name);
  const [s] = await conn.query({
    type: 'rows',
    sql: `SELECT count(*) - count(${c}) AS nulls, count(DISTINCT ${c}) AS distinct_count,
                 CAST(min(${c}) AS VARCHAR) AS min_v, CAST(max(${c}) AS VARCHAR) AS max_v FROM ${t}`,
  });
  let bars: ColumnProfile['bars'] = [];
  const distinct = Number(s.distinct_count);
  if (isNumericSqlType(col.type) && s.min_v !== null && distinct > 12) {
    const rows = await conn.query({
      type: 'rows',
      sql: `WITH b AS (SELECT min(${c})::DOUBLE AS lo, max(${c})::DOUBLE AS hi FROM ${t})
            SELECT least(${BINS - 1}, CAST(floor((${c}::DOUBLE - lo) / nullif(hi - lo, 0) * ${BINS}) AS INTEGER)) AS bin,
                   count(*) AS n, any_value(lo) AS lo, any_value(hi) AS hi
            FROM ${t}, b WHERE ${c} IS NOT NULL GROUP BY bin ORDER BY bin`,
    });
    const lo = Number(rows[0]?.lo ?? 0);
    const hi = Number(rows[0]?.hi ?? 0);
    const counts = new Array(hi > lo ? BINS : 1).fill(0);
    for (const r of rows) counts[Number(r.bin ?? 0)] += Number(r.n);
    const step = (hi - lo) / counts.length;
    bars = counts.map((count, i) => ({ label: fmt(lo + i * step), count }));
  } else if (s.min_v !== null) {
    // Few values (codes, marks, years): one bar per value in order; otherwise the most frequent.
    const order = distinct <= 12 ? `${c}` : 'n DESC, v';
    const rows = await conn.query({
      type: 'rows',
      sql: `SELECT CAST(${c} AS VARCHAR) AS v, count(*) AS n FROM ${t} WHERE ${c} IS NOT NULL GROUP BY ${c} ORDER BY ${order} LIMIT 12`,
    });
    bars = rows.map((r) => ({ label: String(r.v), count: Number(r.n) }));
  }
  return {
    name: col.name,
    type: col.type,
    nulls: Number(s.nulls),
    distinct: Number(s.distinct_count),
    min: s.min_v === null ? null : String(s.min_v),
    max: s.max_v === null ? null : String(s.max_v),
    bars,
  };
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2).replace('.', ','));
