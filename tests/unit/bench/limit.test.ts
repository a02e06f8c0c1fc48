/**
 * The limit pipeline of the benchmark (scripts/bench/limit.ts) does the work it stands for:
 * every row and task cell arrives, the per-row sum check catches a row whose total is wrong, and
 * with codes that restart in every school the participant is keyed by school + code. Expected
 * figures come from plain TypeScript over the generator's rows.
 */
import iconv from 'iconv-lite';
import { describe, expect, test } from 'vitest';
import { NodeConnector } from '../../../src/db/node-connector';
import { VPR_HEADERS, VPR_PER_SCHOOL, VPR_TASKS, vprRows } from '../../../datasets/regional/vpr';
import { limitImport, transcodeToFile } from '../../../scripts/bench/limit';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROWS = 150;
const TOTAL = VPR_HEADERS.indexOf('всего баллов');
const FIRST_TASK = VPR_HEADERS.indexOf('балл за 1');

function csv(rows: (string | number)[][]): Uint8Array {
  return iconv.encode([VPR_HEADERS, ...rows].map((r) => r.join(';')).join('\r\n') + '\r\n', 'win1251');
}

async function run(rows: (string | number)[][], schoolCodes: boolean) {
  const conn = await NodeConnector.open();
  try {
    const r = await limitImport(conn, csv(rows), { schoolCodes });
    const [k] = await conn.query({
      type: 'rows',
      sql: `SELECT count(DISTINCT code)::INT AS codes, sum(score)::INT AS points,
              count(*) FILTER (WHERE task = 13)::INT AS task13 FROM lim_tasks`,
    });
    const keys = schoolCodes ? await conn.query({ type: 'rows', sql: 'SELECT count(*)::INT AS n FROM (SELECT DISTINCT school_login, code FROM lim_tasks)' }) : [];
    return { ...r, k: k!, keys: Number(keys[0]?.n ?? 0) };
  } finally {
    await conn.close();
  }
}

describe('limit pipeline', () => {
  test('codes per school: every row and cell arrives, keyed by school + code', async () => {
    const rows = [...vprRows(ROWS, 7, { schoolCodes: true })];
    const points = rows.reduce((s, r) => s + r.slice(FIRST_TASK, FIRST_TASK + VPR_TASKS).reduce<number>((a, v) => a + Number(v), 0), 0);
    const r = await run(rows, true);
    expect(r.counts).toEqual({ results: ROWS, tasks: ROWS * VPR_TASKS, sumMismatches: 0 });
    expect(r.k.codes).toBe(VPR_PER_SCHOOL);
    expect(r.keys).toBe(ROWS);
    expect(r.k.points).toBe(points);
    expect(r.k.task13).toBe(ROWS);
  });

  test('running codes: the sum check flags a row whose total disagrees with its tasks', async () => {
    const rows = [...vprRows(ROWS)];
    rows[17]![TOTAL] = Number(rows[17]![TOTAL]) + 1;
    const r = await run(rows, false);
    expect(r.counts).toEqual({ results: ROWS, tasks: ROWS * VPR_TASKS, sumMismatches: 1 });
    expect(r.k.codes).toBe(ROWS);
  });

  test('transcoding a file larger than one 4 MB slice gives the whole text in UTF-8', () => {
    const dir = mkdtempSync(join(tmpdir(), 'msoko-limit-test-'));
    try {
      const text = 'логин;Учебник\r\n' + 'Мерзляк А.Г.;ж\r\n'.repeat(400_000);
      transcodeToFile(iconv.encode(text, 'win1251'), join(dir, 'out.csv'));
      expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toBe(text);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
