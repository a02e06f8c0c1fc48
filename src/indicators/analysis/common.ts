import type { Param } from '../../db/connector';
import type { IndicatorContext } from '../types';

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

export async function query(ctx: IndicatorContext, sql: string, params: Param[] = []): Promise<Record<string, unknown>[]> {
  return ctx.conn.query({ type: 'rows', sql, params });
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
