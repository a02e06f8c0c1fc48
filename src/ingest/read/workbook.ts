/**
 * The pure half of reading a workbook: bytes → per sheet its header layout and its data rows as
 * one `;`-separated UTF-8 CSV (`_row` first). No DuckDB here, so the browser runs it in
 * workers/xlsx.worker.ts and only compact results (a few strings and one byte array per sheet)
 * cross back to the page; Node calls it directly.
 */
import * as XLSX from 'xlsx';
import { columnNames, detectHeader } from './header';
import { csvField } from './load';
import type { RawSource } from './types';
import { LIMITS, zipBombProblem } from './limits';

/** One sheet with data: its layout (as in RawSource) and the data rows. */
export interface ParsedSheet extends Pick<RawSource, 'columns' | 'headers' | 'headerRows' | 'titleLines' | 'firstDataRow' | 'rowCount'> {
  name: string;
  /** `_row;field;field…` lines, one per data row, UTF-8 (fields in the order of `columns`). */
  csv: Uint8Array;
}

/** Either the sheets with data, or a Russian message (without the file name) of why there are none. */
export type ParsedWorkbook =
  | {
      sheets: ParsedSheet[];
      /** Sheets with any cell, header-only ones included: with several, table names carry the sheet name. */
      nonEmptySheets: number;
    }
  /** `sheet`: the sheet the problem is in, when it is one sheet's. */
  | { problem: string; sheet?: string };

const SAMPLE_ROWS = 60;

export function parseWorkbook(bytes: Uint8Array): ParsedWorkbook {
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  const ole = bytes[0] === 0xd0 && bytes[1] === 0xcf;
  if (!zip && !ole) return { problem: 'не является книгой Excel: файл повреждён или имеет другой формат.' };
  const bomb = zip ? zipBombProblem(bytes) : null;
  if (bomb) return { problem: bomb };
  let wb: XLSX.WorkBook;
  try {
    // Dense sheets: rows are arrays, so only real cells are visited, whatever range the file declares.
    wb = XLSX.read(bytes, { type: 'array', dense: true, cellDates: false, cellNF: true, cellFormula: false, cellHTML: false, cellStyles: false });
  } catch (e) {
    return { problem: `книгу Excel не удалось прочитать (${e instanceof Error ? e.message : String(e)}).` };
  }
  if (wb.SheetNames.length > LIMITS.sheets) {
    return { problem: `в книге ${wb.SheetNames.length} листов, а читается не больше ${LIMITS.sheets}. Оставьте в книге листы с данными или сохраните их в формате CSV.` };
  }
  const grids: { name: string; firstRow: number; grid: string[][] }[] = [];
  let cells = 0;
  for (const name of wb.SheetNames) {
    const g = sheetGrid(wb.Sheets[name]);
    if ('problem' in g) return { problem: g.problem, sheet: name };
    cells += g.cells;
    if (cells > LIMITS.cells) {
      return { problem: `в книге больше ${LIMITS.cells} заполненных ячеек: столько браузер не прочитает из Excel. Сохраните листы в формате CSV.`, sheet: name };
    }
    grids.push({ name, ...g });
  }
  const withData = grids.filter((s) => s.grid.some((r) => r.length > 0));
  if (!withData.length) return { problem: 'в книге нет ни одного листа с данными: все листы пусты.' };
  const sheets: ParsedSheet[] = [];
  const headerOnly: string[] = [];
  for (const s of withData) {
    const layout = detectHeader(s.grid.slice(0, SAMPLE_ROWS));
    const dataRows: number[] = [];
    let width = layout.width;
    for (let i = layout.dataStart; i < s.grid.length; i++) {
      if (!s.grid[i].some((c) => c !== '')) continue;
      dataRows.push(i);
      width = Math.max(width, s.grid[i].length);
    }
    if (!dataRows.length) {
      headerOnly.push(s.name);
      continue;
    }
    const headers = Array.from({ length: width }, (_, i) => layout.headers[i] ?? '');
    const lines = dataRows.map((i) => {
      const cells = s.grid[i];
      let line = String(s.firstRow + i);
      for (let c = 0; c < width; c++) line += ';' + csvField(cells[c] ?? '');
      return line;
    });
    sheets.push({
      name: s.name,
      columns: columnNames(headers),
      headers,
      headerRows: layout.headerRows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? '')),
      titleLines: layout.titleRows.map((i) => titleText(s.grid[i])),
      firstDataRow: s.firstRow + dataRows[0],
      rowCount: dataRows.length,
      csv: new TextEncoder().encode(lines.join('\n') + '\n'),
    });
  }
  if (!sheets.length) {
    return { problem: `в книге нет строк с данными: ${headerOnly.map((s) => `лист «${s}»`).join(', ')} содержит только заголовки.` };
  }
  return { sheets, nonEmptySheets: withData.length };
}

