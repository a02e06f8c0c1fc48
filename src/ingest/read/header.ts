/**
 * Finds the table inside the first rows of a sheet: title lines above it, the header block
 * (one or several rows) and the first data row. Works on plain text grids, so CSV and XLSX
 * share it.
 */

export interface HeaderLayout {
  /** Row indexes (0-based, in the grid) of the title lines above the header. */
  titleRows: number[];
  /** First and last row of the header block; -1 when the table has no header. */
  headerStart: number;
  headerEnd: number;
  /** First data row (0-based). */
  dataStart: number;
  /** Number of columns of the table. */
  width: number;
  /** One title per column (bottom-most non-empty header cell), '' where there is none. */
  headers: string[];
  /** The header block rows when it has more than one row, top to bottom, padded to `width`. */
  headerRows: string[][];
}

const NUMERIC = /^[-+]?(\d[\d\s\u00a0]*([.,]\d+)?|[.,]\d+)([eE][-+]?\d+)?%?$/;
export const isNumericText = (s: string): boolean => NUMERIC.test(s.trim());

const nonEmpty = (row: string[]) => row.filter((c) => c.trim() !== '').length;
/** Distinct non-empty values: a merged title spread over a row counts once. */
const distinct = (row: string[]) => new Set(row.map((c) => c.trim()).filter(Boolean)).size;

export function detectHeader(grid: string[][]): HeaderLayout {
  const rows = grid.map((r) => r.map((c) => c ?? ''));
  const n = rows.length;
  const widthOf = (r: string[]) => {
    let w = r.length;
    while (w > 0 && r[w - 1].trim() === '') w--;
    return w;
  };
  const width = Math.max(0, ...rows.map(widthOf));
  if (n === 0 || width === 0) return { titleRows: [], headerStart: -1, headerEnd: -1, dataStart: n, width: 0, headers: [], headerRows: [] };

  // Columns that hold numbers in the lower half of the sample (where data surely is).
  const lower = rows.slice(Math.floor(n / 2));
  const numericCol: boolean[] = [];
  for (let c = 0; c < width; c++) {
    let num = 0;
    let filled = 0;
    for (const r of lower) {
      const v = (r[c] ?? '').trim();
      if (!v) continue;
      filled++;
      if (isNumericText(v)) num++;
    }
    numericCol[c] = filled > 0 && num / filled >= 0.6;
  }
  const hasNumericCols = numericCol.some(Boolean);
  const isDataLike = (r: string[]) => {
    if (!hasNumericCols) return false;
    let num = 0;
    let text = 0;
    for (let c = 0; c < width; c++) {
      if (!numericCol[c]) continue;
      const v = (r[c] ?? '').trim();
      if (!v) continue;
      if (isNumericText(v)) num++;
      else text++;
    }
    return num > 0 && text <= num;
  };

  // Typical number of filled cells in a data row: the median over the lower half.
  const filledCounts = lower.map(nonEmpty).sort((a, b) => a - b);
  const typical = Math.max(1, filledCounts[Math.floor(filledCounts.length / 2)]);
  const minHeaderCells = typical <= 2 ? typical : Math.max(2, Math.ceil(typical * 0.6));

  let start = -1;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    const filled = nonEmpty(r);
    if (filled === 0) continue;
    if (isDataLike(r)) break; // data before any header: a headerless table
    if (filled >= minHeaderCells && (distinct(r) >= 2 || typical <= 1)) {
      start = i;
      break;
    }
  }
  // Rows right above the header with several distinct cells (task levels «Б/П», group titles)
  // belong to the header block; a lone title line does not.
  const mainHeader = start;
  while (start > 0 && distinct(rows[start - 1]) >= 2 && !isDataLike(rows[start - 1])) start--;

  let end = mainHeader;
  let dataStart: number;
  if (start === -1) {
    dataStart = rows.findIndex((r) => nonEmpty(r) > 0 && (isDataLike(r) || nonEmpty(r) >= minHeaderCells));
    if (dataStart === -1) dataStart = n;
  } else if (hasNumericCols) {
    // The header block runs until the first data-like row.
    let i = mainHeader + 1;
    while (i < n && !isDataLike(rows[i])) i++;
    // No data-like row at all (a header-only sheet): the header ends at the titles.
    if (i >= n) i = mainHeader + 1;
    end = i - 1;
    dataStart = i;
  } else {
    dataStart = mainHeader + 1;
  }
  // Rows inside the block that are empty are not header rows (a blank line under the titles).
  const blockIdx: number[] = [];
  for (let i = start; i >= 0 && i <= end; i++) if (nonEmpty(rows[i]) > 0) blockIdx.push(i);
  const pad = (r: string[]) => Array.from({ length: width }, (_, c) => (r[c] ?? '').trim());
  const block = blockIdx.map((i) => pad(rows[i]));
  const headers = Array.from({ length: width }, (_, c) => {
    for (let k = block.length - 1; k >= 0; k--) if (block[k][c]) return block[k][c];
    return '';
  });
  const titleRows: number[] = [];
  const titleEnd = start === -1 ? dataStart : start;
  for (let i = 0; i < titleEnd; i++) if (nonEmpty(rows[i]) > 0) titleRows.push(i);
  return {
    titleRows,
    headerStart: start,
    headerEnd: end,
    dataStart,
    width,
    headers,
    headerRows: block.length > 1 ? block : [],
  };
}

/** DuckDB column names from header titles: whitespace collapsed, blanks named «Столбец N», duplicates numbered. */
export function columnNames(headers: string[]): string[] {
  const seen = new Set<string>();
  return headers.map((h, i) => {
    let base = h.replace(/\s+/g, ' ').trim().slice(0, 120) || `Столбец ${i + 1}`;
    if (base === '_row') base = '_row_';
    let name = base;
    for (let k = 2; seen.has(name.toLowerCase()); k++) name = `${base} (${k})`;
    seen.add(name.toLowerCase());
    return name;
  });
}
