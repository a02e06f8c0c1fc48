/**
 * A folder of canonical Parquet files opened in the app: DuckDB-WASM has no Parquet reader, so
 * the files go through parquet-wasm in chunks (several per file here) into the canonical tables.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { NodeConnector } from '../../src/db/node-connector';
import { openApp, type AppSession } from './harness';
import { importFiles, sql, waitReady } from './app-helpers';

const DEMO = join(import.meta.dirname, '../../datasets/demo/canonical');
const SCHOOL_LIMIT = '220050';

let app: AppSession;
let dir: string;
// Expected values straight from the demo CSV text (plain fields, no quoted commas in these tables).
const csvRows = (table: string) =>
  readFileSync(join(DEMO, `${table}.csv`), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
const results = csvRows('assessment_results').filter((r) => r[4]! < SCHOOL_LIMIT);
const schools = csvRows('schools').filter((r) => r[1]! < SCHOOL_LIMIT);
const scoreSum = results.reduce((s, r) => s + (r[8] ? Number(r[8]) : 0), 0);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'msoko-pq-canonical-'));
  // Written by native DuckDB in row groups of 2048 rows, a subset so that the demo tables differ.
  const conn = await NodeConnector.open();
  try {
    for (const t of ['schools', 'assessment_results']) {
      await conn.query({
        type: 'exec',
        sql: `COPY (SELECT * FROM read_csv('${join(DEMO, `${t}.csv`)}', header = true) WHERE CAST(school_id AS VARCHAR) < '${SCHOOL_LIMIT}')
              TO '${join(dir, `${t}.parquet`)}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`,
      });
    }
  } finally {
    await conn.close();
  }
  app = await openApp();
  await waitReady(app.page);
});
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('canonical Parquet files load in chunks and map onto the canonical tables', async () => {
  const { page } = app;
  expect(results.length).toBeGreaterThan(3000);
  await page.evaluate(() => localStorage.setItem('msoko.parquetChunkRows', '1000'));
  await importFiles(page, [join(dir, 'schools.parquet'), join(dir, 'assessment_results.parquet')], { keepMappingDialog: true });
  await page.evaluate(() => localStorage.removeItem('msoko.parquetChunkRows'));
  expect(await page.getByTestId('import-error').count()).toBe(0);
  const layouts = await page.getByTestId('mapping-plan').evaluateAll((els) => els.map((e) => e.getAttribute('data-layout')));
  expect(layouts).toEqual(['canonical', 'canonical']);
  await page.getByTestId('mapping-confirm').click();
  // The demo is active: leaving it for the user's own data is asked first (src/app/dataset.ts).
  await page.getByTestId('consent-accept').click();
  await page.getByTestId('import-summary').waitFor({ timeout: 120_000 });

  expect(await sql(page, 'SELECT count(*) AS n FROM schools')).toEqual([{ n: schools.length }]);
  const [r] = await sql(page, `SELECT count(*) AS n, sum(primary_score) AS s, count(DISTINCT student_id) AS students FROM assessment_results`);
  expect(r).toMatchObject({ n: results.length, students: new Set(results.map((x) => x[6])).size });
  expect(r!.s as number).toBeCloseTo(scoreSum, 6);
  const first = results[0]!;
  expect(
    await sql(page, `SELECT subject, class, mark FROM assessment_results WHERE school_id = '${first[4]}' AND student_id = '${first[6]}' AND subject = '${first[2]}' AND year = ${first[0]} AND grade = ${first[3]}`),
  ).toEqual([{ subject: first[2], class: first[5], mark: Number(first[10]) }]);
  expect(app.offOrigin).toEqual([]);
});
