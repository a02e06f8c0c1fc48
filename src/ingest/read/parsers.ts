/**
 * The reader's two pure parses by name, for whoever runs them off the main thread: the web
 * workers in the browser, a Node worker thread in the CLI (node-worker.ts).
 */
import type { ParseControl } from './off-thread';
import { parseDelimited, type DelimitedResult } from './delimited';
import { parseWorkbook, type ParsedWorkbook } from './workbook';

export const PARSERS = { csv: parseDelimited, xlsx: parseWorkbook };

export type ParseKind = keyof typeof PARSERS;
export interface ParseResults {
  csv: DelimitedResult;
  xlsx: ParsedWorkbook;
}
export type ParseArgs = { csv: [tsv: boolean, partBytes?: number]; xlsx: [] };

/** Runs one parse somewhere else (ReadOptions.parser); the bytes are handed over. */
export type ParseRunner = <K extends ParseKind>(kind: K, bytes: Uint8Array, control: ParseControl, args: ParseArgs[K]) => Promise<ParseResults[K]>;

export { transferables } from './transfer';
