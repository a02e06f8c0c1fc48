/** Cell text of report tables: Russian number formats by column kind, school names and titles from src/format. */
import type { Value } from '../../db/connector';
import { cellDisplay, columnKind, formatDate, formatNumber, formatPercent } from '../../format';
import type { ExportColumn } from '../table';

export function cellText(v: Value | undefined, c: ExportColumn): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    switch (c.kind) {
      case 'integer':
        return c.plain ? String(v) : formatNumber(v, { digits: 0 });
      case 'percent':
        return formatPercent(v, c.digits ?? 1);
      case 'number':
        return c.digits === undefined ? formatNumber(v) : formatNumber(v, { digits: c.digits });
      default:
        return formatNumber(v);
    }
  }
  if (typeof v === 'boolean') return v ? 'да' : 'нет';
  if (c.kind === 'date') return formatDate(v);
  // Text as the reader sees it: school names for codes, Russian dimension titles, decimal commas.
  return cellDisplay(v, columnKind(c.name));
}

export const isNumericColumn = (c: ExportColumn): boolean => c.kind === 'integer' || c.kind === 'number' || c.kind === 'percent';

export const cutNote = (shown: number, total: number): string | undefined =>
  total > shown ? `Показаны первые ${formatNumber(shown, { digits: 0 })} из ${formatNumber(total, { digits: 0 })} строк.` : undefined;
