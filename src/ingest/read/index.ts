/**
 * The reader: bytes of one file → one RawSource per sheet, in browser and Node alike.
 * For each sheet it creates `raw.<name>` (all VARCHAR + `_row`, for the mapping step) and the
 * typed `main.<name>` the person sees and queries (decimal commas → DOUBLE, dates → DATE…).
 *
 *   const sources = await readFile(conn, 'Результаты.csv', bytes);
 *
 * readFile takes over `bytes`: in the browser they move to a parse worker or the database worker.
 */
import type { Connector } from '../../db/connector';
import { UserError, toUserError, withPlace } from '../../errors';
import type { RawSource } from './types';
import { decodeText, type Encoding } from './text';
import { columnNames } from './header';
import { loadParquetTable } from './parquet';
import { createTyped, csvField, inferTypes, loadDelimited, rawRef, tableNameFor, type ColumnType, type DelimitedPart } from './load';
import { parseOffThread, type ParseControl } from './off-thread';
import { PART_BYTES, parseDelimited } from './delimited';
import { parseWorkbook, titleText } from './workbook';
import { parseTimeoutMs } from './limits';
import type { ParseRunner } from './parsers';

export type { RawSource } from './types';
export { tableNameFor } from './load';

export interface ReadOptions {
  /** Base table name (default: from the file name; sheets add `_<sheet>` when a workbook has several). */
  tableName?: string;
  /** Also create the typed table in schema main (default true). */
  typed?: boolean;
  onProgress?: (fraction: number, stage: string) => void;
  /** Stops the parse (its worker is terminated); readFile then rejects with «загрузка файла отменена». */
  signal?: AbortSignal;
  /** Time a parse may take (default: parseTimeoutMs of the file's size). */
  parseTimeoutMs?: number;
  /** UTF-8 bytes per part of a large CSV's load (default PART_BYTES; tests set less). */
  partBytes?: number;
  /** Where the pure parses run (default: a web worker in the browser, the calling thread in Node; the CLI passes nodeWorkerParser). */
  parser?: ParseRunner;
}

/** What readFile adds to RawSource for the app (all optional for other producers of RawSource). */
export interface ReadSource extends RawSource {
  /** The typed table in schema main, when created. */
  typedTable?: string;
  typedColumns?: { name: string; type: ColumnType }[];
  encoding?: Encoding;
  delimiter?: string;
  /** Russian warnings about the file that did not stop it loading (naming file and row). */
  warnings?: string[];
}

export type FileFormat = 'csv' | 'xlsx' | 'parquet' | 'json';

export function detectFormat(name: string, bytes: Uint8Array): FileFormat {
  const ext = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  if (['xlsx', 'xlsm', 'xls', 'ods'].includes(ext)) return 'xlsx';
  if (ext === 'parquet') return 'parquet';
  if (ext === 'json') return 'json';
  if (['csv', 'tsv', 'txt', 'tab'].includes(ext)) return 'csv';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'xlsx';
  if (bytes[0] === 0x50 && bytes[1] === 0x41 && bytes[2] === 0x52 && bytes[3] === 0x31) return 'parquet';
  const first = String.fromCharCode(...bytes.subarray(0, 64)).trimStart()[0];
  if (first === '[' || first === '{') return 'json';
  return 'csv';
}

export async function readFile(conn: Connector, file: string, bytes: Uint8Array, opts: ReadOptions = {}): Promise<ReadSource[]> {
  const progress = opts.onProgress ?? (() => {});
  if (bytes.length === 0) throw new UserError('файл пуст (0 байт).', { file });
  const format = detectFormat(file, bytes);
  progress(0.1, 'Разбор файла');
  let sources: ReadSource[];
  if (format === 'xlsx') sources = await readWorkbook(conn, file, bytes, opts);
  else if (format === 'parquet') sources = await readParquet(conn, file, bytes, opts);
  else if (format === 'json') sources = await readJson(conn, file, bytes, opts);
  else sources = await readText(conn, file, bytes, opts);
  progress(1, 'Готово');
  return sources;
}

