/**
 * What notebook SQL may do. Option queries of parameters run whenever a notebook opens, so they
 * must be one read-only SELECT (`optionsQuery`). SQL and TS cells, even trusted ones, may not reach the
 * storage level: attach or export databases, copy to files, install or load extensions, change
 * settings — a notebook works on the tables in front of it, not on the machine.
 */
import { tokenizeSql } from './analyze';

/** First keywords of statements a notebook may not run. */
const STORAGE_STATEMENTS = new Set(['ATTACH', 'DETACH', 'COPY', 'INSTALL', 'LOAD', 'FORCE', 'EXPORT', 'IMPORT', 'SET', 'RESET', 'USE', 'CHECKPOINT', 'VACUUM', 'CALL']);
/** PRAGMAs that only read (everything else may change a setting). */
const READ_PRAGMAS = new Set(['table_info', 'show_tables', 'show_tables_expanded', 'show', 'database_size', 'storage_info', 'version', 'platform', 'functions', 'collations']);

/** The statements of a script, split on `;` outside strings, comments and quoted names. */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const t of tokenizeSql(sql)) {
    if (t.type === 'other' && t.text === ';') {
      out.push(cur);
      cur = '';
    } else cur += t.type === 'comment' ? ' ' : t.text;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter(Boolean);
}

/** Throws a Russian error when a statement of `sql` works on the storage level. */
export function checkCellSql(sql: string): void {
  for (const stmt of splitStatements(sql)) {
    const words = tokenizeSql(stmt).filter((t) => t.type === 'ident');
    const first = words[0]?.text.toUpperCase();
    if (!first) continue;
    if (first === 'PRAGMA') {
      const name = words[1]?.text.toLowerCase() ?? '';
      if (READ_PRAGMAS.has(name) && !/=/.test(stmt)) continue;
    } else if (!STORAGE_STATEMENTS.has(first)) continue;
    throw new Error(`Команда ${first} в блокноте запрещена: блокнот работает только с таблицами (запрещены ATTACH, COPY, INSTALL/LOAD, EXPORT/IMPORT DATABASE, SET и изменяющие PRAGMA)`);
  }
}

const QUERY_START = new Set(['SELECT', 'WITH', 'FROM', 'VALUES']);

/**
 * An option query as the engine runs it: one SELECT (or WITH … SELECT), wrapped as a subquery so
 * that DuckDB's own parser refuses anything that is not a query expression. The statement count
 * comes from the tokenizer, which splits at least wherever DuckDB would (it ends block comments
 * and E-strings early, never late), so a smuggled `; DROP …` is always seen.
 */
export function optionsQuery(sql: string, param: string): string {
  const body = sql.trim().replace(/;\s*$/, '');
  const statements = splitStatements(body);
  const first = tokenizeSql(body).find((t) => t.type === 'ident' || (t.type === 'other' && t.text === '('));
  const word = first?.text.toUpperCase() ?? '';
  if (statements.length !== 1 || !(QUERY_START.has(word) || word === '(')) {
    throw new Error(`Параметр «${param}»: options_sql должен быть одним запросом SELECT, без других команд`);
  }
  return `SELECT * FROM (\n${body}\n) AS _options`;
}
