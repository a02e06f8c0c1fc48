/**
 * What the home page says about the data: which data set is loaded (years, works, schools,
 * participants) and, per template, which canonical tables it needs and whether they hold rows.
 */
import type { Connector, TableInfo } from '../db/connector';
import { CONTRACT, isCanonicalTable, type CanonicalTableName } from '../model/contract';
import { INDICATORS } from '../indicators/registry';

export interface DataStatus {
  years: number[];
  works: number;
  schools: number;
  participants: number;
}

export async function dataStatus(conn: Connector, tables: readonly TableInfo[]): Promise<DataStatus | null> {
  if (!tables.some((t) => t.name === 'assessment_results')) return null;
  const [r] = await conn.query({
    type: 'rows',
    sql: `SELECT string_agg(DISTINCT CAST(year AS VARCHAR), ',' ORDER BY CAST(year AS VARCHAR)) AS years,
            count(DISTINCT (year, procedure, subject, grade)) AS works,
            count(DISTINCT school_id) AS schools, count(*) AS participants
          FROM assessment_results`,
  });
  if (!r) return null;
  return {
    years: String(r.years ?? '').split(',').filter(Boolean).map(Number),
    works: Number(r.works),
    schools: Number(r.schools),
    participants: Number(r.participants),
  };
}

/** Canonical tables the indicators of a direction read (the template's data needs). */
export function tablesOfDirection(direction: string | undefined): CanonicalTableName[] {
  if (!direction) return [];
  const needed = new Set<CanonicalTableName>();
  for (const d of INDICATORS) {
    if (d.direction !== direction.toUpperCase()) continue;
    for (const t of Object.keys(d.reads)) if (isCanonicalTable(t)) needed.add(t);
  }
  return [...needed].sort((a, b) => CONTRACT[a].title.localeCompare(CONTRACT[b].title, 'ru'));
}

export interface Coverage {
  needed: CanonicalTableName[];
  missing: CanonicalTableName[];
}

/** A table covers a need when it is loaded and has rows. */
export function coverage(needed: CanonicalTableName[], tables: readonly TableInfo[]): Coverage {
  const rows = new Map(tables.map((t) => [t.name, t.rowCount]));
  return { needed, missing: needed.filter((t) => !(rows.get(t) ?? 0)) };
}
