/** A form whose headers are the contract's Russian titles (staff, activities, achievements, graduates, scales, teaching). */
import { CONTRACT, type CanonicalTableName } from '../../model/contract';
import { CONTRACT_SYNONYMS, isPersonalTitle, normalizeTitle, type Field } from '../synonyms';
import { mappingOf } from './common';
import { ROLE_EXTRA, ROLE_PERSONAL, type ColumnMapping, type Layout, type LayoutInput } from './types';

const FORM_TABLES: CanonicalTableName[] = ['staff', 'staff_activities', 'achievements', 'graduates', 'class_teaching', 'thresholds', 'tasks', 'schools', 'monitoring'];

function formIndex(table: CanonicalTableName): Map<string, Field> {
  const m = new Map<string, Field>();
  const add = (title: string, field: string) => {
    const n = normalizeTitle(title);
    if (n && !m.has(n)) m.set(n, field);
  };
  for (const c of CONTRACT[table].columns) {
    add(c.name, c.name);
    add(c.title, c.name);
    add(c.title.replace(/\(.*?\)/g, ''), c.name);
  }
  for (const c of CONTRACT[table].columns) for (const t of CONTRACT_SYNONYMS[c.name] ?? []) add(t, c.name);
  return m;
}

/** The canonical table whose column titles a sheet uses, when most of its columns are recognised. */
function bestForm(input: LayoutInput): { table: CanonicalTableName; columns: ColumnMapping[]; hits: number; ratio: number } | null {
  let best: { table: CanonicalTableName; columns: ColumnMapping[]; hits: number; ratio: number } | null = null;
  for (const table of FORM_TABLES) {
    const index = formIndex(table);
    const used = new Set<string>();
    const columns = input.raw.columns.map((column, i): ColumnMapping => {
      const header = input.headers[i] ?? column;
      if (isPersonalTitle(header)) return { column, header, field: ROLE_PERSONAL };
      const f = index.get(normalizeTitle(header));
      if (f && !used.has(f)) {
        used.add(f);
        return { column, header, field: f };
      }
      return { column, header, field: ROLE_EXTRA };
    });
    const considered = columns.filter((c) => c.field !== ROLE_PERSONAL).length;
    const hits = used.size;
    const ratio = hits / Math.max(1, considered);
    const keys = CONTRACT[table].key.filter((k) => k !== 'year' && !(table === 'thresholds' && k === 'grade'));
    const keysOk = keys.every((k) => used.has(k) || (k === 'student_id' && columns.some((c) => c.field === ROLE_PERSONAL)));
    if (keysOk && hits >= 3 && ratio >= 0.6 && (!best || hits > best.hits)) best = { table, columns, hits, ratio };
  }
  return best;
}

const cache = new WeakMap<LayoutInput, ReturnType<typeof bestForm>>();
const formOf = (input: LayoutInput) => {
  if (!cache.has(input)) cache.set(input, bestForm(input));
  return cache.get(input)!;
};

export const form: Layout = {
  id: 'form',
  title: 'Форма с заголовками столбцов по-русски',
  // Most columns titled like the contract: 0.74 at the minimum share of 60 %, 0.9 when all are.
  recognise: (input) => (formOf(input) ? 0.5 + 0.4 * formOf(input)!.ratio : 0),
  map: (input) => {
    const f = formOf(input)!;
    return mappingOf(input, 'form', f.table, f.columns);
  },
};
