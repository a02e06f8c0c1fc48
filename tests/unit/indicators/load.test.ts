import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { NodeConnector } from '../../../src/db/node-connector';
import { loadParquetWasm } from '../../../src/export/parquet';
import { loadCanonicalFiles, type CanonicalFile, type LoadOptions } from '../../../src/indicators/load';

// Canonical files as another tool might write them: numbers as text with decimal commas,
// booleans as «да»/«нет», an extra column; results in row groups of 300 rows.
const SCHOOLS = 30;
const RESULTS = 2000;
const socialText = (i: number) => (i % 7 === 0 ? '' : `0,${String(10 + i).padStart(2, '0')}`);
const shnorText = (i: number) => (i % 3 === 0 ? 'да' : i % 3 === 1 ? 'нет' : null);
const expected = {
  socialSum: Array.from({ length: SCHOOLS }, (_, i) => (i % 7 === 0 ? 0 : Number(`0.${10 + i}`))).reduce((s, x) => s + x, 0),
  socialNulls: Array.from({ length: SCHOOLS }, (_, i) => i).filter((i) => i % 7 === 0).length,
  shnor: Array.from({ length: SCHOOLS }, (_, i) => shnorText(i)).filter((v) => v === 'да').length,
  scoreSum: Array.from({ length: RESULTS }, (_, i) => i % 25).reduce((s, x) => s + x, 0),
  marks: Array.from({ length: RESULTS }, (_, i) => 2 + (i % 4)).filter((m) => m === 5).length,
};

async function parquetOf(columns: Parameters<typeof tableFromArrays>[0], rowGroupRows: number): Promise<Uint8Array> {
  const pq = await loadParquetWasm();
  const props = new pq.WriterPropertiesBuilder().setMaxRowGroupSize(rowGroupRows).build();
  return pq.writeParquet(pq.Table.fromIPCStream(tableToIPC(tableFromArrays(columns), 'stream')), props);
}

let files: CanonicalFile[];
beforeAll(async () => {
  const schools = await parquetOf(
    {
      year: Int32Array.from({ length: SCHOOLS }, () => 2024),
      school_id: Array.from({ length: SCHOOLS }, (_, i) => String(220001 + i)),
      social_index: Array.from({ length: SCHOOLS }, (_, i) => socialText(i)),
      shnor: Array.from({ length: SCHOOLS }, (_, i) => shnorText(i)),
      note: Array.from({ length: SCHOOLS }, (_, i) => `примечание ${i}`),
    },
    1000,
  );
  const results = await parquetOf(
    {
      year: Int32Array.from({ length: RESULTS }, () => 2024),
      procedure: Array.from({ length: RESULTS }, () => 'ВПР'),
      subject: Array.from({ length: RESULTS }, (_, i) => (i % 2 ? 'Математика' : 'Русский язык')),
      grade: Int32Array.from({ length: RESULTS }, () => 4),
      school_id: Array.from({ length: RESULTS }, (_, i) => String(220001 + (i % SCHOOLS))),
      student_id: Array.from({ length: RESULTS }, (_, i) => `s${i}`),
      primary_score: Array.from({ length: RESULTS }, (_, i) => String(i % 25)),
      mark: Float64Array.from({ length: RESULTS }, (_, i) => 2 + (i % 4)),
    },
    300,
  );
  files = [
    { name: 'canonical/schools.parquet', bytes: schools },
    { name: 'canonical/assessment_results.parquet', bytes: results },
    { name: 'canonical/README.parquet', bytes: schools },
  ];
});

let conn: NodeConnector;
beforeEach(async () => {
  conn = await NodeConnector.open();
});
afterEach(async () => conn?.close());

const rows = (sql: string) => conn.query({ type: 'rows', sql });

describe('loadCanonicalFiles with Parquet', () => {
  const ways: Record<string, LoadOptions['parquet']> = {
    'native read_parquet': {},
    'parquet-wasm in chunks': { native: false, chunkRows: 500 },
  };
  for (const [way, parquet] of Object.entries(ways)) {
    test(`${way}: contract types, casts and extra columns`, async () => {
      const progress: number[] = [];
      const loaded = await loadCanonicalFiles(conn, files.map((f) => ({ ...f, bytes: f.bytes.slice() })), { parquet, onProgress: (f) => progress.push(f) });
      expect(loaded).toEqual(['schools', 'assessment_results']);
      expect(progress.at(-1)).toBe(1);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));

      const types = Object.fromEntries((await rows('DESCRIBE schools')).map((r) => [r.column_name, r.column_type]));
      expect(types).toEqual({ year: 'INTEGER', school_id: 'VARCHAR', social_index: 'DOUBLE', shnor: 'BOOLEAN', note: 'VARCHAR' });
      const [s] = await rows(
        `SELECT count(*) AS n, sum(social_index) AS social, count(*) FILTER (WHERE social_index IS NULL) AS social_nulls, count(*) FILTER (WHERE shnor) AS shnor FROM schools`,
      );
      expect(s).toMatchObject({ n: SCHOOLS, social_nulls: expected.socialNulls, shnor: expected.shnor });
      expect(s!.social).toBeCloseTo(expected.socialSum, 9);
      expect(await rows(`SELECT note FROM schools WHERE school_id = '220004'`)).toEqual([{ note: 'примечание 3' }]);

      expect(await rows(`SELECT count(*) AS n, sum(primary_score) AS score, count(*) FILTER (WHERE mark = 5) AS fives FROM assessment_results`)).toEqual([
        { n: RESULTS, score: expected.scoreSum, fives: expected.marks },
      ]);
      expect(await rows(`SELECT typeof(mark) AS t, typeof(primary_score) AS p FROM assessment_results LIMIT 1`)).toEqual([{ t: 'INTEGER', p: 'DOUBLE' }]);
      expect(await rows(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name LIKE '%stage%' OR table_name LIKE '%chunk%'`)).toEqual([{ n: 0 }]);
    });
  }
});
