import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NodeConnector } from '../../../../src/db/node-connector';
import { readFile } from '../../../../src/ingest/read';
import { closeParseThread, nodeWorkerParser } from '../../../../src/ingest/read/node-worker';
import { parseWorkbook } from '../../../../src/ingest/read/workbook';
import { hugeDimensionBook, wideBook } from './hostile-books';

describe('parses in a Node worker thread (the CLI)', () => {
  let conn: NodeConnector;
  beforeAll(async () => (conn = await NodeConnector.open()));
  afterAll(async () => conn?.close());

  test('a workbook parses there as it does in place, and its caps apply there too', async () => {
    const book = await hugeDimensionBook();
    const inPlace = parseWorkbook(book.slice());
    expect(await nodeWorkerParser('xlsx', book, { timeoutMs: 60_000 }, [])).toEqual(inPlace);
    expect(await nodeWorkerParser('xlsx', wideBook(2000), { timeoutMs: 60_000 }, [])).toMatchObject({ sheet: 'Лист1', problem: expect.stringMatching(/^на листе 2000 столбцов/) });
  });

  test('a CSV through readFile: the table is loaded from what the thread decoded', async () => {
    const bytes = new TextEncoder().encode('Класс;Балл\n4А;7\n4Б;9,5\n');
    const [src] = await readFile(conn, 'marks.csv', bytes, { parser: nodeWorkerParser });
    expect(src.rowCount).toBe(2);
    expect(await conn.query({ type: 'rows', sql: 'SELECT "Класс" AS k, "Балл" AS b FROM main.marks ORDER BY 1' })).toEqual([
      { k: '4А', b: 7 },
      { k: '4Б', b: 9.5 },
    ]);
  });

  test('a parse past its time, or cancelled, stops with a Russian message naming the file', async () => {
    // Starting a thread alone takes far longer than 1 ms; a warm thread (left by the tests above)
    // parsed this small book within 1 ms on CI's machine, so the thread is stopped first.
    await closeParseThread();
    await expect(readFile(conn, 'slow.xlsx', wideBook(10), { parser: nodeWorkerParser, parseTimeoutMs: 1 })).rejects.toThrow(
      'Файл «slow.xlsx»: разбор файла остановлен: он шёл дольше 1 с.',
    );
    const stop = new AbortController();
    const run = readFile(conn, 'cancelled.xlsx', wideBook(10), { parser: nodeWorkerParser, signal: stop.signal });
    stop.abort();
    await expect(run).rejects.toThrow('Файл «cancelled.xlsx»: загрузка файла отменена.');
  });
});
