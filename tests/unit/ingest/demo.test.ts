/**
 * The demo municipality's source-format files (datasets/demo/source, written by the generator in
 * the layouts users receive) import to exactly the shipped canonical tables, and the validation
 * counts are those the generator planted (EXPECTED_VALIDATION.json). Task cells are unpivoted in
 * chunks of 1 000 cells (20–50 rows), so every results sheet goes through several chunks.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { runCliDetailed } from '../../../scripts/import';
import { NodeConnector } from '../../../src/db/node-connector';
import type { ImportReport } from '../../../src/ingest/apply';
import { issueTotals } from '../../../src/ingest/import';
import { CANONICAL_TABLE_NAMES, CONTRACT, type CanonicalTableName } from '../../../src/model/contract';

const ROOT = join(import.meta.dirname, '../../..');
const SOURCE = join(ROOT, 'datasets/demo/source');
const CANONICAL = join(ROOT, 'datasets/demo/canonical');

interface Expected {
  totals: { written: number; absent: number; not_attempted_cells: number; journal_no_mark: number; excluded: Record<string, number> };
  files: Array<{ file: string; sheet: string | null; written: number; absent: number; not_attempted_cells: number; journal_no_mark: number; excluded: Record<string, number> }>;
}

let out: string;
let reports: ImportReport[];
let failed: Array<{ path: string; message: string }>;
let conn: NodeConnector;
beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'h3-demo-'));
  const run = await runCliDetailed([SOURCE, '--out', out, '--chunk-cells', '1000'], () => {});
  reports = run.reports;
  failed = run.failed;
  conn = await NodeConnector.open();
}, 600_000);
afterAll(async () => {
  await conn?.close();
  rmSync(out, { recursive: true, force: true });
});

// The browser test (tests/browser/mapping.test.ts) takes a part of every layout through the tab;
// the whole corpus is checked here, file by file.
test('every source file is read (none skipped as unreadable)', () => {
  expect(failed).toEqual([]);
  expect(reports.length).toBeGreaterThan(100);
});

/** Contract columns typed as the contract says; doubles rounded so that 5 and 5.0 compare equal. */
const typed = (file: string, t: CanonicalTableName) =>
  `SELECT ${CONTRACT[t].columns
    .map((c) => (c.type === 'DOUBLE' ? `round(TRY_CAST("${c.name}" AS DOUBLE), 6)` : `TRY_CAST("${c.name}" AS ${c.type})`) + ` AS "${c.name}"`)
    .join(', ')} FROM read_csv('${file}', all_varchar = true, header = true)`;

test.each(CANONICAL_TABLE_NAMES.filter((t) => existsSync(join(CANONICAL, `${t}.csv`))))('%s: the same rows as the shipped canonical file', async (t) => {
  const mine = join(out, `${t}.csv`);
  expect(existsSync(mine)).toBe(true);
  const [r] = await conn.query({
    type: 'rows',
    sql: `SELECT (SELECT count(*) FROM (${typed(mine, t)})) AS n_import, (SELECT count(*) FROM (${typed(join(CANONICAL, `${t}.csv`), t)})) AS n_canonical,
            (SELECT count(*) FROM (${typed(mine, t)} EXCEPT ALL ${typed(join(CANONICAL, `${t}.csv`), t)})) AS only_import,
            (SELECT count(*) FROM (${typed(join(CANONICAL, `${t}.csv`), t)} EXCEPT ALL ${typed(mine, t)})) AS only_canonical`,
  });
  expect(Number(r!.n_canonical)).toBeGreaterThan(0);
  expect(r).toMatchObject({ n_import: r!.n_canonical, only_import: 0, only_canonical: 0 });
});

test('validation counts are the planted ones, in total and per file', () => {
  const expected = JSON.parse(readFileSync(join(SOURCE, 'EXPECTED_VALIDATION.json'), 'utf8')) as Expected;
  const totals = issueTotals(reports);
  expect(totals.absent ?? 0).toBe(expected.totals.absent);
  expect(totals.not_attempted ?? 0).toBe(expected.totals.not_attempted_cells);
  expect(totals.journal_mark_invalid ?? 0).toBe(expected.totals.journal_no_mark);
  for (const [code, n] of Object.entries(expected.totals.excluded)) expect(totals[code], code).toBe(n);
  const results = reports.filter((r) => r.target === 'assessment_results');
  expect(results.reduce((s, r) => s + (r.written.assessment_results ?? 0), 0)).toBe(expected.totals.written);
  for (const f of expected.files) {
    const name = f.file.split('/').pop()!;
    const r = results.find((x) => x.file === name && (x.sheet ?? null) === (f.sheet ?? null));
    expect(r, name).toBeDefined();
    expect([name, r!.written.assessment_results ?? 0, r!.counts.absent ?? 0, r!.counts.not_attempted ?? 0, r!.counts.journal_mark_invalid ?? 0]).toEqual([
      name,
      f.written,
      f.absent,
      f.not_attempted_cells,
      f.journal_no_mark,
    ]);
    for (const [code, n] of Object.entries(f.excluded)) expect(r!.counts[code], `${name} ${code}`).toBe(n);
  }
  // Nothing else was excluded anywhere.
  const excludedCodes = Object.keys(totals).filter((c) => !['absent', 'not_attempted', 'journal_mark_invalid'].includes(c));
  expect(excludedCodes.sort()).toEqual(Object.keys(expected.totals.excluded).sort());
});
