import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NodeConnector } from '../../../../src/db/node-connector';
import { loadParquetWasm } from '../../../../src/export/parquet';
import { loadParquetTable, planChunks } from '../../../../src/ingest/read/parquet';

const N = 2500;
// Source rows, built here and written with parquet-wasm in row groups of 700 rows.
const ids = Int32Array.from({ length: N }, (_, i) => i + 1);
const scores = Float64Array.from({ length: N }, (_, i) => (i % 17) * 0.5);
const schools = Array.from({ length: N }, (_, i) => (i % 9 === 0 ? null : `sch${220000 + (i % 40)}`));
const expectedScoreSum = scores.reduce((s, x) => s + x, 0);
const expectedNullSchools = schools.filter((s) => s === null).length;

async function parquetOf(columns: Parameters<typeof tableFromArrays>[0], rowGroupRows: number): Promise<Uint8Array> {
  const pq = await loadParquetWasm();
  const props = new pq.WriterPropertiesBuilder().setMaxRowGroupSize(rowGroupRows).build();
  return pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(tableFromArrays(columns), 'stream')), props);
}

let conn: NodeConnector;
let file: Uint8Array;
beforeAll(async () => {
  conn = await NodeConnector.open();
  file = await parquetOf({ id: ids, score: scores, school: schools }, 700);
});
afterAll(async () => conn?.close());

const rows = (sql: string) => conn.query({ type: 'rows', sql });

describe('planChunks', () => {
  test('whole row groups up to the chunk size', () => {
    expect(planChunks([700, 700, 700, 400], 1500)).toEqual([
      { rowGroups: [0, 1], rows: 1400 },
      { rowGroups: [2, 3], rows: 1100 },
    ]);
  });
  test('a row group larger than a chunk is read in slices', () => {
    expect(planChunks([100, 2500, 100], 1000)).toEqual([
      { rowGroups: [0], rows: 100 },
      { rowGroups: [1], offset: 0, limit: 1000, rows: 1000 },
      { rowGroups: [1], offset: 1000, limit: 1000, rows: 1000 },
      { rowGroups: [1], offset: 2000, limit: 500, rows: 500 },
      { rowGroups: [2], rows: 100 },
    ]);
  });
});

describe('loadParquetTable', () => {
  async function expectSource(table: string) {
    expect(await rows(`SELECT count(*) AS n, count(DISTINCT id) AS d, min(id) AS lo, max(id) AS hi FROM ${table}`)).toEqual([{ n: N, d: N, lo: 1, hi: N }]);
    const [s] = await rows(`SELECT sum(score) AS s, count(*) FILTER (WHERE school IS NULL) AS nulls FROM ${table}`);
    expect(s!.s).toBeCloseTo(expectedScoreSum, 9);
    expect(s!.nulls).toBe(expectedNullSchools);
    for (const i of [0, 699, 700, 1401, N - 1]) {
      expect(await rows(`SELECT score, school FROM ${table} WHERE id = ${i + 1}`)).toEqual([{ score: scores[i], school: schools[i] }]);
    }
  }

  test('native read_parquet', async () => {
    expect(await loadParquetTable(conn, 'native_pq', file.slice())).toBe(N);
    await expectSource('native_pq');
  });

  test('parquet-wasm in chunks of whole row groups', async () => {
    const progress: number[] = [];
    expect(await loadParquetTable(conn, 'chunked_pq', file, { native: false, chunkRows: 1000, onProgress: (f) => progress.push(f) })).toBe(N);
    // Row groups 700, 700, 700, 400 → one chunk each.
    expect(progress).toEqual([700 / N, 1400 / N, 2100 / N, 1]);
    await expectSource('chunked_pq');
    expect(await rows(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name LIKE 'chunked_pq%'`)).toEqual([{ n: 1 }]);
  });

  test('parquet-wasm in slices smaller than a row group', async () => {
    const progress: number[] = [];
    expect(await loadParquetTable(conn, 'sliced_pq', file, { native: false, chunkRows: 300, onProgress: (f) => progress.push(f) })).toBe(N);
    expect(progress.length).toBe(3 * 3 + 2);
    await expectSource('sliced_pq');
  });

  test('cancelled between chunks: the partly loaded table is dropped', async () => {
    const abort = new AbortController();
    const loading = loadParquetTable(conn, 'cancelled_pq', file, { native: false, chunkRows: 700, signal: abort.signal, onProgress: () => abort.abort() });
    await expect(loading).rejects.toMatchObject({ name: 'AbortError' });
    expect(await rows(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name LIKE 'cancelled_pq%'`)).toEqual([{ n: 0 }]);
  });

  test('a file without rows gives an empty table', async () => {
    const empty = await parquetOf({ id: new Int32Array(0), school: [] as string[] }, 700);
    expect(await loadParquetTable(conn, 'empty_pq', empty, { native: false })).toBe(0);
    expect(await rows(`SELECT count(*) AS n FROM empty_pq`)).toEqual([{ n: 0 }]);
  });
});
