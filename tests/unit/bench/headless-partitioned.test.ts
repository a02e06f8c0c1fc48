/**
 * The headless runner on partitioned Parquet (issue #15, national size): the generator's
 * hive-partitioned layout holds exactly the rows of the single-file layout, the runner reads it
 * (a folder of files per table, `year=` from the folder names) to the same indicator table, and
 * its --memory-limit / --temp-dir reach DuckDB. On `tiny`, a few indicators, so it stays fast.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateCanonical } from '../../../datasets/regional/generate';
import { SIZES, expectedCounts } from '../../../datasets/regional/sql';
import { NodeConnector } from '../../../src/db/node-connector';
import { loadCanonicalParquetPaths } from '../../../src/indicators/load';
import { runIndicators } from '../../../src/indicators/run';
import type { IndicatorRow } from '../../../src/indicators/types';
import { CANONICAL_TABLE_NAMES } from '../../../src/model/contract';
import { findSources } from '../../../scripts/indicators';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
// Two that read task_scores (one with tasks), the rest assessment_results with schools.
const IDS = ['GIA-06', 'PREP-19', 'PREP-14', 'LOW-01'];

let out: string;
let single: string;
let parted: string;
beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'headless-parted-'));
  single = await generateCanonical('tiny', out);
  // 12 schools, 5 per slice: three files per year, the last one smaller.
  parted = await generateCanonical('tiny', out, false, { partitioned: true, schoolsPerSlice: 5, dir: join(out, 'tiny-parted') });
}, 120_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

async function indicatorsOf(dir: string, inPlace = false): Promise<IndicatorRow[]> {
  const conn = await NodeConnector.open(':memory:', { memoryLimit: '1GiB' });
  try {
    for (const [table, paths] of findSources(dir).parquet) await loadCanonicalParquetPaths(conn, table, paths, { inPlace });
    return await runIndicators(conn, { ids: IDS });
  } finally {
    await conn.close();
  }
}

const keyOf = (r: IndicatorRow) => JSON.stringify([r.indicator_id, r.year, r.procedure, r.subject, r.grade, r.school_id, r.dimension, r.dimension_value]);

describe('partitioned Parquet through the headless runner', () => {
  test('the partitioned set is the single-file set, split by year and schools', async () => {
    const sources = findSources(parted).parquet;
    expect([...sources.keys()].sort()).toEqual([...CANONICAL_TABLE_NAMES].sort());
    expect(sources.get('task_scores')?.map((p) => p.slice(parted.length + 1))).toEqual([
      'task_scores/year=2023/part-00000.parquet', 'task_scores/year=2023/part-00005.parquet', 'task_scores/year=2023/part-00010.parquet',
      'task_scores/year=2024/part-00000.parquet', 'task_scores/year=2024/part-00005.parquet', 'task_scores/year=2024/part-00010.parquet',
    ]);
    // Tables that do not depend on schools are written once per year.
    expect(sources.get('tasks')?.length).toBe(2);
    const conn = await NodeConnector.open();
    try {
      for (const t of CANONICAL_TABLE_NAMES) {
        const loaded = await loadCanonicalParquetPaths(conn, t, sources.get(t) ?? []);
        await conn.query({ type: 'exec', sql: `CREATE TABLE one AS SELECT * FROM read_parquet('${join(single, `${t}.parquet`)}')` });
        const cols = (await conn.query({ type: 'rows', sql: `DESCRIBE one` })).map((r) => `"${r.column_name}"`).join(', ');
        const [d] = await conn.query({
          type: 'rows',
          sql: `SELECT (SELECT count(*) FROM one) AS n,
                  (SELECT count(*) FROM (SELECT ${cols} FROM one EXCEPT ALL SELECT ${cols} FROM ${t})) AS only_single,
                  (SELECT count(*) FROM (SELECT ${cols} FROM ${t} EXCEPT ALL SELECT ${cols} FROM one)) AS only_parted`,
        });
        expect([t, loaded, Number(d.only_single), Number(d.only_parted)]).toEqual([t, Number(d.n), 0, 0]);
        await conn.query({ type: 'exec', sql: `DROP TABLE one` });
      }
      const [n] = await conn.query({ type: 'rows', sql: `SELECT (SELECT count(*) FROM task_scores) AS tasks, (SELECT count(*) FROM assessment_results) AS results` });
      const expected = expectedCounts(SIZES.tiny);
      expect([Number(n.tasks), Number(n.results)]).toEqual([expected.task_scores, expected.assessment_results]);
    } finally {
      await conn.close();
    }
  }, 60_000);

  test.each([false, true])('gives the indicator table of the single-file set (in place: %s)', async (inPlace) => {
    const a = await indicatorsOf(single);
    const b = await indicatorsOf(parted, inPlace);
    expect(new Set(a.map((r) => r.indicator_id))).toEqual(new Set(IDS));
    expect(b.map(keyOf).sort()).toEqual(a.map(keyOf).sort());
    const byKey = new Map(b.map((r) => [keyOf(r), r]));
    // Sums over rows in another order may differ in the last bits of a double, nothing more.
    for (const r of a) {
      const s = byKey.get(keyOf(r)) as IndicatorRow;
      for (const f of ['value', 'numerator', 'denominator'] as const) {
        if (r[f] === null) expect(s[f], `${keyOf(r)} ${f}`).toBeNull();
        else expect(Math.abs((s[f] as number) - (r[f] as number)), `${keyOf(r)} ${f}`).toBeLessThan(1e-9 * Math.max(1, Math.abs(r[f] as number)));
      }
    }
    expect(a.filter((r) => r.dimension === 'error' || r.dimension === 'missing')).toEqual([]);
  }, 60_000);

  test('the CLI hands --memory-limit and --temp-dir to DuckDB and reports --skip', () => {
    const spill = join(out, 'spill');
    const timings = join(out, 'timings.json');
    const stdout = execFileSync(
      process.execPath,
      [resolve(root, 'node_modules/tsx/dist/cli.mjs'), resolve(root, 'scripts/indicators.ts'), '--data', parted, '--out', join(out, 'ind.json'),
        '--ids', 'PREP-14,GIA-01', '--skip', 'GIA-01', '--in-place', '--memory-limit', '1GiB', '--temp-dir', spill, '--timings', timings],
      { cwd: root, stdio: 'pipe', encoding: 'utf8' },
    );
    const t = JSON.parse(readFileSync(timings, 'utf8'));
    expect([t.memoryLimit, t.tempDirectory]).toEqual(['1.0 GiB', spill]);
    expect([t.skipped, t.inPlace]).toEqual([['GIA-01'], true]);
    expect(t.indicators.map((x: { id: string }) => x.id)).toEqual(['PREP-14']);
    expect(stdout).toContain('Пропущены (--skip), в таблице их нет: GIA-01');
    const rows = JSON.parse(readFileSync(join(out, 'ind.json'), 'utf8')) as IndicatorRow[];
    expect(new Set(rows.map((r) => r.indicator_id))).toEqual(new Set(['PREP-14']));
  }, 60_000);
});
