/**
 * Styled XLSX through exceljs: a bold, filled, frozen header row with autofilter, real numbers
 * with number formats (integers, decimals, percent, dates) and column widths fitted to content.
 */
import ExcelJS from 'exceljs';
import type { Value } from '../db/connector';
import { columnTitle, withSchoolNames, type ExportColumn, type ExportTable } from './table';

export interface SheetSpec {
  name: string;
  table: ExportTable;
  /** Bold title line(s) above the table (e.g. the report name); the header then starts below. */
  caption?: string;
}

const HEADER_FILL = 'FFD9E2F3';
const INVALID_SHEET_CHARS = /[[\]:*?/\\]/g;

/** Excel's rules: ≤ 31 characters, none of []:*?/\, unique within the workbook. */
export function sheetName(name: string, taken: Set<string>): string {
  const base = (name.replace(INVALID_SHEET_CHARS, ' ').trim() || 'Лист').slice(0, 31);
  let candidate = base;
  for (let i = 2; taken.has(candidate.toLowerCase()); i++) candidate = `${base.slice(0, 31 - String(i).length - 1)}_${i}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

export function numberFormat(c: ExportColumn): string | undefined {
  const d = c.digits;
  switch (c.kind) {
    case 'integer':
      return c.plain ? '0' : '#,##0';
    case 'number':
      return `#,##0.${'0'.repeat(d ?? 2)}`;
    case 'percent':
      return (d ?? 1) > 0 ? `0.${'0'.repeat(d ?? 1)}%` : '0%';
    case 'date':
      return 'dd.mm.yyyy';
    default:
      return undefined;
  }
}

function cellValue(v: Value | undefined, c: ExportColumn): ExcelJS.CellValue {
  if (v === null || v === undefined) return null;
  if (c.kind === 'date' && typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return new Date(`${v}T00:00:00Z`);
  if (c.kind === 'boolean' && typeof v === 'boolean') return v ? 'да' : 'нет';
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return v;
}

function displayWidth(v: Value | undefined, c: ExportColumn): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return c.kind === 'percent' ? 7 : String(Math.round(v)).length + (c.kind === 'number' ? 4 : 1) + Math.floor(String(Math.round(Math.abs(v))).length / 3);
  return String(v).length;
}

/** Called while a workbook is written: the share of rows written so far (0…1). */
export type XlsxProgress = (fraction: number) => void;

function addSheet(wb: ExcelJS.Workbook, name: string, spec: SheetSpec, onRow?: () => void): void {
  const ws = wb.addWorksheet(name);
  const { columns, rows } = spec.table;
  let headerRow = 1;
  if (spec.caption) {
    const cap = ws.addRow([spec.caption]);
    cap.font = { bold: true, size: 13 };
    ws.addRow([]);
    headerRow = 3;
  }
  const header = ws.addRow(columns.map(columnTitle));
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', wrapText: true };
  header.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };
    cell.border = { bottom: { style: 'thin', color: { argb: 'FF7F7F7F' } } };
  });
  for (const r of rows) {
    ws.addRow(columns.map((c) => cellValue(r[c.name], c)));
    onRow?.();
  }
  columns.forEach((c, i) => {
    const col = ws.getColumn(i + 1);
    const fmt = numberFormat(c);
    if (fmt) col.numFmt = fmt;
    let width = Math.min(columnTitle(c).length, 30);
    for (const r of rows.slice(0, 2000)) width = Math.max(width, displayWidth(r[c.name], c));
    col.width = Math.min(Math.max(width + 2, 8), 60);
  });
  // Number formats on the header cells would be harmless, but keep the header plain text.
  header.eachCell((cell) => (cell.numFmt = '@'));
  ws.views = [{ state: 'frozen', ySplit: headerRow, xSplit: 0 }];
  if (columns.length > 0) ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow, column: columns.length } };
}

/** A workbook with one sheet per spec, as XLSX bytes; `progress` hears the share of rows written. */
export async function toXlsxWorkbook(sheets: SheetSpec[], progress?: XlsxProgress): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'МСОКО Workbench';
  wb.created = new Date();
  const taken = new Set<string>();
  const total = sheets.reduce((n, s) => n + s.table.rows.length, 0);
  let done = 0;
  const step = Math.max(1, Math.floor(total / 50));
  const onRow = progress ? () => ++done % step === 0 && progress(Math.min(1, done / total)) : undefined;
  for (const s of sheets) addSheet(wb, sheetName(s.name, taken), s, onRow);
  if (sheets.length === 0) wb.addWorksheet('Лист1');
  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}

/** One table as a one-sheet XLSX (school codes get their names in the next column). */
export function toXlsx(table: ExportTable, sheet = 'Данные', caption?: string): Promise<Uint8Array> {
  return toXlsxWorkbook([{ name: sheet, table: withSchoolNames(table), ...(caption ? { caption } : {}) }]);
}
