import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import jStat from 'jstat';
import { factorAnalysis } from '../../../../src/indicators/analysis/factors';
import { runIndicators } from '../../../../src/indicators/run';
import { DEFAULT_PARAMS, type IndicatorRow } from '../../../../src/indicators/types';
import { demoAvailable, openDemo, readPlanted, type Demo } from '../demo';
import { RawResults, expectRow, type Work } from '../raw';

// Expectations computed over the demo's pupil rows in plain TypeScript: the pupil-level design
// matrix, (XᵀX)⁻¹ by Gauss–Jordan and the sandwich summed pupil by pupil — the product works on
// per school × group sums and a Cholesky factor instead.
const W: Work = { year: 2024, procedure: 'ВПР', subject: 'Математика', grade: 5 };
let demo: Demo;
let raw: RawResults;
let rows: IndicatorRow[];

beforeAll(async () => {
  demo = await openDemo();
  raw = new RawResults(demo);
  rows = await runIndicators(demo.conn, { ids: ['GIA-07'] });
}, 300_000);
afterAll(() => demo?.conn.close());

function inverse(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((r, i) => [...r, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let piv = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[piv][c])) piv = r;
    [m[c], m[piv]] = [m[piv], m[c]];
    const d = m[c][c];
    for (let j = 0; j < 2 * n; j++) m[c][j] /= d;
    for (let r = 0; r < n; r++) if (r !== c) {
      const f = m[r][c];
      for (let j = 0; j < 2 * n; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((r) => r.slice(n));
}

/** OLS with CR1 cluster-robust covariance, pupil by pupil. */
function bruteForce(X: number[][], y: number[], cluster: string[]) {
  const p = X[0].length;
  const xtx = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => X.reduce((s, r) => s + r[i] * r[j], 0)));
  const B = inverse(xtx);
  const xty = Array.from({ length: p }, (_, i) => X.reduce((s, r, k) => s + r[i] * y[k], 0));
  const beta = B.map((r) => r.reduce((s, v, j) => s + v * xty[j], 0));
  const u = new Map<string, number[]>();
  X.forEach((r, k) => {
    const e = y[k] - r.reduce((s, v, j) => s + v * beta[j], 0);
    const acc = u.get(cluster[k]) ?? new Array(p).fill(0);
    r.forEach((v, j) => (acc[j] += v * e));
    u.set(cluster[k], acc);
  });
  const G = u.size;
  const N = X.length;
  const meat = Array.from({ length: p }, (_, i) => Array.from({ length: p }, (_, j) => [...u.values()].reduce((s, v) => s + v[i] * v[j], 0)));
  const V = B.map((r) => B[0].map((_, j) => r.reduce((s, v, k) => s + v * meat[k].reduce((t, m, l) => t + m * B[l][j], 0), 0) * (G / (G - 1)) * ((N - 1) / (N - p))));
  return { beta, V, G };
}

/** The demo pupils of work W with their school's textbook of the class, score and covariates. */
function pupils() {
  const out: { school: string; textbook: string; y: number }[] = [];
  for (const r of raw.work(W)) {
    if (r.score === null || !r.school_id) continue;
    const ct = demo.rows.class_teaching.find((c) => c.year === r.year && c.school_id === r.school_id && c.class === r.class && c.subject === r.subject);
    if (!ct || ct.textbook === null) continue;
    out.push({ school: r.school_id, textbook: String(ct.textbook), y: r.score });
  }
  return out;
}
const school = (id: string) => demo.rows.schools.find((s) => s.year === W.year && s.school_id === id)!;
const of = (m: Partial<IndicatorRow>) => rows.filter((r) => r.indicator_id === 'GIA-07' && Object.entries(m).every(([k, v]) => r[k as keyof IndicatorRow] === v));

