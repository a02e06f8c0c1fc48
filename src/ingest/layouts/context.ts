/**
 * Context questionnaire about schools («сбор контекстных данных об ОО»): one row per school; the
 * titles are form fields or whole questions. → `schools` (settlement type and size, school codes
 * in other systems as extra columns) + `monitoring` counts. Contact details are never mapped.
 */
import { MONITORING_INDEX, SCHOOL_INDEX, contextField, isPersonalTitle, lookup } from '../synonyms';
import { lastTitled, mappingOf, share } from './common';
import { ROLE_EXTRA, ROLE_IGNORE, ROLE_PERSONAL, type ColumnMapping, type Layout, type LayoutInput } from './types';

export function contextColumns(input: LayoutInput): ColumnMapping[] {
  const used = new Set<string>();
  const last = lastTitled(input.headers);
  return input.raw.columns.map((column, i): ColumnMapping => {
    const header = input.headers[i] ?? column;
    if (i > last && !header.trim()) return { column, header, field: ROLE_IGNORE };
    if (isPersonalTitle(header)) return { column, header, field: ROLE_PERSONAL };
    const known = lookup(SCHOOL_INDEX, header);
    const code = known ? null : lookup(MONITORING_INDEX, header);
    const f = known ?? (code ? `monitoring:${code}` : contextField(header));
    if (f === ROLE_IGNORE) return { column, header, field: ROLE_IGNORE };
    if (f && !used.has(f)) {
      used.add(f);
      return { column, header, field: f };
    }
    return { column, header, field: ROLE_EXTRA };
  });
}

export const context: Layout = {
  id: 'context',
  title: 'Контекстные данные об ОО (анкета)',
  recognise: (input: LayoutInput) => {
    const fields = contextColumns(input).map((c) => c.field);
    const contextish = fields.includes('settlement_type') || fields.includes('school_type') || fields.some((f) => f.startsWith('monitoring:'));
    if (!fields.includes('school_id') || !contextish) return 0;
    const questions = input.headers.filter((h) => h.trim().endsWith('?')).length;
    return 0.55 + 0.3 * share(contextColumns(input)) + (questions >= 2 ? 0.1 : 0);
  },
  map: (input) => mappingOf(input, 'context', 'schools', contextColumns(input)),
};
