import type { DelimitedResult } from './delimited';
import type { ParsedWorkbook } from './workbook';

/**
 * The buffers of a parse result that move back to the caller instead of being copied. The parts
 * of a large CSV are views of one buffer: each gets a buffer of its own here, in the worker (not
 * on the page), since the page hands each part to the engine on its own.
 */
export function transferables(result: DelimitedResult | ParsedWorkbook): ArrayBuffer[] {
  if ('utf8' in result) {
    if (result.more.length) {
      result.utf8 = result.utf8.slice();
      result.more = result.more.map((b) => b.slice());
    }
    return [result.utf8, ...result.more].map((b) => b.buffer as ArrayBuffer);
  }
  if ('sheets' in result) return result.sheets.map((s) => s.csv.buffer as ArrayBuffer);
  return [];
}
