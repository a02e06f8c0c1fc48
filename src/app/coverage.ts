/** Per template: which canonical tables it needs and whether the loaded ones hold rows. */
import type { TableInfo } from '../db/connector';
import { CONTRACT, isCanonicalTable, type CanonicalTableName } from '../model/contract';
import { INDICATORS } from '../indicators/registry';

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