/**
 * Runs a parse with its timeout, stopped by `opts.signal` or by the connector's cancel (the
 * header's «Отменить»); its failures (timeout, cancel, a crashed worker) name the file.
 */
async function tracked<T>(conn: Connector, file: string, bytes: Uint8Array, opts: ReadOptions, parse: (control: ParseControl) => Promise<T>): Promise<T> {
  const timeoutMs = opts.parseTimeoutMs ?? parseTimeoutMs(bytes.length);
  const withSignal = (signal?: AbortSignal) => {
    const signals = [opts.signal, signal].filter((s): s is AbortSignal => !!s);
    return parse({ timeoutMs, signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0] });
  };
  try {
    return await (conn.track ? conn.track(withSignal) : withSignal());
  } catch (e) {
    throw toUserError(e, { file });
  }
}

async function finish(conn: Connector, src: ReadSource, opts: ReadOptions): Promise<ReadSource> {
  if (opts.typed === false) return src;
  opts.onProgress?.(0.8, 'Определение типов столбцов');
  const types = await inferTypes(conn, src.table, src.columns);
  await createTyped(conn, src.table, src.columns, types);
  return { ...src, typedTable: src.table, typedColumns: src.columns.map((name, i) => ({ name, type: types[i] })) };
}

async function readText(conn: Connector, file: string, bytes: Uint8Array, opts: ReadOptions): Promise<ReadSource[]> {
  const csvWorker = () => new Worker(new URL('../../../workers/csv.worker.ts', import.meta.url), { type: 'module', name: 'csv' });
  const tsv = /\.tsv$/i.test(file);
  const partBytes = opts.partBytes ?? PART_BYTES;
  const parsed = await tracked(conn, file, bytes, opts, (control) =>
    opts.parser ? opts.parser('csv', bytes, control, [tsv, partBytes]) : parseOffThread(csvWorker, parseDelimited, bytes, control, tsv, partBytes),
  );
  if ('problem' in parsed) throw new UserError(parsed.problem, { file });
  const { utf8, more, encoding, delimiter: delim, columns: names, headers, headerRows, titleRows, skip, shifts, cuts, foreignLines } = parsed;
  const table = opts.tableName ?? tableNameFor(file);
  const path = `${table}.${Date.now()}.csv`;
  opts.onProgress?.(0.3, 'Загрузка в базу');
  // Each part moves to the engine once (the bytes are handed over), when it is first read, and
  // stays registered until the load is done (a widened load reads the parts again).
  const partNames = cuts.map((_, k) => `${path}.${k + 1}`);
  const registered = new Map<number, Promise<string>>();
  const rest: DelimitedPart[] = cuts.map((c, k) => ({
    line: c.line,
    open: () => registered.get(k) ?? registered.set(k, conn.registerFile(partNames[k], more[k])).get(k)!,
  }));
  const first = await conn.registerFile(path, utf8);
  let rowCount: number;
  try {
    rowCount = await loadDelimited(conn, { place: { file }, path: first, delim, skip, shifts, names, numbered: false, table, rest });
  } finally {
    await conn.dropFile(path);
    for (const k of registered.keys()) await conn.dropFile(partNames[k]).catch(() => undefined);
  }
  // Lines of empty cells (`;;`) come through as all-NULL rows (a line with no characters is skipped by the reader; the numbers after it account for it).
  await dropEmptyRows(conn, table, names);
  rowCount = await countRows(conn, table);
  const src: ReadSource = {
    file,
    sheet: null,
    table,
    columns: names,
    // Columns loadDelimited added for values spilled past the header are untitled.
    headers: [...headers, ...Array<string>(Math.max(0, names.length - headers.length)).fill('')],
    headerRows,
    titleLines: titleRows.map(titleText),
    firstDataRow: skip + 1,
    rowCount,
    encoding,
    delimiter: delim,
    ...(foreignLines?.length ? { warnings: [foreignLinesWarning(file, foreignLines)] } : {}),
  };
  return [await finish(conn, src, opts)];
}

