import type { Connector } from '../../../src/db/connector';
import { quoteIdent, quoteLiteral } from '../../../src/db/connector';
import type { RawSource } from '../../../src/ingest/read/types';

let n = 0;
/** A raw sheet as the reader would leave it: all-VARCHAR columns c1…cN plus `_row`. */
export async function makeRaw(
  conn: Connector,
  file: string,
  headers: string[],
  rows: Array<Array<string | number | null>>,
  extra: Partial<Pick<RawSource, 'sheet' | 'titleLines' | 'headerRows' | 'firstDataRow'>> = {},
): Promise<RawSource> {
  const table = `t${++n}`;
  const columns = headers.map((_, i) => `c${i + 1}`);
  const first = extra.firstDataRow ?? 2 + (extra.titleLines?.length ?? 0) + (extra.headerRows?.length ?? 0);
  await conn.query({ type: 'exec', sql: `CREATE SCHEMA IF NOT EXISTS raw` });
  await conn.query({
    type: 'exec',
    sql: `CREATE OR REPLACE TABLE raw.${quoteIdent(table)} (_row INTEGER, ${columns.map((c) => `${c} VARCHAR`).join(', ')})`,
  });
  if (rows.length) {
    const values = rows
      .map((r, i) => `(${first + i}, ${columns.map((_, j) => (r[j] == null || r[j] === '' ? 'NULL' : quoteLiteral(String(r[j])))).join(', ')})`)
      .join(', ');
    await conn.query({ type: 'exec', sql: `INSERT INTO raw.${quoteIdent(table)} VALUES ${values}` });
  }
  return {
    file,
    sheet: extra.sheet ?? null,
    table,
    columns,
    headers,
    headerRows: extra.headerRows ?? [],
    titleLines: extra.titleLines ?? [],
    firstDataRow: first,
    rowCount: rows.length,
  };
}
