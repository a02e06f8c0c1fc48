/** A wide monitoring sheet: every column an indicator code (municipality level), or a school column and value columns. */
import { normalizeTitle } from '../synonyms';
import { mappingOf } from './common';
import { contextColumns } from './context';
import { ROLE_PERSONAL, type ColumnMapping, type Layout, type LayoutInput } from './types';

const CODE = /^[a-z][a-z0-9_]*$/;
const allCodes = (input: LayoutInput) => {
  const titled = input.headers.filter((h) => h.trim());
  return titled.length > 0 && titled.every((h) => CODE.test(h.trim()));
};

export const monitoringWide: Layout = {
  id: 'monitoring-wide',
  title: 'Мониторинг (широкая таблица)',
  recognise: (input) => (allCodes(input) ? 0.65 : contextColumns(input).some((c) => c.field === 'school_id') ? 0.3 : 0),
  map: (input) => {
    if (allCodes(input)) {
      const columns = input.raw.columns.map((column, i): ColumnMapping => ({ column, header: input.headers[i] ?? column, field: `monitoring:${(input.headers[i] ?? column).trim()}` }));
      return { version: 1, signature: input.signature, layout: 'monitoring-wide', target: 'monitoring', columns, constants: input.constants, confidence: 0.8 };
    }
    const columns = contextColumns(input).map((c): ColumnMapping => {
      if (c.field === 'school_id' || c.field === 'year' || c.field === ROLE_PERSONAL || c.field.startsWith('monitoring:') || c.field === 'ignore') return c;
      const n = c.header.trim();
      return { ...c, field: `monitoring:${CODE.test(n) ? n : normalizeTitle(n).replace(/ /g, '_')}` };
    });
    const m = mappingOf(input, 'monitoring-wide', 'monitoring', columns);
    m.confidence = Math.round(m.confidence * 80) / 100;
    return m;
  },
};
