/** Helpers the layout records share: synonym mapping of columns, task columns, confidence. */
import { CONTRACT, type CanonicalTableName } from '../../model/contract';
import { isPersonalTitle, lookup, normalizeTitle, parseTaskTitle, type Field } from '../synonyms';
import { ROLE_EXTRA, ROLE_IGNORE, ROLE_PERSONAL, ROLE_TASK, type ColumnMapping, type LayoutInput, type Mapping } from './types';

const LEVELS: Record<string, string> = { б: 'базовый', п: 'повышенный', в: 'высокий' };

export function normalizeLevel(s: string | null | undefined): string | null {
  if (!s) return null;
  const n = normalizeTitle(s);
  if (LEVELS[n]) return LEVELS[n]!;
  for (const l of ['базовый', 'повышенный', 'высокий']) if (n.startsWith(l.slice(0, 4))) return l;
  return null;
}

/** Index of the last titled column: untitled ones after it hold spilled values. */
export const lastTitled = (headers: string[]) => headers.reduce((last, h, i) => (h.trim() ? i : last), -1);

/** Columns by a synonym index; the first column of a field wins, personal columns are marked, spilled ones ignored. */
export function mapWith(input: LayoutInput, index: Map<string, Field>): ColumnMapping[] {
  const used = new Set<string>();
  const last = lastTitled(input.headers);
  return input.raw.columns.map((column, i) => {
    const header = input.headers[i] ?? column;
    if (i > last && !header.trim()) return { column, header, field: ROLE_IGNORE };
    if (isPersonalTitle(header)) return { column, header, field: ROLE_PERSONAL };
    const f = lookup(index, header);
    if (f && !used.has(f)) {
      used.add(f);
      return { column, header, field: f };
    }
    return { column, header, field: ROLE_EXTRA };
  });
}

export function taskLevel(input: Pick<LayoutInput, 'raw'>, i: number): string | null {
  for (const row of input.raw.headerRows) {
    const l = normalizeLevel(row[i]);
    if (l) return l;
  }
  return null;
}

/** A task column mapping for header i (or null when the title is not a task). */
export function taskColumn(input: LayoutInput, i: number): ColumnMapping | null {
  const header = input.headers[i] ?? '';
  const t = parseTaskTitle(header);
  if (!t) return null;
  return { column: input.raw.columns[i]!, header, field: ROLE_TASK, task: t.task, max: t.max, level: taskLevel(input, i), ...(t.sequential ? { sequential: true } : {}) };
}

export const share = (columns: ColumnMapping[]) =>
  columns.length ? columns.filter((c) => c.field !== ROLE_EXTRA && c.field !== ROLE_IGNORE).length / columns.length : 0;

export function confidenceOf(m: Mapping): number {
  let conf = 0.5 + 0.5 * share(m.columns);
  if (m.target === 'assessment_results' || m.target === 'tasks') {
    const missing = (['year', 'procedure', 'subject', 'grade'] as const).filter((k) => m.constants[k] == null && !m.columns.some((c) => c.field === k));
    conf -= 0.1 * missing.length;
  }
  return Math.max(0, Math.min(1, Math.round(conf * 100) / 100));
}

export function mappingOf(input: LayoutInput, layout: string, target: CanonicalTableName, columns: ColumnMapping[], extra: Partial<Mapping> = {}): Mapping {
  const m: Mapping = { version: 1, signature: input.signature, layout, target, columns, constants: input.constants, confidence: 0, ...extra };
  m.confidence = confidenceOf(m);
  return m;
}

/** Share of a table's key columns (besides year) mapped. */
export function keysMapped(table: CanonicalTableName, columns: ColumnMapping[]): boolean {
  const fields = new Set(columns.map((c) => c.field));
  return CONTRACT[table].key.filter((k) => k !== 'year').every((k) => fields.has(k));
}

export const hasTitle = (input: LayoutInput, ...titles: string[]) => titles.some((t) => input.norm.includes(normalizeTitle(t)));
