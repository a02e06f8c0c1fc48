/**
 * The benchmark's generated data: deterministic, internally consistent, and imported by the
 * app's pipeline (reader + mapping, on native DuckDB) to the expected row counts. Expected
 * figures come from plain TypeScript over the generated rows, never from the same SQL.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NodeConnector } from '../../../src/db/node-connector';
import { CANONICAL_TABLE_NAMES } from '../../../src/model/contract';
import { SIZES, WORKS, expectedCounts, regionalSql } from '../../../datasets/regional/sql';
import { VPR_HEADERS, VPR_TASKS, vprMax, writeVprCsv, writeVprXlsx } from '../../../datasets/regional/vpr';
import { importFile } from '../../../scripts/bench/steps';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'msoko-bench-gen-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function generate(): Promise<NodeConnector> {
  const conn = await NodeConnector.open();
  for (const sql of regionalSql(SIZES.tiny!)) await conn.query({ type: 'exec', sql });
  return conn;
}

describe('regional generator (tiny size)', () => {
  test('row counts match the plain-TypeScript count of the same design', async () => {
    const conn = await generate();
    try {
      const expected = expectedCounts(SIZES.tiny!);
      const [r] = await conn.query({ type: 'rows', sql: 'SELECT (SELECT count(*) FROM assessment_results) AS a, (SELECT count(*) FROM task_scores) AS t, (SELECT count(*) FROM tasks) AS k' });
      expect(r!.a).toBe(expected.assessment_results);
      expect(r!.t).toBe(expected.task_scores);
      const taskRows = WORKS.reduce((s, w) => s + w[3], 0) * SIZES.tiny!.years.length;
      expect(r!.k).toBe(taskRows);
      for (const t of CANONICAL_TABLE_NAMES) {
        const [c] = await conn.query({ type: 'rows', sql: `SELECT count(*) AS n FROM ${t}` });
        expect(Number(c!.n), t).toBeGreaterThan(0);
      }
    } finally {
      await conn.close();
    }
  });

  test('primary score is the sum of the task scores, and scores stay within the task maximum', async () => {
    const conn = await generate();
    try {
      const results = await conn.query({ type: 'rows', sql: 'SELECT year, procedure, subject, grade, student_id, primary_score FROM assessment_results' });
      const scores = await conn.query({ type: 'rows', sql: 'SELECT year, procedure, subject, grade, student_id, task, score FROM task_scores' });
      const maxes = await conn.query({ type: 'rows', sql: 'SELECT year, procedure, subject, grade, task, max_score FROM tasks' });
      const maxOf = new Map(maxes.map((m) => [`${m.year}|${m.procedure}|${m.subject}|${m.grade}|${m.task}`, Number(m.max_score)]));
      const sums = new Map<string, number>();
      const outOfRange: unknown[] = [];
      for (const s of scores) {
        const key = `${s.year}|${s.procedure}|${s.subject}|${s.grade}|${s.student_id}`;
        sums.set(key, (sums.get(key) ?? 0) + Number(s.score));
        const max = maxOf.get(`${s.year}|${s.procedure}|${s.subject}|${s.grade}|${s.task}`);
        if (max === undefined || Number(s.score) < 0 || Number(s.score) > max) outOfRange.push(s);
      }
      expect(outOfRange).toEqual([]);
      expect(sums.size).toBe(results.length);
      const mismatched = results.filter((r) => r.primary_score !== sums.get(`${r.year}|${r.procedure}|${r.subject}|${r.grade}|${r.student_id}`));
      expect(mismatched).toEqual([]);
    } finally {
      await conn.close();
    }
  });

  test('is deterministic: two generations give the same rows', async () => {
    const digest = async () => {
      const conn = await generate();
      try {
        const [r] = await conn.query({
          type: 'rows',
          sql: `SELECT (SELECT sum(score * (task::INT + 1) * grade) FROM task_scores)::DOUBLE AS a,
                       (SELECT string_agg(student_id || ':' || primary_score || ':' || coalesce(journal_mark, 0), ',' ORDER BY student_id, subject, grade, year) FROM assessment_results) AS b,
                       (SELECT string_agg(staff_id || activity, ',' ORDER BY staff_id, activity, event_id) FROM staff_activities) AS c`,
        });
        return r;
      } finally {
        await conn.close();
      }
    };
    expect(await digest()).toEqual(await digest());
  });
});

/** Parses the generated cp1251 CSV in plain TypeScript. */
function parseCsv(path: string): string[][] {
  return iconv
    .decode(readFileSync(path), 'win1251')
    .split('\r\n')
    .filter(Boolean)
    .map((l) => l.split(';'));
}

describe('ВПР-like files', () => {
  test('CSV: Windows-1251, `;`, the regional-export header and consistent totals', async () => {
    const path = join(dir, 'ВПР 2024 Математика 8 класс.csv');
    await writeVprCsv(path, 250);
    const lines = parseCsv(path);
    expect(lines[0]).toEqual(VPR_HEADERS);
    expect(lines[0]).toContain('балл за 20');
    expect(lines).toHaveLength(251);
    const total = VPR_HEADERS.indexOf('всего баллов');
    const first = VPR_HEADERS.indexOf('балл за 1');
    for (const row of lines.slice(1)) {
      const tasks = row.slice(first, first + VPR_TASKS).map(Number);
      tasks.forEach((s, i) => expect(s).toBeLessThanOrEqual(vprMax(i + 1)));
      expect(tasks.reduce((a, b) => a + b, 0)).toBe(Number(row[total]));
    }
  });

  test('CSV imports through the app pipeline to one result per row and 20 task rows per participant', async () => {
    const path = join(dir, 'ВПР 2024 Математика 8 класс.csv');
    await writeVprCsv(path, 250);
    const lines = parseCsv(path).slice(1);
    const first = VPR_HEADERS.indexOf('балл за 1');
    const expectedScore = lines.reduce((s, row) => s + row.slice(first, first + VPR_TASKS).reduce((a, b) => a + Number(b), 0), 0);
    const conn = await NodeConnector.open();
    try {
      const r = await importFile(conn, 'ВПР 2024 Математика 8 класс.csv', new Uint8Array(readFileSync(path)));
      expect(r.layout).toBe('vpr-regional');
      expect(r.counts.assessment_results).toBe(250);
      expect(r.counts.task_scores).toBe(250 * VPR_TASKS);
      const [s] = await conn.query({ type: 'rows', sql: `SELECT sum(score) AS s, count(DISTINCT student_id) AS n, min(year) AS y, min(subject) AS subj, min(grade) AS g FROM task_scores` });
      expect(s).toEqual({ s: expectedScore, n: 250, y: 2024, subj: 'Математика', g: 8 });
    } finally {
      await conn.close();
    }
  });

  test('XLSX (streamed by ExcelJS) imports to the same counts', async () => {
    const path = join(dir, 'ВПР 2024 Математика 8 класс.xlsx');
    await writeVprXlsx(path, 120);
    const conn = await NodeConnector.open();
    try {
      const r = await importFile(conn, 'ВПР 2024 Математика 8 класс.xlsx', new Uint8Array(readFileSync(path)));
      expect(r.counts.assessment_results).toBe(120);
      expect(r.counts.task_scores).toBe(120 * VPR_TASKS);
    } finally {
      await conn.close();
    }
  });
});
