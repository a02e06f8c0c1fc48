/**
 * The pure half of reading a CSV/TSV file: bytes → UTF-8 bytes for DuckDB, the encoding, the
 * delimiter and the header layout. No DuckDB here, so the browser runs it in workers/csv.worker.ts
 * (the decoded text never leaves the worker) and Node calls it directly.
 */
import { columnNames, detectHeader } from './header';
import { LIMITS } from './limits';
import { detectDelimiter, looksBinary, parseSample, textSource, type Encoding } from './text';

export interface ParsedDelimited {
  /**
   * The file as UTF-8 without BOM: the input bytes themselves when they already are. A file of
   * several parts (`cuts`) has only its first part here and the others in `more` (views of one
   * buffer; a parse worker gives each part its own before they move: transferables).
   */
  utf8: Uint8Array;
  /** The parts after the first, one per cut. */
  more: Uint8Array[];
  encoding: Encoding;
  delimiter: string;
  /** Raw column names (columnNames of `headers`). */
  columns: string[];
  headers: string[];
  headerRows: string[][];
  /** Cells of the title lines above the header. */
  titleRows: string[][];
  /** Lines before the first data row. */
  skip: number;
  /** Row ids (0-based, data rows) from which each later row sits one more line down: see rowShifts. */
  shifts: number[];
  /** Where the file is loaded in parts (each compressed before the next is read): see rowCuts. */
  cuts: RowCut[];
  /** 1-based lines of a UTF-8 file that were Windows-1251 (read as such): the person is warned. */
  foreignLines?: number[];
}

/** Either the parsed layout, or a Russian message (without the file name) of why the file is not a table. */
export type DelimitedResult = ParsedDelimited | { problem: string };

const SAMPLE_ROWS = 60;

/**
 * UTF-8 bytes per part of a large file's load. DuckDB holds a part's rows uncompressed (about
 * four times its text) until the checkpoint after it; a 124 MB file read whole added ≈ 480 MB at
 * once. 32 MB parts still give the parallel CSV reader several ranges to work on.
 */
export const PART_BYTES = 32 * 2 ** 20;

/** `tsv`: the file name says tab separated, so the delimiter is not guessed. */
export function parseDelimited(bytes: Uint8Array, tsv: boolean, partBytes = PART_BYTES): DelimitedResult {
  // Only the start of the file becomes a string: the layout is found there (SAMPLE_ROWS records).
  const { head: text, encoding, foreignLines, utf8: toUtf8 } = textSource(bytes);
  if (looksBinary(text)) {
    return { problem: 'не похож на таблицу: это не текст CSV/TSV, не книга Excel, не Parquet и не JSON (возможно, файл повреждён).' };
  }
  if (!text.trim()) return { problem: 'файл пуст: в нём нет ни одной строки с данными.' };
  const delimiter = tsv ? '\t' : detectDelimiter(text);
  const sample = parseSample(text, delimiter, SAMPLE_ROWS);
  const layout = detectHeader(sample.map((r) => r.fields));
  const dataRecords = sample.slice(layout.dataStart).filter((r) => r.fields.some((f) => f.trim() !== ''));
  if (!dataRecords.length) return { problem: 'в файле нет строк с данными (только заголовок или пустые строки).' };
  const width = dataWidth(dataRecords.map((r) => r.fields.length), layout.headers);
  if (width > LIMITS.columns) {
    return { problem: `в файле ${width} столбцов, а читается не больше ${LIMITS.columns}. Проверьте разделитель столбцов или удалите лишние столбцы.` };
  }
  const headers = Array.from({ length: width }, (_, i) => layout.headers[i] ?? '');
  // UTF-8 without BOM goes to DuckDB as is; Windows-1251 is transcoded once, straight into bytes.
  const whole = toUtf8();
  const skip = sample[layout.dataStart].line;
  const cuts = rowCuts(whole, skip, partBytes);
  const ends = [...cuts.map((c) => c.at), whole.length];
  return {
    utf8: cuts.length ? whole.subarray(0, ends[0]) : whole,
    more: cuts.map((c, k) => whole.subarray(c.at, ends[k + 1])),
    encoding,
    delimiter,
    columns: columnNames(headers),
    headers,
    headerRows: layout.headerRows,
    titleRows: layout.titleRows.map((i) => sample[i].fields),
    skip,
    shifts: rowShifts(whole, skip),
    cuts,
    ...(foreignLines ? { foreignLines } : {}),
  };
}

