import { quoteIdent, type Param } from '../../db/connector';
import type { IndicatorContext } from '../types';
import { breathe } from '../yield';

/** Optional narrowing of an analysis to one year / work / school (notebook parameters). */
export interface WorkFilter {
  year?: number | null;
  procedure?: string | null;
  subject?: string | null;
  grade?: number | null;
  school_id?: string | null;
}

/** `AND col = $n` for each given filter field, with bound parameters (alias-qualified when given). */
export function filterSql(filter: WorkFilter | undefined, alias = '', start = 1): { sql: string; params: Param[] } {
  const parts: string[] = [];
  const params: Param[] = [];
  for (const key of ['year', 'procedure', 'subject', 'grade', 'school_id'] as const) {
    const v = filter?.[key];
    if (v === undefined || v === null || v === '') continue;
    params.push(v);
    parts.push(`${alias ? `${alias}.` : ''}${key} = $${start + params.length - 1}`);
  }
  return { sql: parts.length ? ` AND ${parts.join(' AND ')}` : '', params };
}

/**
 * `compute` once per run (LOW criteria and groups, the objectivity analysis): kept by the run's
 * stages, which both lanes' contexts share (lanes.ts: they differ in the connection only), so a
 * result is computed once whichever lane asks first; outside a run, by the context itself.
 */
export function perRun<T>(compute: (ctx: IndicatorContext) => Promise<T>): (ctx: IndicatorContext) => Promise<T> {
  const cache = new WeakMap<object, Promise<T>>();
  return (ctx) => {
    const key = ctx.stage ?? ctx;
    let p = cache.get(key);
    if (!p) cache.set(key, (p = compute(ctx)));
    return p;
  };
}

export async function query(ctx: IndicatorContext, sql: string, params: Param[] = []): Promise<Record<string, unknown>[]> {
  return ctx.conn.query({ type: 'rows', sql, params });
}

let pagedSeq = 0;

/**
 * `query` for results of tens of thousands of rows, read `pageRows` at a time from a temporary
 * table: in the tab one result crosses from the database worker to the page in one piece, and
 * GIA-07's ≈50k summary rows held the page's thread for the whole transfer.
 */
export async function queryPaged(ctx: IndicatorContext, sql: string, params: Param[] = [], pageRows = 10_000): Promise<Record<string, unknown>[]> {
  const table = quoteIdent(`indicators__paged_${++pagedSeq}`);
  // CREATE … AS answers with its row count (as an INSERT does); a count(*) only where it does not.
  const [created] = await query(ctx, `CREATE TEMP TABLE ${table} AS ${sql}`, params);
  try {
    let n = Number(created?.Count ?? created?.count ?? NaN);
    if (!Number.isFinite(n)) n = Number((await query(ctx, `SELECT count(*) AS n FROM ${table}`))[0]?.n ?? 0);
    const out: Record<string, unknown>[] = [];
    for (let from = 0; from < n; from += pageRows) {
      const page = await query(ctx, `SELECT * EXCLUDE (rowid) FROM (SELECT rowid, * FROM ${table}) WHERE rowid >= ${from} AND rowid < ${from + pageRows}`);
      for (const r of page) out.push(r);
      await breathe();
    }
    return out;
  } finally {
    await ctx.conn.query({ type: 'exec', sql: `DROP TABLE IF EXISTS ${table}` });
  }
}

export function groupBy<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    let list = m.get(k);
    if (!list) m.set(k, (list = []));
    list.push(r);
  }
  return m;
}

export const workKey = <T extends object>(r: T): string =>
  ((o) => `${o.year}\u0001${o.procedure}\u0001${o.subject}\u0001${o.grade}`)(r as Record<string, unknown>);

export const num = (v: unknown): number | null => (v === null || v === undefined || v === '' ? null : Number.isFinite(Number(v)) ? Number(v) : null);
export const finite = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : v);
