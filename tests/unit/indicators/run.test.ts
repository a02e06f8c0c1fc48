/**
 * The whole catalogue on the demo municipality: every id of ../shared/indicators.md is registered,
 * and `npm run indicators` (the same runner) emits it with values — no id is missing or failed.
 * The ids' formulas are checked one by one in tests/unit/indicators/directions/*.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { INDICATORS } from '../../../src/indicators/registry';
import { DEMO_DIR, demoAvailable } from './demo';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const CATALOGUE = resolve(root, '../shared/indicators.md');

function catalogueIds(): string[] {
  const text = readFileSync(CATALOGUE, 'utf8');
  return [...text.matchAll(/^\| ([A-Z]{3,4}-\d{2}) \|/gm)].map((m) => m[1]);
}

describe.skipIf(!existsSync(CATALOGUE))('catalogue', () => {
  test('every catalogue id is registered exactly once', () => {
    const ids = catalogueIds();
    expect(ids.length).toBeGreaterThan(100);
    const registered = INDICATORS.map((d) => d.id);
    expect(new Set(registered).size).toBe(registered.length);
    expect([...registered].sort()).toEqual([...ids].sort());
  });
});

describe.skipIf(!demoAvailable())('npm run indicators on the demo municipality', () => {
  let dir: string;
  let rows: Record<string, unknown>[];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'indicators-cli-'));
    const out = join(dir, 'indicators.json');
    execFileSync(process.execPath, [resolve(root, 'node_modules/tsx/dist/cli.mjs'), resolve(root, 'scripts/indicators.ts'), '--data', DEMO_DIR, '--out', out], {
      cwd: root,
      stdio: 'pipe',
    });
    rows = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>[];
  }, 600_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('emits every id with values, none missing or failed, with exactly the contract columns', () => {
    const ids = existsSync(CATALOGUE) ? catalogueIds() : INDICATORS.map((d) => d.id);
    expect(Object.keys(rows[0])).toEqual(['indicator_id', 'year', 'procedure', 'subject', 'grade', 'school_id', 'dimension', 'dimension_value', 'numerator', 'denominator', 'value']);
    const withValues = new Set(rows.filter((r) => r.value !== null).map((r) => r.indicator_id));
    const problems = rows.filter((r) => r.dimension === 'missing' || r.dimension === 'error').map((r) => `${r.indicator_id}: ${r.dimension} ${r.dimension_value}`);
    expect(problems).toEqual([]);
    for (const id of ids) expect(withValues.has(id), id).toBe(true);
    // Municipal rows (school_id NULL) and school rows exist for the assessment indicators.
    for (const id of ['PREP-14', 'GIA-01', 'OBJ-02', 'LOW-01']) {
      expect(rows.some((r) => r.indicator_id === id && r.school_id !== null)).toBe(true);
    }
    expect(rows.some((r) => r.indicator_id === 'PREP-14' && r.school_id === null)).toBe(true);
  });
});
