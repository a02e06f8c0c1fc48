/** Cell results kept in the engine as temporary tables, so that SQL can read them by name. */
import { tableToIPC, type Table } from 'apache-arrow';
import { quoteIdent, type Connector, type Param } from '../../db/connector';
import { arrowRows } from '../values';

/** A cell's table would hide a data table of the same name from every query: refuse. */
export async function guardName(conn: Connector, name: string): Promise<void> {
  const rows = await conn.query({
    type: 'rows',
    sql: "SELECT 1 AS x FROM information_schema.tables WHERE table_catalog <> 'temp' AND table_schema = 'main' AND lower(table_name) = lower($1)",
    params: [name],
  });
  if (rows.length) throw new Error(`Имя ячейки «${name}» совпадает с таблицей данных: выберите другое имя`);
}

/**
 * A TS table as a temporary table. Small tables go through bound VALUES (nothing staged in
 * the user's schema); large ones through an Arrow staging table.
 */
export async function materialiseRows(conn: Connector, name: string, arrow: Table): Promise<void> {
  const cols = arrow.schema.fields.map((f) => f.name);
  const target = quoteIdent(name);
  if (arrow.numRows > 0 && arrow.numRows * cols.length <= 20_000) {
    const rows = arrowRows(arrow);
    const params: Param[] = [];
    const tuples = rows.map((r) => `(${cols.map((c) => (params.push(r[c] ?? null), `$${params.length}`)).join(', ')})`);
    const sql = `CREATE OR REPLACE TEMP TABLE ${target} AS SELECT * FROM (VALUES ${tuples.join(', ')}) AS t(${cols.map(quoteIdent).join(', ')})`;
    await conn.query({ type: 'rows', sql, params });
    return;
  }
  const stage = '__notebook_stage';
  await conn.insertArrow(stage, tableToIPC(arrow, 'stream'));
  await conn.query({ type: 'exec', sql: `CREATE OR REPLACE TEMP TABLE ${target} AS SELECT * FROM main.${quoteIdent(stage)}; DROP TABLE main.${quoteIdent(stage)}` });
}
