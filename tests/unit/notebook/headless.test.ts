import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { NodeConnector } from '../../../src/db/node-connector';
import { runHeadless } from '../../../scripts/notebook';

const out = mkdtempSync(join(tmpdir(), 'nb-out-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const raw = readFileSync('tests/fixtures/notebook/data/assessment_results.csv', 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(','))
  .map(([year, , subject, school_id, mark]) => ({ year: Number(year), subject, school_id, mark: Number(mark) }));

test('headless run writes each cell result: CSV + Parquet tables, Vega-Lite JSON + SVG charts, Markdown', async () => {
  const { summary } = await runHeadless({
    file: 'notebooks/examples/demo.md',
    data: 'tests/fixtures/notebook/data',
    out,
    params: { subject: 'Русский язык', years: '2024-2024', min_n: '1' },
  });
  expect(summary.filter((c) => c.status !== 'done')).toEqual([]);

  const sel = raw.filter((r) => r.subject === 'Русский язык' && r.year === 2024);
  const schools = [...new Set(sel.map((r) => r.school_id))].sort();
  const csv = readFileSync(join(out, 'by_school.csv'), 'utf8').trim().split('\n');
  expect(csv[0]).toBe('school_id,n,mean_mark,low_share');
  expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(schools);
  expect(csv.slice(1).map((l) => Number(l.split(',')[1]))).toEqual(schools.map((s) => sel.filter((r) => r.school_id === s).length));

  const conn = await NodeConnector.open();
  const pq = await conn.query({ type: 'rows', sql: `SELECT school_id, n FROM read_parquet('${join(out, 'by_school.parquet')}') ORDER BY school_id` });
  await conn.close();
  expect(pq.map((r) => r.school_id)).toEqual(schools);

  const spec = JSON.parse(readFileSync(join(out, 'chart.vl.json'), 'utf8'));
  expect(spec.mark).toBe('bar');
  expect(spec.data.values.map((r: { school_id: string }) => r.school_id)).toEqual(schools);
  const svg = readFileSync(join(out, 'chart.svg'), 'utf8');
  expect(svg.startsWith('<svg')).toBe(true);
  for (const s of schools) expect(svg).toContain(s);

  const intro = readFileSync(join(out, 'intro.md'), 'utf8');
  expect(intro).toContain('«Русский язык», 2024–2024 гг.');
  expect(intro).toContain(`всего работ ${sel.length}.`);

  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  expect(results.cells.find((c: { id: string }) => c.id === 'by_school').files).toEqual(['by_school.csv', 'by_school.parquet']);
  expect(existsSync(join(out, 'spread.csv'))).toBe(true);
});

test('the CLI reports a wrong parameter in Russian and exits non-zero', () => {
  let err = '';
  let code = 0;
  try {
    execFileSync('npx', ['tsx', 'scripts/notebook.ts', 'notebooks/examples/demo.md', '--data', 'tests/fixtures/notebook/data', '--param', 'nope=1', '--out', join(out, 'cli')], { encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    code = (e as { status: number }).status;
    err = String((e as { stderr: string }).stderr);
  }
  expect(code).toBe(2);
  expect(err).toContain('В блокноте нет параметра «nope»');
});
