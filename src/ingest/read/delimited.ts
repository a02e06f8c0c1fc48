/**
 * The pure half of reading a CSV/TSV file: bytes → UTF-8 bytes for DuckDB, the encoding, the
 * delimiter and the header layout. No DuckDB here, so the browser runs it in workers/csv.worker.ts
 * (the decoded text never leaves the worker) and Node calls it directly.
 */
import { columnNames, detectHeader } from './header';
import { LIMITS } from './limits';
import { detectDelimiter, looksBinary, parseSample, textSource, type Encoding } from './text';

export interface ParsedDelimited {
  /** The file as UTF-8 without BOM: the input bytes themselves when they already are. */
  utf8: Uint8Array;
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
  /** 1-based lines of a UTF-8 file that were Windows-1251 (read as such): the person is warned. */
  foreignLines?: number[];
}

/** Either the parsed layout, or a Russian message (without the file name) of why the file is not a table. */
export type DelimitedResult = ParsedDelimited | { problem: string };

const SAMPLE_ROWS = 60;

/** `tsv`: the file name says tab separated, so the delimiter is not guessed. */
export function parseDelimited(bytes: Uint8Array, tsv: boolean): DelimitedResult {
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
  const utf8 = toUtf8();
  return {
    utf8,
    encoding,
    delimiter,
    columns: columnNames(headers),
    headers,
    headerRows: layout.headerRows,
    titleRows: layout.titleRows.map((i) => sample[i].fields),
    skip: sample[layout.dataStart].line,
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
