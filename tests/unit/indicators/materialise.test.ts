import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { NodeConnector } from '../../../src/db/node-connector';
import { ensureIndicators, hasTable, materialiseIndicators } from '../../../src/indicators/materialise';
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

  test('ensureIndicators computes the table once, and not when it exists', async () => {
    const demo = await openDemo(FIXTURE_DIR);
    try {
      expect(await hasTable(demo.conn, 'indicators')).toBe(false);
      expect(await ensureIndicators(demo.conn)).toBe(true);
      const [row] = await demo.conn.query({ type: 'rows', sql: `SELECT count(*) AS n FROM indicators WHERE indicator_id = 'UPB-03'` });
      expect(Number(row.n)).toBeGreaterThan(0);
      expect(await ensureIndicators(demo.conn)).toBe(false);
    } finally {
      await demo.conn.close();
    }
  });
});
