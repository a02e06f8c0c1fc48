/**
 * Defect 1 of issue #12: the `indicators` table got 2–4 copies of its rows when templates were
 * opened a second apart or right after an import. Runs on one connector now queue, write a
 * staging table and swap it in; a key occurring twice is an error naming the indicator.
 */
import { describe, expect, test } from 'vitest';
import { ensureIndicators, idsOfDirection } from '../../../src/indicators/materialise';
import { createIndicatorsTable, runIndicators } from '../../../src/indicators/run';
import { assertUniqueKey } from '../../../src/indicators/table';
import { NodeConnector } from '../../../src/db/node-connector';
import { makeRow } from '../../../src/indicators/sql';
import type { IndicatorDef } from '../../../src/indicators/types';
import type { Connector } from '../../../src/db/connector';
import { openDemo } from './demo';
import { FIXTURE_DIR } from './directions/expect';

const KEY = ['indicator_id', 'year', 'procedure', 'subject', 'grade', 'school_id', 'dimension', 'dimension_value'];

/** Keys seen more than once, counted in plain TypeScript over every row of the table. */
async function duplicateKeys(conn: Connector): Promise<string[]> {
  const rows = await conn.query({ type: 'rows', sql: 'SELECT * FROM indicators' });
  const seen = new Set<string>();
  const dups: string[] = [];
  for (const r of rows) {
    const key = JSON.stringify(KEY.map((k) => r[k]));
    if (seen.has(key)) dups.push(key);
    seen.add(key);
  }
  return dups;
}

const idsIn = async (conn: Connector) =>
  (await conn.query({ type: 'rows', sql: 'SELECT DISTINCT indicator_id FROM indicators ORDER BY 1' })).map((r) => String(r.indicator_id));

describe('the indicators table', () => {
  test('concurrent ensureIndicators calls with a data change among them leave one row per key', async () => {
    const demo = await openDemo(FIXTURE_DIR);
    try {
      const upb = idsOfDirection('UPB');
      const calls = [
        ensureIndicators(demo.conn, { ids: upb }),
        ensureIndicators(demo.conn, { ids: ['PRE-04'] }),
        ensureIndicators(demo.conn, { ids: upb }),
        // An import landing while the templates open.
        demo.conn.query({ type: 'exec', sql: "DELETE FROM monitoring WHERE code = 'students_soo'" }),
        ensureIndicators(demo.conn, { ids: upb }),
        ensureIndicators(demo.conn),
      ];
      await Promise.all(calls);
      await Promise.all([ensureIndicators(demo.conn, { ids: upb }), ensureIndicators(demo.conn, { ids: ['PRE-04', 'UPB-03'] })]);
      expect(await duplicateKeys(demo.conn)).toEqual([]);
      expect((await idsIn(demo.conn)).length).toBeGreaterThan(100);
      // The table reflects the data after the change: students_soo is gone.
      const [row] = await demo.conn.query({ type: 'rows', sql: "SELECT dimension, dimension_value FROM indicators WHERE indicator_id = 'UPB-03'" });
      expect(row).toEqual({ dimension: 'missing', dimension_value: 'monitoring.code=students_soo' });
      const tables = (await demo.conn.listTables()).map((t) => t.name);
      expect(tables.filter((t) => t.startsWith('indicators'))).toEqual(['indicators', 'indicators_source']);
    } finally {
      await demo.conn.close();
    }
  });

  test('concurrent runIndicators calls do not mix their rows', async () => {
    const demo = await openDemo(FIXTURE_DIR);
    try {
      const [a, b] = await Promise.all([runIndicators(demo.conn, { ids: ['PRE-04'] }), runIndicators(demo.conn, { ids: ['PRE-04'] })]);
      // The same rows; their order within a run is the engine's (no ORDER BY), so compare as sets.
      const sorted = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();
      expect(sorted(a)).toEqual(sorted(b));
      expect(await duplicateKeys(demo.conn)).toEqual([]);
      const [{ n }] = await demo.conn.query({ type: 'rows', sql: 'SELECT count(*) AS n FROM indicators' });
      expect(Number(n)).toBe(a.length);
    } finally {
      await demo.conn.close();
    }
  });

  test('an indicator emitting one key twice fails the run with a Russian message naming it; the table is unchanged', async () => {
    const demo = await openDemo(FIXTURE_DIR);
    const twice: IndicatorDef = {
      id: 'TEST-99',
      direction: 'GIA',
      title: 'дублирующий показатель',
      reads: {},
      compute: async () => [makeRow('TEST-99', { year: 2024, school_id: 'S1', value: 1 }), makeRow('TEST-99', { year: 2024, school_id: 'S1', value: 2 })],
    };
    const fine: IndicatorDef = { ...twice, id: 'TEST-01', compute: async () => [makeRow('TEST-01', { year: 2024, value: 3 })] };
    try {
      await runIndicators(demo.conn, { indicators: [fine] });
      await expect(runIndicators(demo.conn, { indicators: [fine, twice] })).rejects.toThrow(/TEST-99.*несколько строк с одним ключом/);
      await expect(runIndicators(demo.conn, { indicators: [fine, twice] })).rejects.toMatchObject({ name: 'UserError' });
      expect(await demo.conn.query({ type: 'rows', sql: 'SELECT indicator_id, value FROM indicators' })).toEqual([{ indicator_id: 'TEST-01', value: 3 }]);
      expect((await demo.conn.listTables()).map((t) => t.name)).not.toContain('indicators__next');
    } finally {
      await demo.conn.close();
    }
  });

  test('the key check treats NULLs as equal and tells NULL from a value (hashed first, then exact)', async () => {
    const conn = await NodeConnector.open();
    try {
      await createIndicatorsTable(conn, 'k');
      // Keys that differ only by a NULL against a value, '' or 0: no two are the same key.
      await conn.query({
        type: 'exec',
        sql: `INSERT INTO k (indicator_id, year, procedure, subject, grade, school_id, dimension, dimension_value) VALUES
          ('A', 2024, NULL, NULL, NULL, NULL, NULL, NULL), ('A', 2024, NULL, NULL, NULL, 'S1', NULL, NULL),
          ('A', 2024, NULL, NULL, 0, NULL, NULL, NULL), ('A', 2024, '', NULL, NULL, NULL, NULL, NULL),
          ('A', 2024, NULL, NULL, NULL, NULL, 'd', NULL), ('A', 2024, NULL, NULL, NULL, NULL, NULL, 'd'),
          ('A', NULL, NULL, NULL, NULL, NULL, NULL, NULL), ('B', 2024, NULL, NULL, NULL, NULL, NULL, NULL)`,
      });
      await expect(assertUniqueKey(conn, 'k')).resolves.toBeUndefined();
      // The same all-NULL key twice (a UNIQUE constraint would let it pass) names its indicator.
      await conn.query({ type: 'exec', sql: `INSERT INTO k (indicator_id, year, value) VALUES ('B', 2024, 5)` });
      await expect(assertUniqueKey(conn, 'k')).rejects.toThrow(/B \(лишних строк: 1; например: год 2024\)/);
    } finally {
      await conn.close();
    }
  });
});