function foreignLinesWarning(file: string, lines: number[]): string {
  const tail = 'Windows-1251, а не UTF-8, как остальной файл; прочитано в Windows-1251 — проверьте текст.';
  if (lines.length === 1) return withPlace(`строка записана в кодировке ${tail}`, { file, row: lines[0] });
  const shown = lines.slice(0, 10).join(', ') + (lines.length > 10 ? ` и ещё ${lines.length - 10}` : '');
  return withPlace(`строки ${shown} записаны в кодировке ${tail}`, { file });
}

async function dropEmptyRows(conn: Connector, table: string, columns: string[]): Promise<void> {
  if (!columns.length) return;
  const allNull = columns.map((c) => `(${quoteIdentSafe(c)} IS NULL OR trim(${quoteIdentSafe(c)}) = '')`).join(' AND ');
  await conn.query({ type: 'exec', sql: `DELETE FROM ${rawRef(table)} WHERE ${allNull}` });
}

const quoteIdentSafe = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function countRows(conn: Connector, table: string): Promise<number> {
  const [r] = await conn.query({ type: 'rows', sql: `SELECT count(*) AS n FROM ${rawRef(table)}` });
  return Number(r.n);
}

/** Loads a grid (rows of text, with their 1-based source row numbers) through a generated CSV. */
async function loadGrid(
  conn: Connector,
  place: { file: string; sheet: string | null },
  table: string,
  headers: string[],
  rows: { row: number; cells: string[] }[],
): Promise<string[]> {
  const names = columnNames(headers);
  const lines = rows.map((r) => [String(r.row), ...names.map((_, i) => csvField(r.cells[i] ?? ''))].join(';'));
  await loadGridCsv(conn, place, table, names, new TextEncoder().encode(lines.join('\n') + '\n'));
  return names;
}

/** Loads a generated `_row;field…` CSV (UTF-8) into `raw.<table>`. */
async function loadGridCsv(conn: Connector, place: { file: string; sheet: string | null }, table: string, names: string[], csv: Uint8Array): Promise<void> {
  const path = `${table}.${Date.now()}.grid.csv`;
  const registered = await conn.registerFile(path, csv);
  try {
    await loadDelimited(conn, { place, path: registered, delim: ';', skip: 0, names: ['_row', ...names], numbered: true, table });
  } finally {
    await conn.dropFile(path);
  }
}

async function readWorkbook(conn: Connector, file: string, bytes: Uint8Array, opts: ReadOptions): Promise<ReadSource[]> {
  const xlsxWorker = () => new Worker(new URL('../../../workers/xlsx.worker.ts', import.meta.url), { type: 'module', name: 'xlsx' });
  const parsed = await tracked(conn, file, bytes, opts, (control) =>
    opts.parser ? opts.parser('xlsx', bytes, control, []) : parseOffThread(xlsxWorker, parseWorkbook, bytes, control),
  );
  if ('problem' in parsed) throw new UserError(parsed.problem, { file, sheet: parsed.sheet });
  const out: ReadSource[] = [];
  for (const [k, s] of parsed.sheets.entries()) {
    opts.onProgress?.(0.2 + (0.6 * k) / parsed.sheets.length, `Лист «${s.name}»`);
    const base = opts.tableName ?? tableNameFor(file);
    const table = parsed.nonEmptySheets > 1 ? tableNameFor(base, s.name) : base;
    await loadGridCsv(conn, { file, sheet: s.name }, table, s.columns, s.csv);
    const { columns, headers, headerRows, titleLines, firstDataRow, rowCount } = s;
    out.push(await finish(conn, { file, sheet: s.name, table, columns, headers, headerRows, titleLines, firstDataRow, rowCount }, opts));
  }
  return out;
}

