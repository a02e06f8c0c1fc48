import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import jStat from 'jstat';
import { runIndicators } from '../../../../src/indicators/run';
import type { IndicatorRow } from '../../../../src/indicators/types';
import { demoAvailable, openDemo, readPlanted, type Demo } from '../demo';
import { factorAnalysis } from '../../../../src/indicators/analysis/factors';
import { DEFAULT_PARAMS } from '../../../../src/indicators/types';
import { Y, VPR, EGE_RU, OGE_MATH, rankCorr, varianceOf, RawResults, bigSchool, expectRow, meanOf, ratio, type Result, type Work } from '../raw';


let demo: Demo;
let raw: RawResults;
let rows: IndicatorRow[];

beforeAll(async () => {
  demo = await openDemo();
  raw = new RawResults(demo);
  rows = await runIndicators(demo.conn, { ids: ['GIA-01', 'GIA-02', 'GIA-03', 'GIA-04', 'GIA-05', 'GIA-06', 'GIA-07', 'GIA-08'] });
}, 300_000);
afterAll(() => demo?.conn.close());

const of = (id: string) => rows.filter((r) => r.indicator_id === id);

describe.skipIf(!demoAvailable())('GIA on the demo municipality', () => {
  test('GIA-01: mean score, t interval, Welch p against the rest, rank among reliable schools, school types', () => {
    for (const w of [EGE_RU, VPR]) {
      const list = raw.work(w).filter((r) => r.score !== null);
      const school = bigSchool(list);
      const mine = list.filter((r) => r.school_id === school).map((r) => r.score!);
      const rest = list.filter((r) => r.school_id !== school).map((r) => r.score!);
      expectRow(of('GIA-01'), { ...w, school_id: null, dimension: null }, { numerator: null, denominator: list.length, value: meanOf(list.map((r) => r.score!)) });
      expectRow(of('GIA-01'), { ...w, school_id: school, dimension: null }, { numerator: null, denominator: mine.length, value: meanOf(mine) });
      const half = (jStat.studentt.inv(0.975, mine.length - 1) * Math.sqrt(varianceOf(mine))) / Math.sqrt(mine.length);
      expectRow(of('GIA-01'), { ...w, school_id: school, dimension: 'ci_low' }, { value: meanOf(mine) - half }, 6);
      expectRow(of('GIA-01'), { ...w, school_id: school, dimension: 'ci_high' }, { value: meanOf(mine) + half }, 6);
      const va = varianceOf(mine) / mine.length;
      const vb = varianceOf(rest) / rest.length;
      const t = (meanOf(mine) - meanOf(rest)) / Math.sqrt(va + vb);
      const df = (va + vb) ** 2 / (va ** 2 / (mine.length - 1) + vb ** 2 / (rest.length - 1));
      expectRow(of('GIA-01'), { ...w, school_id: school, dimension: 'welch_p' }, { value: 2 * (1 - jStat.studentt.cdf(Math.abs(t), df)) }, 6);
      const means = [...new Set(list.map((r) => r.school_id!))]
        .map((s) => ({ s, xs: list.filter((r) => r.school_id === s).map((r) => r.score!) }))
        .filter((x) => x.xs.length >= 10)
        .map((x) => ({ s: x.s, m: meanOf(x.xs) }));
      // Competition ranking: one plus the number of reliable schools with a higher mean.
      const me = means.find((x) => x.s === school);
      const rank = me ? 1 + means.filter((x) => x.m > me.m + 1e-9).length : 0;
      expectRow(of('GIA-01'), { ...w, school_id: school, dimension: 'rank' }, { value: rank || null });
    }
    const types = new Map(demo.rows.schools.filter((s) => s.year === Y).map((s) => [String(s.school_id), String(s.school_type)]));
    const list = raw.work(VPR);
    const type = types.get(bigSchool(list))!;
    const ofType = list.filter((r) => types.get(r.school_id!) === type && r.score !== null).map((r) => r.score!);
    expectRow(of('GIA-01'), { ...VPR, school_id: null, dimension: 'school_type', dimension_value: type }, { denominator: ofType.length, value: meanOf(ofType) });
  });

  test('GIA-02: distribution by mark (ВПР) and by band (ЕГЭ)', () => {
    const list = raw.work(VPR).filter((r) => r.mark !== null);
    for (const school of [null, bigSchool(list)]) {
      const l = school ? list.filter((r) => r.school_id === school) : list;
      for (const m of [2, 3, 4, 5]) expectRow(of('GIA-02'), { ...VPR, school_id: school, dimension: 'mark', dimension_value: String(m) }, ratio(l.filter((r) => r.mark === m).length, l.length));
    }
    const ege = raw.work(EGE_RU).filter((r) => r.test_score !== null);
    const band = (r: Result) => (r.test_score! < r.min_test! ? '< мин.' : r.test_score! < 61 ? 'мин.–60' : r.test_score! < (r.high_from ?? 81) ? '61–80' : r.test_score! < 100 ? '81–99' : '100');
    for (const school of [null, bigSchool(ege)]) {
      const l = school ? ege.filter((r) => r.school_id === school) : ege;
      for (const b of ['< мин.', 'мин.–60', '61–80', '81–99', '100'])
        expectRow(of('GIA-02'), { ...EGE_RU, school_id: school, dimension: 'band', dimension_value: b }, ratio(l.filter((r) => band(r) === b).length, l.length));
    }
  });

  test('GIA-03: below the minimum at ЕГЭ and ОГЭ, retakes excluded', () => {
    for (const w of [EGE_RU, OGE_MATH]) {
      const list = raw.work(w).filter((r) => r.passed !== null);
      for (const school of [null, bigSchool(list)]) {
        const l = school ? list.filter((r) => r.school_id === school) : list;
        expectRow(of('GIA-03'), { ...w, school_id: school }, ratio(l.filter((r) => !r.passed).length, l.length));
      }
    }
    expect(of('GIA-03').every((r) => r.procedure === 'ЕГЭ' || r.procedure === 'ОГЭ')).toBe(true);
  });

  test('GIA-04: high scorers per subject and pooled; municipal olympiad winners; their correlation across schools', () => {
    const high = (r: Result) => r.test_score! >= (r.high_from ?? 81);
    const list = raw.work(EGE_RU).filter((r) => r.test_score !== null);
    const school = bigSchool(list);
    for (const s of [null, school]) {
      const l = s ? list.filter((r) => r.school_id === s) : list;
      expectRow(of('GIA-04'), { ...EGE_RU, school_id: s, dimension: null }, ratio(l.filter(high).length, l.length));
    }
    const ege = raw.main.filter((r) => r.year === Y && r.procedure === 'ЕГЭ' && r.test_score !== null);
    const pooled = (s: string | null) => {
      const l = s ? ege.filter((r) => r.school_id === s) : ege;
      return ratio(new Set(l.filter(high).map((r) => r.student_id)).size, new Set(l.map((r) => r.student_id)).size);
    };
    expectRow(of('GIA-04'), { year: Y, procedure: 'ЕГЭ', school_id: null, dimension: 'pooled' }, pooled(null));
    expectRow(of('GIA-04'), { year: Y, procedure: 'ЕГЭ', school_id: school, dimension: 'pooled' }, pooled(school));
    const ach = demo.rows.achievements.filter((a) => a.year === Y && a.kind === 'олимпиада' && a.stage === 'муниципальный');
    const olymp = (s: string | null) => {
      const l = s ? ach.filter((a) => a.school_id === s) : ach;
      return ratio(new Set(l.filter((a) => a.status === 'победитель' || a.status === 'призёр').map((a) => a.student_id)).size, new Set(l.map((a) => a.student_id)).size);
    };
    expectRow(of('GIA-04'), { year: Y, school_id: null, dimension: 'olympiad_municipal' }, olymp(null));
    const os = String(ach[0].school_id);
    expectRow(of('GIA-04'), { year: Y, school_id: os, dimension: 'olympiad_municipal' }, olymp(os));
    const schools = [...new Set(ege.map((r) => r.school_id!))].filter((s) => ach.some((a) => a.school_id === s)).sort();
    const rho = rankCorr(schools.map((s) => pooled(s).value!), schools.map((s) => olymp(s).value!));
    expectRow(of('GIA-04'), { year: Y, dimension: 'spearman_schools' }, { denominator: schools.length, value: rho });
  });

  test('GIA-05: elective exam participants / graduates of the grade', () => {
    const subject = 'Обществознание';
    for (const [procedure, grade] of [['ОГЭ', 9], ['ЕГЭ', 11]] as const) {
      const part = raw.main.filter((r) => r.year === Y && r.procedure === procedure && r.grade === grade && r.subject === subject);
      const grads = demo.rows.graduates.filter((g) => g.year === Y && g.grade === grade);
      const school = bigSchool(part);
      expectRow(of('GIA-05'), { year: Y, procedure, subject, grade, school_id: null }, ratio(new Set(part.map((r) => r.student_id)).size, grads.length));
      expectRow(
        of('GIA-05'),
        { year: Y, procedure, subject, grade, school_id: school },
        ratio(new Set(part.filter((r) => r.school_id === school).map((r) => r.student_id)).size, grads.filter((g) => g.school_id === school).length),
      );
    }
    expect(of('GIA-05').some((r) => r.subject === 'Русский язык')).toBe(false);
  });

  test('GIA-06: solution rate per task and per section', () => {
    const spec = new Map(demo.rows.tasks.filter((t) => t.year === Y && t.procedure === VPR.procedure && t.subject === VPR.subject && t.grade === VPR.grade).map((t) => [String(t.task), t]));
    // A participant is (work, school, code): ФИС ОКО codes restart in every school.
    const res = new Map(raw.work(VPR).map((r) => [`${r.school_id}|${r.student_id}`, r]));
    const ts = demo.rows.task_scores.filter(
      (t) => t.year === Y && t.procedure === VPR.procedure && t.subject === VPR.subject && t.grade === VPR.grade && res.has(`${t.school_id}|${t.student_id}`),
    );
    const school = bigSchool(raw.work(VPR));
    const task = '1';
    const section = String(spec.get(task)!.section);
    for (const s of [null, school]) {
      const l = s ? ts.filter((t) => String(t.school_id) === s) : ts;
      const agg = (f: (t: (typeof ts)[number]) => boolean) => {
        const x = l.filter(f);
        return ratio(x.reduce((a, t) => a + Number(t.score), 0), x.reduce((a, t) => a + Number(spec.get(String(t.task))!.max_score), 0));
      };
      expectRow(of('GIA-06'), { ...VPR, school_id: s, dimension: 'task', dimension_value: task }, agg((t) => String(t.task) === task));
      expectRow(of('GIA-06'), { ...VPR, school_id: s, dimension: 'section', dimension_value: section }, agg((t) => spec.get(String(t.task))!.section === section));
    }
  });

  test('GIA-07: part solution rate by textbook with ANOVA; planted textbook and settlement effects are significant', async () => {
    const planted = readPlanted() as unknown as { textbook: { subject: string; procedure: string; grades: number[]; textbook: string } } | null;
    const w: Work = { year: Y, procedure: 'ВПР', subject: 'Математика', grade: planted?.textbook.grades[0] ?? 5 };
    const spec = new Map(demo.rows.tasks.filter((t) => t.year === Y && t.procedure === w.procedure && t.subject === w.subject && t.grade === w.grade).map((t) => [String(t.task), t]));
    const ct = demo.rows.class_teaching.filter((c) => c.year === Y);
    const textbookOf = (r: Result) => ct.find((c) => c.school_id === r.school_id && c.class === r.class && c.subject === r.subject)?.textbook ?? null;
    const part = '1';
    const rates = new Map<string, { s: number; m: number }>();
    for (const t of demo.rows.task_scores) {
      if (t.year !== Y || t.procedure !== w.procedure || t.subject !== w.subject || t.grade !== w.grade) continue;
      const sp = spec.get(String(t.task));
      if (!sp || String(sp.part) !== part) continue;
      // A participant is (work, school, code): ФИС ОКО codes restart in every school.
      const key = `${t.school_id}|${t.student_id}`;
      const cur = rates.get(key) ?? { s: 0, m: 0 };
      rates.set(key, { s: cur.s + Number(t.score), m: cur.m + Number(sp.max_score) });
    }
    const groups = new Map<string, number[]>();
    for (const r of raw.work(w)) {
      const tb = textbookOf(r);
      const rate = rates.get(`${r.school_id}|${r.student_id}`);
      if (tb === null || !rate || !rate.m) continue;
      groups.set(String(tb), [...(groups.get(String(tb)) ?? []), rate.s / rate.m]);
    }
    for (const [tb, xs] of groups) expectRow(of('GIA-07'), { ...w, school_id: null, dimension: 'part|textbook', dimension_value: `${part}|${tb}` }, { numerator: null, denominator: xs.length, value: meanOf(xs) });
    const all = [...groups.values()].flat();
    const grand = meanOf(all);
    const ssb = [...groups.values()].reduce((a, g) => a + g.length * (meanOf(g) - grand) ** 2, 0);
    const ssw = [...groups.values()].reduce((a, g) => a + g.reduce((b, x) => b + (x - meanOf(g)) ** 2, 0), 0);
    const k = groups.size;
    const F = ssb / (k - 1) / (ssw / (all.length - k));
    const p = 1 - jStat.centralF.cdf(F, k - 1, all.length - k);
    expectRow(of('GIA-07'), { ...w, school_id: null, dimension: 'p_value|textbook', dimension_value: `part ${part}` }, { value: p }, 6);
    if (planted) {
      // The planted textbook: pooled over the planted grades and the three years, its classes solve
      // both KIM parts significantly worse (ANOVA), and it is the weakest textbook.
      const ctx = { conn: demo.conn, params: DEFAULT_PARAMS, tables: await demo.conn.listTables() };
      const fa = await factorAnalysis(ctx, { procedure: planted.textbook.procedure, subject: planted.textbook.subject }, { pool: true, grades: planted.textbook.grades });
      const tests = fa.tests.filter((t) => t.factor === 'textbook' && t.measure === 'part');
      expect(tests.length).toBeGreaterThan(0);
      for (const t of tests) expect(t.p, `part ${t.part}`).toBeLessThan(0.05);
      const byPart = fa.groups.filter((g) => g.factor === 'textbook' && g.measure === 'part' && g.part === '1');
      const weakest = [...byPart].sort((a, b) => (a.value ?? 0) - (b.value ?? 0))[0];
      expect(weakest.group).toBe(planted.textbook.textbook);
    }
    // Planted settlement gap: the mean-score difference by settlement type is significant in most works.
    const settlementP = of('GIA-07').filter((r) => r.dimension === 'p_value|settlement_type' && r.dimension_value === 'score' && r.value !== null);
    expect(settlementP.length).toBeGreaterThan(5);
    expect(settlementP.filter((r) => r.value! < 0.05).length / settlementP.length).toBeGreaterThan(0.5);
    // Groups come with n, and the share below the minimum has numerator/denominator.
    expect(of('GIA-07').some((r) => r.dimension === 'below_min|category' && r.numerator !== null)).toBe(true);
  });

  test('GIA-01 clusters: every school with enough participants in one cluster, cluster 1 strongest, planted ШНОР in the weakest', () => {
    const cl = of('GIA-01').filter((r) => r.year === Y && r.dimension === 'cluster');
    const counts = new Map<string, number>();
    for (const r of raw.main.filter((r) => r.year === Y && r.school_id)) counts.set(r.school_id!, (counts.get(r.school_id!) ?? 0) + 1);
    expect(cl.map((r) => r.school_id).sort()).toEqual([...counts].filter(([, n]) => n >= 10).map(([s]) => s).sort());
    const k = Math.max(...cl.map((r) => r.value!));
    expect(k).toBe(4);
    const pct = (school: string) => meanOf(raw.main.filter((r) => r.year === Y && r.school_id === school && raw.pct(r) !== null).map((r) => raw.pct(r)!));
    const clusterMean = (c: number) => meanOf(cl.filter((r) => r.value === c).map((r) => pct(r.school_id!)));
    for (let c = 1; c < k; c++) expect(clusterMean(c)).toBeGreaterThan(clusterMean(c + 1));
    const planted = readPlanted() as unknown as { low_results_schools: { schools: string[] } } | null;
    if (planted) for (const s of planted.low_results_schools.schools) expect(cl.find((r) => r.school_id === s)?.value, s).toBe(k);
    const profile = of('GIA-01').filter((r) => r.year === Y && r.dimension === 'cluster_profile|mean_pct');
    expect(profile.reduce((a, r) => a + r.denominator!, 0)).toBe(cl.length);
  });

  test('GIA-08: change from the previous year', () => {
    const cur = raw.work(VPR).filter((r) => r.passed !== null);
    const prev = raw.work({ ...VPR, year: Y - 1 }).filter((r) => r.passed !== null);
    const share = (l: Result[]) => l.filter((r) => !r.passed).length / l.length;
    expectRow(of('GIA-08'), { ...VPR, school_id: null, dimension: 'PREP-14', dimension_value: null }, { numerator: share(prev), denominator: share(cur), value: share(cur) - share(prev) });
  });

  test('GIA-08 changes measures only: no change of an interval, p-value, rank or cluster label', () => {
    const statistics = ['ci_low', 'ci_high', 'welch_p', 'p_value', 'spearman_p', 'rank', 'cluster', 'cluster_profile'];
    const heads = of('GIA-08').map((r) => String(r.dimension).split('|')[1] ?? '');
    expect(heads.filter((h) => statistics.includes(h))).toEqual([]);
    // The school means of GIA-01 (a measure) keep their changes.
    const school = bigSchool(raw.work(VPR));
    const mean = (year: number) => meanOf(raw.work({ ...VPR, year }).filter((r) => r.school_id === school && r.score !== null).map((r) => r.score!));
    expectRow(of('GIA-08'), { ...VPR, school_id: school, dimension: 'GIA-01', dimension_value: null }, { numerator: mean(Y - 1), denominator: mean(Y), value: mean(Y) - mean(Y - 1) });
  });
});