/** Number of columns: the most common width of data rows, widened to cover every non-empty header title. */
function dataWidth(widths: number[], headers: string[]): number {
  const counts = new Map<number, number>();
  for (const w of widths) counts.set(w, (counts.get(w) ?? 0) + 1);
  let mode = 1;
  let best = 0;
  for (const [w, c] of counts) if (c > best || (c === best && w > mode)) [mode, best] = [w, c];
  let lastHeader = headers.length;
  while (lastHeader > 0 && !headers[lastHeader - 1]) lastHeader--;
  return Math.max(mode, lastHeader);
}

/**
 * Where DuckDB's row ids stop following the file's lines, after line `skip`: a line with no
 * characters (or only "\r") is not a row for its reader, and a line break inside a quoted value
 * makes one row of two lines. Each entry is the row id from which the rows sit one line further
 * down; row id k is on line `skip + 1 + k + (entries ≤ k)`. Issues name lines, so every shift
 * counts. Jumps from line end to quote with the native indexOf: a byte-by-byte loop took ≈ 0.5 s
 * on a 124 MB file.
 */
export function rowShifts(bytes: Uint8Array, skip: number): number[] {
  const n = bytes.length;
  let i = 0;
  for (let line = 0; line < skip && i < n; line++) i = nextOr(bytes, 0x0a, i, n) + 1;
  const shifts: number[] = [];
  let rows = 0;
  let quote = nextOr(bytes, 0x22, i, n);
  let lineStart = i;
  while (i < n) {
    const nl = nextOr(bytes, 0x0a, i, n);
    if (quote < nl) {
      // A quoted value: every line break before its closing quote is inside the row.
      let close = nextOr(bytes, 0x22, quote + 1, n);
      while (close + 1 < n && bytes[close + 1] === 0x22) close = nextOr(bytes, 0x22, close + 2, n);
      for (let b = nextOr(bytes, 0x0a, quote + 1, close); b < close; b = nextOr(bytes, 0x0a, b + 1, close)) shifts.push(rows + 1);
      i = close + 1;
      quote = nextOr(bytes, 0x22, i, n);
      continue;
    }
    if (nl >= n && lineStart >= n) break;
    const blank = nl === lineStart || (nl === lineStart + 1 && bytes[lineStart] === 0x0d);
    if (blank) shifts.push(rows);
    else rows++;
    i = lineStart = nl + 1;
  }
  // Blank lines at the end shift no row.
  while (shifts.length && shifts[shifts.length - 1] >= rows) shifts.pop();
  return shifts;
}

/** A line start where a part of the file begins: its byte offset and the lines before it. */
export interface RowCut {
  at: number;
  line: number;
}

/**
 * Line starts after line `skip`, one at or after every `every` bytes, that are outside quoted
 * values (an even number of `"` before them: a doubled `""` counts twice), so each part read on
 * its own gives the same rows in the same order. Empty for a file of one part.
 */
export function rowCuts(bytes: Uint8Array, skip: number, every: number): RowCut[] {
  const n = bytes.length;
  const cuts: RowCut[] = [];
  let at = 0;
  for (let line = 0; line < skip && at < n; line++) at = nextOr(bytes, 0x0a, at, n) + 1;
  let quotes = 0;
  let lines = skip;
  let from = at;
  for (let want = at + every; want < n; want = at + every) {
    // Quotes and line breaks from the last cut up to the first line end at or after `want` that
    // is outside quotes.
    let nl = nextOr(bytes, 0x0a, want - 1, n);
    for (;;) {
      for (let b = nextOr(bytes, 0x22, from, nl); b < nl; b = nextOr(bytes, 0x22, b + 1, nl)) quotes++;
      for (let b = nextOr(bytes, 0x0a, from, nl); b < nl; b = nextOr(bytes, 0x0a, b + 1, nl)) lines++;
      from = nl;
      if (nl >= n || quotes % 2 === 0) break;
      nl = nextOr(bytes, 0x0a, nl + 1, n);
    }
    if (nl + 1 >= n) break;
    // The line break at `nl` ends the part.
    lines++;
    at = from = nl + 1;
    cuts.push({ at, line: lines });
  }
  return cuts;
}

/** Index of `byte` in [from, end), or `end`. */
function nextOr(bytes: Uint8Array, byte: number, from: number, end: number): number {
  const at = from < end ? bytes.indexOf(byte, from) : -1;
  return at < 0 || at > end ? end : at;
}
