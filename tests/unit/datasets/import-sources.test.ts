import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../../../scripts/import';
import { NodeConnector } from '../../../src/db/node-connector';
import type { ImportReport } from '../../../src/ingest/apply';
import { CANONICAL_TABLE_NAMES, CONTRACT } from '../../../src/model/contract';

const DEMO = join(__dirname, '../../../datasets/demo');

// End to end: the demo's source-format files, imported by the app's own importer, give back the
// canonical files the generator wrote directly from its model.
describe('importing datasets/demo/source', () => {
  let out: string;
  let reports: ImportReport[];
  let conn: NodeConnector;
  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'demo-import-'));
    reports = await runCli([join(DEMO, 'source'), '--out', out, '--no-reference', '--contract-only'], () => {});
    conn = await NodeConnector.open();
  }, 600_000);
  afterAll(async () => {
    await conn?.close();
    rmSync(out, { recursive: true, force: true });
  });

  test.each(CANONICAL_TABLE_NAMES.map((t) => [t]))('%s equals the canonical file', async (table) => {
    const cols = CONTRACT[table].columns;
    const types = cols.map((c) => `'${c.name}': '${c.type}'`).join(', ');
    const norm = cols.map((c) => `coalesce(CAST(TRY_CAST(${c.name} AS ${c.type}) AS VARCHAR), '∅') AS ${c.name}`).join(', ');
    const read = (path: string, typed: boolean) =>
      `SELECT ${norm} FROM read_csv('${path.replaceAll("'", "''")}', header = true, ${typed ? `columns = {${types}}` : 'all_varchar = true'})`;
    const canonical = read(join(DEMO, 'canonical', `${table}.csv`), true);
    const imported = read(join(out, `${table}.csv`), false);
    const [r] = await conn.query({
      type: 'rows',
      sql: `SELECT (SELECT count(*) FROM (${canonical})) AS n,
                   (SELECT count(*) FROM (${canonical} EXCEPT ALL ${imported})) AS missing,
                   (SELECT count(*) FROM (${imported} EXCEPT ALL ${canonical})) AS extra`,
    });
    expect(Number(r.n)).toBeGreaterThan(0);
    expect({ missing: Number(r.missing), extra: Number(r.extra) }).toEqual({ missing: 0, extra: 0 });
  });

  test('the validation report matches EXPECTED_VALIDATION.json', () => {
    const expected = JSON.parse(readFileSync(join(DEMO, 'source/EXPECTED_VALIDATION.json'), 'utf8'));
    const totals: Record<string, number> = {};
    let excludedRows = 0;
    for (const r of reports) {
      excludedRows += r.excludedRows;
      for (const [k, v] of Object.entries(r.counts)) totals[k] = (totals[k] ?? 0) + v;
    }
    expect(totals.absent).toBe(expected.totals.absent);
    expect(totals.not_attempted).toBe(expected.totals.not_attempted_cells);
    expect(totals.journal_mark_invalid).toBe(expected.totals.journal_no_mark);
    for (const [code, n] of Object.entries(expected.totals.excluded as Record<string, number>)) expect(totals[code], code).toBe(n);
    expect(excludedRows).toBe(Object.values(expected.totals.excluded as Record<string, number>).reduce((a, b) => a + b, 0));
    // Codes restart in every school: not one «Повтор участника» beyond the planted one.
    expect(totals.duplicate).toBe(1);
  });
});
