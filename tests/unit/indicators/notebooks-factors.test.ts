/**
 * The factor section of notebooks/gia.md shows, beside the raw breakdown, the clustered tests and the
 * adjusted differences with their clustered intervals; on the demo the planted textbook's gap
 * remains when settlement type, size and social index are held equal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { runHeadless } from '../../../scripts/notebook';
import { DEMO_DIR, demoAvailable, readPlanted } from './demo';

const NOTEBOOKS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../notebooks');
type Rows = { rows(): Record<string, unknown>[] };

test.skipIf(!demoAvailable())('gia.md: raw and adjusted textbook differences with clustered intervals', { timeout: 600_000 }, async () => {
  const planted = readPlanted() as unknown as { textbook: { textbook: string } } | null;
  const out = mkdtempSync(join(tmpdir(), 'stats-gia-factors-'));
  try {
    const { runtime, summary } = await runHeadless({ file: join(NOTEBOOKS, 'gia.md'), data: DEMO_DIR, out, params: { year: '2024', procedure: 'ВПР', subject: 'Математика', grade: '5', factor: 'textbook' } });
    expect(summary.filter((c) => c.status !== 'done').map((c) => `${c.name ?? c.id}: ${c.error ?? ''}`)).toEqual([]);
    const tests = (runtime.states.get('factor_tests')!.result as Rows).rows();
    expect(tests.map((r) => r['Мера'])).toEqual(['Доля не преодолевших порог', 'Часть 1', 'Часть 2', 'Средний балл']);
    for (const r of tests) {
      for (const k of ['p (каждый ученик отдельно)', 'p (с учётом школ)', 'p (при равных условиях школ)']) expect(String(r[k]), k).toMatch(/^(< )?0\.\d+$/);
      expect(Number(r['Эффект дизайна'])).toBeGreaterThan(1);
    }
    const factors = (runtime.states.get('factors')!.result as Rows).rows();
    const adjusted = (runtime.states.get('factor_adjusted')!.result as Rows).rows();
    const part1 = adjusted.filter((r) => r['Мера'] === 'Часть 1');
    const ref = part1.find((r) => r['Разница без поправок'] === 'опорная группа')!;
    const rate = (grp: unknown) => Number(factors.find((f) => f.part === 'Часть 1' && f.grp === grp)!.rate);
    for (const r of part1.filter((r) => r !== ref)) {
      // The raw difference (percentage points) is the difference of the group rates shown above.
      expect(Number(r['Разница без поправок'])).toBeCloseTo(100 * (rate(r['Группа']) - rate(ref['Группа'])), 1);
      expect(String(r['95% ДИ с учётом школ'])).toMatch(/^\[-?\d+(\.\d+)?; -?\d+(\.\d+)?\]$/);
    }
    if (planted) {
      const mine = part1.find((r) => r['Группа'] === planted.textbook.textbook)!;
      const high = Number(String(mine['95% ДИ с учётом школ']).replace(/^\[.*; /, '').replace(']', ''));
      expect(high).toBeLessThan(0);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