/** A title line's text: its non-empty cells, a merged title spread over several cells counted once. */
export function titleText(cells: string[]): string {
  const parts: string[] = [];
  for (const c of cells.map((x) => x.trim())) if (c && c !== parts[parts.length - 1]) parts.push(c);
  return parts.join(' ');
}

// Node's ESM view of the CommonJS build (npm run import under tsx) has no named SSF export; it is on the default export.
const SSF: typeof XLSX.SSF = XLSX.SSF ?? (Reflect.get(XLSX, 'default') as typeof XLSX).SSF;

function cellText(cell: XLSX.CellObject | undefined): string {
  if (!cell || cell.v === undefined || cell.v === null) return '';
  switch (cell.t) {
    case 'n': {
      const v = cell.v as number;
      if (cell.z && SSF.is_date(cell.z)) {
        const d = SSF.parse_date_code(v);
        if (d) {
          const date = `${String(d.y).padStart(4, '0')}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`;
          return d.H || d.M || d.S ? `${date} ${String(d.H).padStart(2, '0')}:${String(d.M).padStart(2, '0')}:${String(Math.floor(d.S)).padStart(2, '0')}` : date;
        }
      }
      // Drop binary floating-point noise the way Excel shows the number (15 significant digits).
      return String(Number(v.toPrecision(15)));
    }
    case 'b':
      return cell.v ? 'true' : 'false';
    case 'd':
      return (cell.v as Date).toISOString().slice(0, 10);
    case 'e':
      return '';
    default:
      return String(cell.v);
  }
}

/** Text of the real (non-empty) cells of a dense sheet by row and column, merged cells spread. */
function sheetCells(ws: XLSX.WorkSheet): string[][] {
  const text: string[][] = [];
  (ws['!data'] ?? []).forEach((row, r) => {
    if (!row) return;
    row.forEach((cell, c) => {
      const t = cellText(cell).trim();
      if (t) (text[r] ??= [])[c] = t;
    });
  });
  // Merged cells carry their value in the top-left cell only; spread it so multi-row headers line up.
  let spread = 0;
  for (const m of ws['!merges'] ?? []) {
    const size = (m.e.r - m.s.r + 1) * (m.e.c - m.s.c + 1);
    if (size > 10_000 || (spread += size) > 1_000_000) continue;
    const top = text[m.s.r]?.[m.s.c];
    if (!top) continue;
    for (let r = m.s.r; r <= m.e.r; r++) for (let c = m.s.c; c <= m.e.c; c++) (text[r] ??= [])[c] = top;
  }
  return text;
}

/**
 * The sheet's rows of text from its first to its last real cell. The declared dimension (`!ref`)
 * is ignored: a 1.6 KB file declaring A1:XFD1048576 would otherwise mean 17 billion cells.
 */
function sheetGrid(ws: XLSX.WorkSheet): { firstRow: number; grid: string[][]; cells: number } | { problem: string } {
  const text = sheetCells(ws);
  let top = -1;
  let left = Infinity;
  let right = -1;
  let cells = 0;
  text.forEach((row, r) => {
    if (top < 0) top = r;
    row.forEach((_, c) => {
      cells++;
      left = Math.min(left, c);
      right = Math.max(right, c);
    });
  });
  if (top < 0) return { firstRow: 1, grid: [], cells: 0 };
  if (right - left + 1 > LIMITS.columns) {
    return {
      problem: `на листе ${right - left + 1} столбцов (от ${XLSX.utils.encode_col(left)} до ${XLSX.utils.encode_col(right)}), а читается не больше ${LIMITS.columns}. Удалите лишние столбцы или проверьте, не повреждён ли файл.`,
    };
  }
  const grid: string[][] = [];
  for (let r = top; r < text.length; r++) {
    const row = text[r] ?? [];
    const cellsOfRow = Array.from({ length: Math.max(0, row.length - left) }, (_, i) => row[left + i] ?? '');
    grid.push(cellsOfRow);
  }
  return { firstRow: top + 1, grid, cells };
}
