import type { DelimitedResult } from './delimited';
import type { ParsedWorkbook } from './workbook';

/** The buffers of a parse result that move back to the caller instead of being copied. */
export function transferables(result: DelimitedResult | ParsedWorkbook): ArrayBuffer[] {
  if ('utf8' in result) return [result.utf8.buffer as ArrayBuffer];
  if ('sheets' in result) return result.sheets.map((s) => s.csv.buffer as ArrayBuffer);
  return [];
}