async function readJson(conn: Connector, file: string, bytes: Uint8Array, opts: ReadOptions): Promise<ReadSource[]> {
  const { text } = decodeText(bytes);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const pos = /position (\d+)/.exec(String(e))?.[1];
    const row = pos ? text.slice(0, Number(pos)).split('\n').length : undefined;
    throw new UserError('файл не является корректным JSON.', { file, row });
  }
  if (!Array.isArray(data) && data && typeof data === 'object') {
    data = Object.values(data).find(Array.isArray) ?? [data];
  }
  if (!Array.isArray(data) || !data.length) throw new UserError('в JSON нет записей: ожидался массив объектов.', { file });
  const keys: string[] = [];
  const seen = new Set<string>();
  const isRowArray = Array.isArray(data[0]);
  const records = isRowArray ? (data.slice(1) as unknown[][]) : (data as Record<string, unknown>[]);
  if (isRowArray) keys.push(...(data[0] as unknown[]).map(String));
  else
    for (const r of records as Record<string, unknown>[]) {
      if (!r || typeof r !== 'object') throw new UserError('в JSON ожидался массив объектов (записей).', { file });
      for (const k of Object.keys(r)) if (!seen.has(k)) (seen.add(k), keys.push(k));
    }
  const str = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const rows = records.map((r, i) => ({
    row: i + 1,
    cells: isRowArray ? (r as unknown[]).map(str) : keys.map((k) => str((r as Record<string, unknown>)[k])),
  }));
  const table = opts.tableName ?? tableNameFor(file);
  const columns = await loadGrid(conn, { file, sheet: null }, table, keys, rows);
  const src: ReadSource = { file, sheet: null, table, columns, headers: keys, headerRows: [], titleLines: [], firstDataRow: 1, rowCount: rows.length };
  return [await finish(conn, src, opts)];
}

async function readParquet(conn: Connector, file: string, bytes: Uint8Array, opts: ReadOptions): Promise<ReadSource[]> {
  if (!(bytes[0] === 0x50 && bytes[1] === 0x41 && bytes[2] === 0x52 && bytes[3] === 0x31)) {
    throw new UserError('не является файлом Parquet: файл повреждён или имеет другой формат.', { file });
  }
  const table = opts.tableName ?? tableNameFor(file);
  try {
    opts.onProgress?.(0.2, 'Загрузка в базу');
    await loadParquetTable(conn, table, bytes, { onProgress: (f) => opts.onProgress?.(0.2 + 0.6 * f, 'Загрузка в базу') });
  } catch (e) {
    throw new UserError(`файл Parquet не удалось прочитать (${(e instanceof Error ? e.message : String(e)).split('\n')[0]}).`, { file });
  }
  const cols = await conn.query({
    type: 'rows',
    sql: `SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = 'main' AND table_name = $1 ORDER BY ordinal_position`,
    params: [table],
  });
  const columns = cols.map((c) => String(c.name));
  const select = columns.map((c) => `CAST(${quoteIdentSafe(c)} AS VARCHAR) AS ${quoteIdentSafe(c)}`).join(', ');
  await conn.query({ type: 'exec', sql: `CREATE SCHEMA IF NOT EXISTS raw` });
  await conn.query({
    type: 'exec',
    sql: `CREATE OR REPLACE TABLE ${rawRef(table)} AS SELECT CAST(row_number() OVER () AS INTEGER) AS _row, ${select} FROM main.${quoteIdentSafe(table)}`,
  });
  const rowCount = await countRows(conn, table);
  const src: ReadSource = { file, sheet: null, table, columns, headers: columns, headerRows: [], titleLines: [], firstDataRow: 1, rowCount };
  if (opts.typed === false) {
    await conn.query({ type: 'exec', sql: `DROP TABLE main.${quoteIdentSafe(table)}` });
    return [src];
  }
  return [{ ...src, typedTable: table, typedColumns: cols.map((c) => ({ name: String(c.name), type: String(c.type) as ColumnType })) }];
}
