/** The page's side of the `sql` template of TS cells (kept out of ts-api.ts, which the sandbox bundles). */
import type { Connector, Param } from '../db/connector';
import { bindSql } from './analyze';
import { checkCellSql } from './sql-guard';
import type { TsSql } from './ts-api';

/**
 * The page's side of `sql` in TS cells: interpolated values are bound (never spliced), `$name`
 * reads notebook parameters, storage-level commands are refused; runs through the one connector.
 */
export function makeTsSql(conn: Connector, lookup: (name: string) => { values: unknown[] } | undefined, check: () => void): TsSql {
  return async (strings, vals) => {
    const placeholders = new Map<string, unknown>();
    let text = strings[0];
    vals.forEach((v, i) => {
      placeholders.set(`__v${i}`, v);
      text += `$__v${i}` + strings[i + 1];
    });
    checkCellSql(text);
    const b = bindSql(text, (n) => (placeholders.has(n) ? { values: [placeholders.get(n)] } : lookup(n)));
    if (b.missing.length) throw new Error(`Неизвестный параметр $${b.missing[0]}`);
    const t = await conn.query({ type: 'arrow', sql: b.sql, params: b.params as Param[] });
    check();
    return t;
  };
}