describe.skipIf(!demoAvailable())('GIA-07 with pupils clustered in schools', () => {
  test('school ICC and design effect of the mean score by textbook', () => {
    const ps = pupils();
    const schools = [...new Set(ps.map((p) => p.school))];
    const N = ps.length;
    const J = schools.length;
    const grand = ps.reduce((s, p) => s + p.y, 0) / N;
    let ssb = 0;
    let ssw = 0;
    let n2 = 0;
    for (const s of schools) {
      const ys = ps.filter((p) => p.school === s).map((p) => p.y);
      const m = ys.reduce((a, b) => a + b, 0) / ys.length;
      ssb += ys.length * (m - grand) ** 2;
      ssw += ys.reduce((a, y) => a + (y - m) ** 2, 0);
      n2 += ys.length ** 2;
    }
    const msb = ssb / (J - 1);
    const msw = ssw / (N - J);
    const icc = (msb - msw) / (msb + ((N - n2 / N) / (J - 1) - 1) * msw);
    expectRow(of({}), { ...W, school_id: null, dimension: 'icc|textbook', dimension_value: 'score' }, { denominator: J, value: icc });
    expectRow(of({}), { ...W, school_id: null, dimension: 'design_effect|textbook', dimension_value: 'score' }, { denominator: J, value: 1 + (N / J - 1) * Math.max(0, icc) });
    expect(icc).toBeGreaterThan(0.05);
  });

  test('raw group means with cluster-robust intervals, and the adjusted differences with theirs', () => {
    const ps = pupils();
    const books = [...new Set(ps.map((p) => p.textbook))];
    const size = (b: string) => ps.filter((p) => p.textbook === b).length;
    books.sort((a, b) => size(b) - size(a) || (a < b ? -1 : 1));
    const cl = ps.map((p) => p.school);
    // Group means: one indicator column per textbook.
    const raw1 = bruteForce(ps.map((p) => books.map((b) => (p.textbook === b ? 1 : 0))), ps.map((p) => p.y), cl);
    const q = jStat.studentt.inv(0.975, raw1.G - 1);
    books.forEach((b, j) => {
      expectRow(of({}), { ...W, school_id: null, dimension: 'ci_low|clustered|score|textbook', dimension_value: b }, { value: raw1.beta[j] - q * Math.sqrt(raw1.V[j][j]) }, 6);
      expectRow(of({}), { ...W, school_id: null, dimension: 'ci_high|clustered|score|textbook', dimension_value: b }, { value: raw1.beta[j] + q * Math.sqrt(raw1.V[j][j]) }, 6);
    });
    // Adjusted: intercept, textbook dummies (reference = the largest), settlement dummies (first type
    // in alphabetical order left out), students_total / 100, social_index.
    const types = [...new Set(ps.map((p) => String(school(p.school).settlement_type)))].sort();
    const X = ps.map((p) => {
      const s = school(p.school);
      return [1, ...books.slice(1).map((b) => (p.textbook === b ? 1 : 0)), ...types.slice(1).map((t) => (s.settlement_type === t ? 1 : 0)), Number(s.students_total) / 100, Number(s.social_index)];
    });
    const adj = bruteForce(X, ps.map((p) => p.y), cl);
    expectRow(of({}), { ...W, school_id: null, dimension: 'adjusted|textbook', dimension_value: `score|${books[0]}` }, { denominator: size(books[0]), value: 0 });
    books.slice(1).forEach((b, i) => {
      const j = 1 + i;
      const m = { ...W, school_id: null, dimension_value: `score|${b}` };
      expectRow(of({}), { ...m, dimension: 'adjusted|textbook' }, { denominator: size(b), value: adj.beta[j] }, 8);
      expectRow(of({}), { ...m, dimension: 'ci_low|adjusted|textbook' }, { value: adj.beta[j] - q * Math.sqrt(adj.V[j][j]) }, 6);
      expectRow(of({}), { ...m, dimension: 'ci_high|adjusted|textbook' }, { value: adj.beta[j] + q * Math.sqrt(adj.V[j][j]) }, 6);
    });
    expectRow(of({}), { ...W, school_id: null, dimension: 'adjusted_for|textbook', dimension_value: 'score|тип населённого пункта, численность обучающихся, индекс социального благополучия' }, { value: raw1.G });
    const p = of({ ...W, school_id: null, dimension: 'p_value|adjusted|textbook', dimension_value: 'score' })[0];
    expect(p.value).toBeGreaterThan(0);
    expect(p.value).toBeLessThanOrEqual(1);
  });

  test('the planted textbook gap survives clustering and adjustment; the pupil-level p overstates it', async () => {
    const planted = readPlanted() as unknown as { textbook: { procedure: string; subject: string; grades: number[]; textbook: string } } | null;
    if (!planted) return;
    const ctx = { conn: demo.conn, params: DEFAULT_PARAMS, tables: await demo.conn.listTables() };
    const fa = await factorAnalysis(ctx, { procedure: planted.textbook.procedure, subject: planted.textbook.subject }, { pool: true, grades: planted.textbook.grades });
    const cs = fa.clustered.filter((c) => c.factor === 'textbook' && c.measure === 'part');
    expect(cs.length).toBe(2);
    for (const c of cs) {
      const naive = fa.tests.find((t) => t.factor === 'textbook' && t.measure === 'part' && t.part === c.part)!;
      expect(c.design_effect!).toBeGreaterThan(2);
      expect(c.clustered_p!).toBeGreaterThan(100 * naive.p!);
      const mine = c.adjusted.find((a) => a.group === planted.textbook.textbook)!;
      expect(mine.ci_high!, `part ${c.part}`).toBeLessThan(0);
      expect(c.adjusted_p!).toBeLessThan(0.05);
    }
  });
});
