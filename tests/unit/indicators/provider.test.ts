/**
 * Defect 2 of issue #12: a user's own notebook reading `indicators` failed with «Таблица
 * «indicators» не найдена» until some template had been opened. The runtime now asks the table's
 * provider (registered by src/indicators/materialise.ts) before such a cell runs.
 */
import { describe, expect, test } from 'vitest';
import { parseNotebook } from '../../../src/notebook/format';
import { NotebookRuntime } from '../../../src/notebook/runtime';
import { onTableProvided, providedTables } from '../../../src/notebook/providers';
import { INDICATORS } from '../../../src/indicators/registry';
import '../../../src/indicators/materialise';
import { openDemo } from './demo';
import { FIXTURE_DIR } from './directions/expect';

const notebook = (front: string, sql: string) => parseNotebook(`---\ntitle: Мой блокнот\n${front}---\n\n\`\`\`sql id=c1 name=summary\n${sql}\n\`\`\`\n`);

const SUMMARY = `SELECT count(DISTINCT indicator_id) AS ids,
  max(value) FILTER (WHERE indicator_id = 'PRE-04' AND year = 2024 AND school_id IS NULL) AS pre04,
  max(dimension_value) FILTER (WHERE indicator_id = 'UPB-03' AND dimension = 'missing') AS upb03_missing
FROM indicators`;

function resultOf(rt: NotebookRuntime) {
  const s = rt.states.get('c1')!;
  expect(s.error ?? null).toBeNull();
  expect(s.status).toBe('done');
  const r = s.result!;
  if (r.kind !== 'table') throw new Error(r.kind);
  return r.rows()[0];
}

describe('the indicators table in a notebook', () => {
  test('is provided', () => expect(providedTables()).toContain('indicators'));

  test('a notebook whose only cell reads `indicators` gets the whole catalogue, brought up to date when the data change', async () => {
    const demo = await openDemo(FIXTURE_DIR);
    try {
      let provided = 0;
      const stop = onTableProvided(() => provided++);
      const rt = new NotebookRuntime(demo.conn, notebook('', SUMMARY), { trusted: true });
      await rt.runAll();
      await rt.runAll();
      // Computed once (the data panel is told), the second run found it up to date.
      expect(provided).toBe(1);
      stop();
      // 190 children / 20 pedagogues in D1..D3 (hand-checked in materialise.test.ts).
      expect(resultOf(rt)).toEqual({ ids: INDICATORS.length, pre04: 9.5, upb03_missing: null });
      await demo.conn.query({ type: 'exec', sql: "DELETE FROM monitoring WHERE code = 'students_soo'" });
      await rt.runAll();
      expect(resultOf(rt)).toEqual({ ids: INDICATORS.length, pre04: 9.5, upb03_missing: 'monitoring.code=students_soo' });
    } finally {
      await demo.conn.close();
    }
  }, 300_000);

  test("a template computes only its direction; a cell named like the table is the cell's own", async () => {
    const demo = await openDemo(FIXTURE_DIR);
    try {
      const rt = new NotebookRuntime(demo.conn, notebook('indicators: true\ndirection: UPB\n', 'SELECT DISTINCT indicator_id FROM indicators ORDER BY 1'), { trusted: true });
      await rt.runAll();
      const r = rt.states.get('c1')!.result!;
      if (r.kind !== 'table') throw new Error(r.kind);
      expect(r.rows().map((x) => x.indicator_id)).toEqual(['UPB-01', 'UPB-02', 'UPB-03', 'UPB-04', 'UPB-05', 'UPB-06']);

      const other = await openDemo(FIXTURE_DIR);
      try {
        const own = parseNotebook('---\ntitle: t\n---\n\n```sql id=a name=indicators\nSELECT 1 AS x\n```\n\n```sql id=b name=b\nSELECT x FROM indicators\n```\n');
        const rt2 = new NotebookRuntime(other.conn, own, { trusted: true });
        await rt2.runAll();
        expect(rt2.states.get('b')!.status).toBe('done');
        expect((await other.conn.listTables()).map((t) => t.name)).not.toContain('indicators_source');
      } finally {
        await other.conn.close();
      }
    } finally {
      await demo.conn.close();
    }
  });
});
