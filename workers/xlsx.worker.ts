/**
 * Parses workbooks (src/ingest/read/workbook.ts) off the page's main thread, exposed with
 * comlink. Used by src/ingest/read/workbook-client.ts; the CSV bytes go back transferred.
 */
import * as Comlink from 'comlink';
import { parseWorkbook, type ParsedWorkbook } from '../src/ingest/read/workbook';

const api = {
  parse(bytes: Uint8Array): ParsedWorkbook {
    const parsed = parseWorkbook(bytes);
    if (!('sheets' in parsed)) return parsed;
    return Comlink.transfer(parsed, parsed.sheets.map((s) => s.csv.buffer as ArrayBuffer));
  },
};

export type XlsxWorkerApi = typeof api;

Comlink.expose(api);
