/**
 * Turns for the page in the objectivity analysis (LOW-11 is its first reader in a run): in the tab
 * the runner shares the page's main thread, and judging every school-work of a regional set in one
 * synchronous stretch held it ≈150 ms. The clock is simulated (1 ms per reading), so `breathe`
 * decides deterministically; the database is a stub answering with ready per-school summaries.
 */
import jStat from 'jstat';
import { afterEach, expect, test, vi } from 'vitest';
import { inflatedMeanCriterion } from '../../../../src/indicators/analysis/objectivity-inflation';
import { perSchool } from '../../../../src/indicators/analysis/objectivity-common';
import type { Connector } from '../../../../src/db/connector';
import { DEFAULT_PARAMS, type IndicatorContext } from '../../../../src/indicators/types';

afterEach(() => vi.restoreAllMocks());

/** A connector whose paged query (CREATE … AS, one page, DROP) returns `rows`. */
function stub(rows: Record<string, unknown>[]): Connector {
  const query = async (req: { sql: string }) => {
    if (req.sql.startsWith('CREATE TEMP TABLE')) return [{ Count: rows.length }];
    if (req.sql.startsWith('SELECT * EXCLUDE')) return rows;
    return [];
  };
  return { query } as unknown as Connector;
}

test('OBJ-02 gives the page turns while it judges the works, not only while it reads them', async () => {
  const works = 200;
  const rows: Record<string, unknown>[] = [];
  for (let w = 0; w < works; w++) {
    for (let s = 0; s < 3; s++) {
      const m = 0.4 + 0.1 * s + w / 10_000;
      rows.push({ year: 2024, procedure: 'ВПР', subject: `S${w}`, grade: 5, school_id: `00${s}`, n: 20, mean: m, sd: 0.1, total: 20 * m, total2: 20 * (m * m + 0.01), n3: 20, s3: 20 * m, q3: 20 * (m * m + 0.01) });
    }
  }
  const ctx: IndicatorContext = { conn: stub(rows), params: { ...DEFAULT_PARAMS, minGroupSize: 5 }, tables: [] };
  let t = performance.now();
  vi.spyOn(performance, 'now').mockImplementation(() => (t += 1));
  // Turns the page got so far, read at each work's judgement (the bound is computed once per work).
  let turns = 0;
  let running = true;
  const tick = () => {
    turns++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  const seen: number[] = [];
  const inv = jStat.normal.inv;
  vi.spyOn(jStat.normal, 'inv').mockImplementation((p: number, mean: number, sd: number) => {
    seen.push(turns);
    return inv(p, mean, sd);
  });
  const out = await inflatedMeanCriterion(ctx);
  running = false;
  expect(out).toHaveLength(works * 3 + 3);
  // 200 works, then the pooled procedure-year: the page had turns between the works' judgements.
  expect(seen).toHaveLength(works + 1);
  expect(new Set(seen.slice(0, works)).size).toBeGreaterThan(1);
});

test('per-school summaries cross to the page in pieces of at most 2 500 rows', async () => {
  const pages: number[] = [];
  const conn = {
    query: async (req: { sql: string }) => {
      if (req.sql.startsWith('CREATE TEMP TABLE')) return [{ Count: 6_000 }];
      const m = /rowid >= (\d+) AND rowid < (\d+)/.exec(req.sql);
      if (!m) return [];
      const [from, to] = [Number(m[1]), Math.min(6_000, Number(m[2]))];
      pages.push(to - from);
      return Array.from({ length: to - from }, (_, i) => ({ year: 2024, procedure: 'ВПР', subject: 'М', grade: 5, school_id: String(from + i), n: 1 }));
    },
  } as unknown as Connector;
  const out = await perSchool({ conn, params: DEFAULT_PARAMS, tables: [] }, undefined, false, 'TRUE', 'count(*) AS k');
  expect(out).toHaveLength(6_000);
  expect(pages).toEqual([2_500, 2_500, 1_000]);
});
