/**
 * The contract-form floor of the benchmark (scripts/bench/floor.ts) stores what it stands for:
 * every row and task cell in the contract's `task_scores` columns and types, in slices, with the
 * participant keyed by school + code when codes restart in every school. Expected figures come
 * from plain TypeScript over the generator's rows.
 */
import iconv from 'iconv-lite';
import { describe, expect, test } from 'vitest';
import { NodeConnector } from '../../../src/db/node-connector';
import { CONTRACT } from '../../../src/model/contract';
import { VPR_HEADERS, VPR_TASKS, vprRows } from '../../../datasets/regional/vpr';
import { floorImport } from '../../../scripts/bench/floor';
import { cp1251ToUtf8 } from '../../../src/ingest/read/transcode';

const ROWS = 150;
const TOTAL = VPR_HEADERS.indexOf('всего баллов');
const FIRST_TASK = VPR_HEADERS.indexOf('балл за 1');
const LOGIN = VPR_HEADERS.indexOf('логин школы');
const CODE = VPR_HEADERS.indexOf('код обучающегося');

const csv = (rows: (string | number)[][]) => iconv.encode([VPR_HEADERS, ...rows].map((r) => r.join(';')).join('\r\n') + '\r\n', 'win1251');

describe('contract-form floor', () => {
  test('codes per school, in slices of 7 rows: every cell arrives once, in the contract columns', async () => {
    const rows = [...vprRows(ROWS, 7, { schoolCodes: true })];
    rows[17]![TOTAL] = Number(rows[17]![TOTAL]) + 1;
    const points = rows.reduce((s, r) => s + r.slice(FIRST_TASK, FIRST_TASK + VPR_TASKS).reduce<number>((a, v) => a + Number(v), 0), 0);
    const keys = new Set(rows.map((r) => `${String(r[LOGIN]).slice(3)}|${r[CODE]}`));
    const conn = await NodeConnector.open();
    try {
      const r = await floorImport(conn, csv(rows), 7 * VPR_TASKS);
      expect(r.counts).toEqual({ results: ROWS, tasks: ROWS * VPR_TASKS, sumMismatches: 1 });
      const [k] = await conn.query({
        type: 'rows',
        sql: `SELECT count(DISTINCT (school_id, student_id))::INT AS people, count(DISTINCT (school_id, student_id, task))::INT AS cells,
                sum(score)::INT AS points, count(*) FILTER (WHERE task = '13')::INT AS task13, min(subject) AS subject FROM fl_tasks`,
      });
      expect(k).toEqual({ people: keys.size, cells: ROWS * VPR_TASKS, points, task13: ROWS, subject: 'Математика' });
      expect(keys.size).toBe(ROWS);
      const cols = await conn.query({ type: 'rows', sql: `SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_name = 'fl_tasks' ORDER BY ordinal_position` });
      expect(cols).toEqual(CONTRACT.task_scores.columns.map((c) => ({ name: c.name, type: c.type })));
    } finally {
      await conn.close();
    }
  });

  test('the floor transcodes with the app\'s cp1251ToUtf8: a file larger than 4 MB gives the whole text in UTF-8', () => {
    const text = 'логин;Учебник\r\n' + 'Мерзляк А.Г.;ж\r\n'.repeat(400_000);
    expect(new TextDecoder().decode(cp1251ToUtf8(iconv.encode(text, 'win1251')))).toBe(text);
  });
});
