/**
 * The indicator table of every school as one XLSX workbook, a sheet per direction (PREP, GIA, …),
 * with Russian headers and indicator titles, municipal totals first, then schools by code.
 */
import type { Connector, Row } from '../db/connector';
import { DIRECTIONS, type Direction, type IndicatorRow } from '../indicators/types';
import { INDICATOR_TITLES, dimensionTitle, dimensionValueTitle } from '../format';
import type { Table } from 'apache-arrow';
import { fromArrow, type ExportColumn } from './table';
import { toXlsxWorkbook, type SheetSpec, type XlsxProgress } from './xlsx';

export const DIRECTION_TITLES: Record<Direction, string> = {
  PREP: 'Подготовка обучающихся',
  GIA: 'Статистика ГИА',
  LOW: 'ШНОР и ШФНСУ',
  OBJ: 'Объективность',
  TAL: 'Таланты',
  CAR: 'Профориентация',
  MGR: 'Руководители',
  PED: 'Педагоги',
  UPB: 'Воспитание',
  PRE: 'Дошкольное',
};

const COLUMNS: ExportColumn[] = [
  { name: 'indicator_id', title: 'Код показателя', kind: 'text' },
  { name: 'indicator_title', title: 'Показатель', kind: 'text' },
  { name: 'year', title: 'Год', kind: 'integer', plain: true },
  { name: 'procedure', title: 'Процедура', kind: 'text' },
  { name: 'subject', title: 'Предмет', kind: 'text' },
  { name: 'grade', title: 'Класс', kind: 'integer', plain: true },
  { name: 'school_id', title: 'Код ОО', kind: 'text' },
  { name: 'school_name', title: 'ОО', kind: 'text' },
  { name: 'dimension_title', title: 'Разрез', kind: 'text' },
  { name: 'dimension', title: 'Код разреза', kind: 'text' },
  { name: 'dimension_value', title: 'Значение разреза', kind: 'text' },
  { name: 'numerator', title: 'Числитель', kind: 'number', digits: 2 },
  { name: 'denominator', title: 'Знаменатель', kind: 'number', digits: 2 },
  { name: 'value', title: 'Значение', kind: 'number', digits: 3 },
];

export const directionOf = (indicatorId: string): string => indicatorId.split('-')[0]!.toUpperCase();

export interface IndicatorWorkbookOptions {
  /** indicator_id → Russian title (from the registry). */
  titles?: Record<string, string>;
  /** school_id → name. */
  schoolNames?: Record<string, string>;
  /** Keep rows that are not values (dimension 'missing' / 'error'); default true, they explain gaps. */
  keepNotes?: boolean;
}

const cmp = (a: string | number | null, b: string | number | null): number =>
  a === b ? 0 : a === null ? -1 : b === null ? 1 : typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b), 'ru', { numeric: true });

/** The sheets (one per direction that has rows, in catalogue order). */
export function indicatorSheets(rows: readonly IndicatorRow[], opts: IndicatorWorkbookOptions = {}): SheetSpec[] {
  const byDir = new Map<string, IndicatorRow[]>();
  for (const r of rows) {
    if (opts.keepNotes === false && (r.dimension === 'missing' || r.dimension === 'error')) continue;
    const d = directionOf(r.indicator_id);
    (byDir.get(d) ?? byDir.set(d, []).get(d)!).push(r);
  }
  const order = [...DIRECTIONS as readonly string[], ...[...byDir.keys()].filter((d) => !(DIRECTIONS as readonly string[]).includes(d)).sort()];
  const sheets: SheetSpec[] = [];
  for (const d of order) {
    const list = byDir.get(d);
    if (!list?.length) continue;
    const sorted = [...list].sort(
      (a, b) =>
        cmp(a.indicator_id, b.indicator_id) || cmp(a.year, b.year) || cmp(a.school_id, b.school_id) || cmp(a.procedure, b.procedure) ||
        cmp(a.subject, b.subject) || cmp(a.grade, b.grade) || cmp(a.dimension, b.dimension) || cmp(a.dimension_value, b.dimension_value),
    );
    const out: Row[] = sorted.map((r) => ({
      ...r,
      indicator_title: opts.titles?.[r.indicator_id] ?? INDICATOR_TITLES[r.indicator_id] ?? null,
      // The reader sees the dimension and its coded values in Russian; the code stays beside it.
      dimension_title: r.dimension === null ? null : dimensionTitle(r.dimension),
      dimension_value: r.dimension_value === null ? null : dimensionValueTitle(r.dimension_value),
      school_name: r.school_id === null ? 'Муниципалитет (все ОО)' : (opts.schoolNames?.[r.school_id] ?? null),
    }));
    const title = DIRECTION_TITLES[d as Direction];
    sheets.push({ name: title ? `${d} ${title}` : d, table: { columns: COLUMNS, rows: out } });
  }
  return sheets;
}

/** XLSX bytes of the indicator table, a sheet per direction. */
export function indicatorWorkbook(rows: readonly IndicatorRow[], opts: IndicatorWorkbookOptions = {}, progress?: XlsxProgress): Promise<Uint8Array> {
  return toXlsxWorkbook(indicatorSheets(rows, opts), progress);
}

import { indicatorWorkbookInput } from './indicator-input';
export { indicatorWorkbookInput, type IndicatorWorkbookInput } from './indicator-input';

/** Plain indicator rows of an Arrow result (numbers as numbers, nulls kept). */
export function indicatorRowsOf(table: Table): IndicatorRow[] {
  return fromArrow(table).rows as unknown as IndicatorRow[];
}

/** The workbook for the data loaded in `conn`, built here (Node, or the browser's fallback). */
export async function buildIndicatorWorkbook(conn: Connector, opts: { ids?: string[] } = {}, progress?: XlsxProgress): Promise<Uint8Array> {
  const input = await indicatorWorkbookInput(conn, opts);
  return indicatorWorkbook(indicatorRowsOf(input.rows), { titles: input.titles, schoolNames: input.schoolNames }, progress);
}
