import { afterEach, describe, expect, test } from 'vitest';
import { parseWorkbook } from '../../../../src/ingest/read/workbook';
import { pollutingBook } from './hostile-books';

describe('hostile workbooks', () => {
  afterEach(() => {
    for (const k of ['c', 't', 'v', 'r', 'h', 'w']) delete (Object.prototype as Record<string, unknown>)[k];
  });

  test('a comment with ref="__proto__" does not pollute Object.prototype (CVE-2023-30533)', async () => {
    const parsed = parseWorkbook(await pollutingBook());
    const probe: Record<string, unknown> = {};
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(probe.c).toBeUndefined();
    // The data itself still reads.
    expect('sheets' in parsed && parsed.sheets[0].rowCount).toBe(1);
  });
});
