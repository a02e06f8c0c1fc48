import type { Table } from 'apache-arrow';
import { quoteIdent } from '../../db/connector';
import { analyzeSql } from '../analyze';
import { checkCellSql } from '../sql-guard';
import { tableResult } from '../table-value';
import { guardName } from './tables';
import type { CellKindDef } from './types';

function isQuery(sql: string): boolean {
  const first = sql.replace(/^(\s|--[^\n]*\n|\/\*[\s\S]*?\*\/)*/, '').split(/[\s(]/)[0].toUpperCase();
  return ['SELECT', 'WITH', 'FROM', 'VALUES', 'TABLE', 'PIVOT', 'UNPIVOT', 'SUMMARIZE', 'DESCRIBE', 'SHOW', '('].includes(first) || sql.trim().startsWith('(');
}

export const sqlKind: CellKindDef = {
  kind: 'sql',
  label: 'SQL',
  newSource: 'SELECT 1 AS x',
  namePrefix: 'q',
  named: true,
  language: 'sql',
  materialises: true,
  reportCode: 'sql',
  analyse(cell) {
    const a = analyzeSql(cell.source);
    return { tables: a.tables, params: a.params, names: [], strict: false };
  },
  async evaluate(unit, ctx) {
    const body = unit.cell!.source.replace(/;\s*$/, '').trim();
    if (!body) return { result: { kind: 'none' }, value: undefined };
    checkCellSql(body);
    const q = ctx.bind(body);
    let arrow: Table;
    if (unit.name) {
      await guardName(ctx.conn, unit.name);
      // Temporary tables: queryable by name, but never overwrite or clutter the user's data.
      await ctx.conn.query({ type: 'rows', sql: `CREATE OR REPLACE TEMP TABLE ${quoteIdent(unit.name)} AS ${q.sql}`, params: q.params });
      arrow = await ctx.conn.query({ type: 'arrow', sql: `SELECT * FROM ${quoteIdent(unit.name)}` });
    } else if (isQuery(body)) {
      arrow = await ctx.conn.query({ type: 'arrow', sql: q.sql, params: q.params });
    } else {
      await ctx.conn.query({ type: 'rows', sql: q.sql, params: q.params });
      return { result: { kind: 'none' }, value: undefined };
    }
    const result = tableResult(arrow, unit.name ?? null);
    return { result, value: result };
  },
};
