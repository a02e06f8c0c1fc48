import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { NodeConnector } from '../../../src/db/node-connector';
import { ensureIndicators, hasTable, idsOfDirection, materialiseIndicators } from '../../../src/indicators/materialise';
import { openDemo } from './demo';
import { FIXTURE_DIR } from './directions/expect';

const files = () => readdirSync(FIXTURE_DIR).map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(join(FIXTURE_DIR, f))) }));

describe('materialise', () => {
  test('materialiseIndicators fills the target database from canonical files loaded in a scratch one', async () => {
    const target = await NodeConnector.open();
    const scratch = await NodeConnector.open();
    try {
      const n = await materialiseIndicators(target, scratch, files());
      expect(n).toBeGreaterThan(0);
      const [row] = await target.query({ type: 'rows', sql: `SELECT value FROM indicators WHERE indicator_id = 'PRE-04' AND year = 2024 AND school_id IS NULL` });
      expect(row.value).toBeCloseTo(9.5); // 190 children / 20 pedagogues in D1..D3
      expect(await materialiseIndicators(target, scratch, [{ name: 'notes.csv', bytes: new Uint8Array([120]) }])).toBeNull();
    } finally {
      await target.close();
      await scratch.close();
    }
  });

  test('ensureIndicators computes what a template needs once, keeps other directions, recomputes when the data change', async () => {
    const demo = await openDemo(FIXTURE_DIR);
    const ids = async () =>
      (await demo.conn.query({ type: 'rows', sql: 'SELECT DISTINCT indicator_id FROM indicators ORDER BY 1' })).map((r) => String(r.indicator_id));
    try {
      expect(await hasTable(demo.conn, 'indicators')).toBe(false);
      expect(await ensureIndicators(demo.conn, { ids: idsOfDirection('upb') })).toBe(true);
      expect(await ids()).toEqual(['UPB-01', 'UPB-02', 'UPB-03', 'UPB-04', 'UPB-05', 'UPB-06']);
      expect(await ensureIndicators(demo.conn, { ids: idsOfDirection('UPB') })).toBe(false);
      expect(await ensureIndicators(demo.conn, { ids: ['PRE-04'] })).toBe(true);
      expect(await ids()).toEqual(['PRE-04', 'UPB-01', 'UPB-02', 'UPB-03', 'UPB-04', 'UPB-05', 'UPB-06']);
      // New data: the table is rebuilt from it, earlier rows are not kept.
      await demo.conn.query({ type: 'exec', sql: "DELETE FROM monitoring WHERE code = 'students_soo'" });
      expect(await ensureIndicators(demo.conn, { ids: ['UPB-03'] })).toBe(true);
      expect(await ids()).toEqual(['UPB-03']);
      const [row] = await demo.conn.query({ type: 'rows', sql: "SELECT dimension, dimension_value FROM indicators WHERE indicator_id = 'UPB-03'" });
      expect(row).toEqual({ dimension: 'missing', dimension_value: 'monitoring.code=students_soo' });
      expect(idsOfDirection('XYZ')).toBeUndefined();
      // Corrected values, same row counts (a file re-imported after a fix): recomputed, not the old numbers.
      expect(await ensureIndicators(demo.conn, { ids: ['PRE-04'] })).toBe(true);
      expect(await ensureIndicators(demo.conn, { ids: ['PRE-04'] })).toBe(false);
      const pre04 = async () =>
        Number((await demo.conn.query({ type: 'rows', sql: "SELECT value FROM indicators WHERE indicator_id = 'PRE-04' AND year = 2024 AND school_id IS NULL" }))[0]!.value);
      expect(await pre04()).toBeCloseTo(9.5); // 190 children / 20 pedagogues in D1..D3
      await demo.conn.query({ type: 'exec', sql: 'UPDATE monitoring SET value = value' });
      expect(await ensureIndicators(demo.conn, { ids: ['PRE-04'] })).toBe(false); // same values: nothing to do
      await demo.conn.query({ type: 'exec', sql: "UPDATE monitoring SET value = value * 2 WHERE code = 'dou_children'" });
      expect(await ensureIndicators(demo.conn, { ids: ['PRE-04'] })).toBe(true);
      expect(await pre04()).toBeCloseTo(19); // 380 children / 20 pedagogues
    } finally {
      await demo.conn.close();
    }
  });
});
