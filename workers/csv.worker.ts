/**
 * Decodes CSV/TSV files and finds their layout (src/ingest/read/delimited.ts) off the page's main
 * thread, exposed with comlink. Used by src/ingest/read/delimited-client.ts; the bytes come in and
 * the UTF-8 bytes go back transferred, the decoded text stays here.
 */
import * as Comlink from 'comlink';
import { parseDelimited, type DelimitedResult } from '../src/ingest/read/delimited';

const api = {
  /** Answers once the script has loaded, before the bytes are handed over. */
  ready(): true {
    return true;
  },
  parse(bytes: Uint8Array, tsv: boolean): DelimitedResult {
    const parsed = parseDelimited(bytes, tsv);
    if (!('utf8' in parsed)) return parsed;
    return Comlink.transfer(parsed, [parsed.utf8.buffer as ArrayBuffer]);
  },
};

export type CsvWorkerApi = typeof api;

Comlink.expose(api);
