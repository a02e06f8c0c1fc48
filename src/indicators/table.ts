/**
 * The life of the `indicators` table: one computation at a time per database, rows computed
 * into a staging table, the key checked, and the staging table swapped in within one
 * transaction. Readers therefore see either the previous table or the new one, never a
 * half-filled or doubled one (two templates opened a second apart used to fill it 2–4 times).
 */
import { UserError } from '../errors';
import { quoteIdent, type Connector } from '../db/connector';
import { INDICATORS_TABLE } from './sql';

/** Where a run writes before the swap; not a name a user would give a table. */
export const STAGING_TABLE = 'indicators__next';

/** The key of data-contract.md: at most one row per indicator, work, school and breakdown. */
export const INDICATOR_KEY = ['indicator_id', 'year', 'procedure', 'subject', 'grade', 'school_id', 'dimension', 'dimension_value'] as const;

// Keyed by the connector object: the browser app and the headless runner each hold one per database.
const queues = new WeakMap<object, Promise<unknown>>();

/**
 * Runs `fn` after every computation already queued on this connector has finished (whatever
 * its outcome), so concurrent callers never write the table at the same time.
 */
export function oneAtATime<T>(conn: Connector, fn: () => Promise<T>): Promise<T> {
  const before = queues.get(conn) ?? Promise.resolve();
  const next = before.then(fn, fn);
  queues.set(
    conn,
    next.catch(() => undefined),
  );
  return next;
}

/**
 * Throws a Russian UserError naming the indicators that have more than one row per key. GROUP BY
 * treats NULLs as equal, which a UNIQUE constraint on these nullable columns would not.
 */
export async function assertUniqueKey(conn: Connector, table = STAGING_TABLE): Promise<void> {
  const key = INDICATOR_KEY.join(', ');
  // First a grouping by one 64-bit hash of the key (NULLs hash alike, so equal keys always share a
  // hash): 5× cheaper than grouping eight text and integer columns (≈230k rows on the demo). Only
  // when two rows share a hash — a repeated key or, rarely, a collision — is the exact check run.
  const [shared] = await conn.query({
    type: 'rows',
    sql: `SELECT count(*) AS n FROM (SELECT hash(${key}) AS h FROM ${quoteIdent(table)} GROUP BY h HAVING count(*) > 1)`,
  });
  if (Number(shared?.n ?? 1) === 0) return;
  const rows = await conn.query({
    type: 'rows',
    sql: `SELECT indicator_id, min(described) AS example, sum(n) AS extra FROM (
            SELECT ${key}, count(*) - 1 AS n,
              concat_ws(', ', 'год ' || year, procedure, subject, 'класс ' || grade, 'ОО ' || school_id, dimension, dimension_value) AS described
            FROM ${quoteIdent(table)} GROUP BY ${key} HAVING count(*) > 1)
          GROUP BY indicator_id ORDER BY indicator_id`,
  });
  if (!rows.length) return;
  const list = rows.map((r) => `${r.indicator_id} (лишних строк: ${r.extra}; например: ${r.example})`).join('; ');
  throw new UserError(
    `Показатели не сохранены: у ${rows.length === 1 ? 'показателя' : 'показателей'} ${list} несколько строк с одним ключом ` +
      '(показатель, год, процедура, предмет, класс, ОО, разрез, значение разреза). Это ошибка расчёта, а не результат.',
  );
}

/** Replaces `indicators` by the staging table (and runs `alsoSql`, e.g. the data fingerprint) in one transaction. */
export async function swapIn(conn: Connector, alsoSql: string[] = []): Promise<void> {
  const statements = [
    `DROP TABLE IF EXISTS ${quoteIdent(INDICATORS_TABLE)}`,
    `ALTER TABLE ${quoteIdent(STAGING_TABLE)} RENAME TO ${quoteIdent(INDICATORS_TABLE)}`,
    ...alsoSql,
  ];
  try {
    await conn.query({ type: 'exec', sql: `BEGIN TRANSACTION; ${statements.join('; ')}; COMMIT` });
  } catch (e) {
    await conn.query({ type: 'exec', sql: 'ROLLBACK' }).catch(() => undefined);
    throw e;
  }
}

export async function dropStaging(conn: Connector): Promise<void> {
  await conn.query({ type: 'exec', sql: `DROP TABLE IF EXISTS ${quoteIdent(STAGING_TABLE)}` });
}
