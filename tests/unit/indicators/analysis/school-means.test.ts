import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NodeConnector } from '../../../../src/db/node-connector';
import { schoolMeans } from '../../../../src/indicators/analysis/school-means';
import { tInterval, welch } from '../../../../src/indicators/stats';
import { DEFAULT_PARAMS, type IndicatorContext } from '../../../../src/indicators/types';

// A hand-made municipality: per-school summaries from SQL must give what the raw values give
// in plain TS, including a constant rest (Welch undefined) and a one-participant school.
const scores: Record<string, Record<string, (number | null)[]>> = {
  'ВПР|Математика|5': {
    s1: [3, 7, 8, 12, 5, 9, 10, 11, 6, 7, 8, 13.5],
    s2: [9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, null],
    s3: [4],
    s4: [1, 2, 15, 14, 3],
  },
  'ОГЭ|Русский язык|9': { s1: [20, 20, 20], s2: [25, 25, 25, 25] },
  // Equal means (10) of s1 and s2 share a rank; s9 comes before them by code, s0 after.
  'ВПР|Русский язык|4': {
    s9: [8, 8, 8, 8, 8, 8, 8, 8, 8, 8],
    s1: [10, 10, 10, 10, 10, 10, 10, 10, 10, 10],
    s2: [8, 12, 8, 12, 8, 12, 8, 12, 8, 12],
    s0: [12, 12, 12, 12, 12, 12, 12, 12, 12, 12],
  },
};

let conn: NodeConnector;
let ctx: IndicatorContext;

beforeAll(async () => {
  conn = await NodeConnector.open();
  const values: string[] = [];
  let id = 0;
  for (const [work, bySchool] of Object.entries(scores)) {
    const [procedure, subject, grade] = work.split('|');
    for (const [school, xs] of Object.entries(bySchool))
      for (const x of xs) values.push(`(2024, '${procedure}', '${subject}', ${grade}, '${school}', 'p${id++}', ${x ?? 'NULL'})`);
  }
  await conn.query({
    type: 'exec',
    sql: `CREATE TABLE assessment_results AS SELECT * FROM (VALUES ${values.join(', ')})
          t(year, procedure, subject, grade, school_id, student_id, primary_score)`,
  });
  await conn.query({ type: 'exec', sql: `CREATE TABLE schools AS SELECT * FROM (VALUES (2024, 's1', 'СОШ'), (2024, 's2', 'лицей')) t(year, school_id, school_type)` });
  ctx = { conn, params: DEFAULT_PARAMS, tables: await conn.listTables() };
});
afterAll(() => conn?.close());

const close = (a: number | null, b: number) => (Number.isFinite(b) ? expect(a).toBeCloseTo(b, 9) : expect(a).toBeNull());

describe('schoolMeans', () => {
  test('every field against the raw values', async () => {
    const out = await schoolMeans(ctx);
    expect(out).toHaveLength(10);
    for (const [work, bySchool] of Object.entries(scores)) {
      const [procedure, subject, grade] = work.split('|');
      const clean = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null);
      const all = Object.values(bySchool).flatMap(clean);
      const municipal = all.reduce((a, b) => a + b, 0) / all.length;
      const reliable = Object.entries(bySchool)
        .filter(([, xs]) => clean(xs).length >= DEFAULT_PARAMS.minGroupSize)
        .map(([s, xs]) => ({ s, m: tInterval(clean(xs)).estimate }));
      // Competition ranking «1, 2, 2, 4»: one plus the number of reliable schools with a higher mean.
      const rankOf = (school: string) => {
        const me = reliable.find((r) => r.s === school);
        return me ? 1 + reliable.filter((r) => r.m > me.m).length : null;
      };
      for (const [school, raw] of Object.entries(bySchool)) {
        const xs = clean(raw);
        const rest = Object.entries(bySchool).flatMap(([s, v]) => (s === school ? [] : clean(v)));
        const m = out.find((r) => r.procedure === procedure && r.subject === subject && r.grade === Number(grade) && r.school_id === school)!;
        const t = tInterval(xs);
        expect(m.n).toBe(xs.length);
        close(m.mean, t.estimate);
        close(m.sd, t.sd);
        close(m.ci_low, t.low);
        close(m.ci_high, t.high);
        close(m.municipal_mean, municipal);
        close(m.diff, t.estimate - municipal);
        close(m.welch_p, welch(xs, rest).p);
        expect(m.reliable).toBe(xs.length >= DEFAULT_PARAMS.minGroupSize);
        expect(m.rank).toBe(rankOf(school));
        expect(m.school_type).toBe({ s1: 'СОШ', s2: 'лицей' }[school] ?? null);
      }
    }
    // The constant rest of s1 in the ОГЭ work leaves Welch undefined.
    expect(out.filter((m) => m.procedure === 'ОГЭ').map((m) => m.welch_p)).toEqual([null, null]);
    const ties = out.filter((m) => m.grade === 4);
    expect(['s0', 's1', 's2', 's9'].map((s) => ties.find((m) => m.school_id === s)?.rank)).toEqual([1, 2, 2, 4]);
  });

  test('filters: a work, and a school still compared with its whole municipality', async () => {
    const all = await schoolMeans(ctx);
    const vpr = await schoolMeans(ctx, { procedure: 'ВПР' });
    expect(vpr.filter((m) => m.grade === 5).map((m) => m.school_id).sort()).toEqual(['s1', 's2', 's3', 's4']);
    const s1 = await schoolMeans(ctx, { school_id: 's1' });
    expect(s1).toHaveLength(3);
    for (const m of [...vpr, ...s1]) expect(m).toEqual(all.find((r) => r.procedure === m.procedure && r.grade === m.grade && r.school_id === m.school_id));
  });
});
