/**
 * Measures the planted effects of the demo municipality on its canonical files, with plain SQL
 * and TypeScript (independent of src/indicators): `tsx datasets/gen/verify.ts [dir]`.
 * The figures quoted in datasets/README.md come from this script.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NodeConnector } from '../../src/db/node-connector';
import { CANONICAL_TABLE_NAMES, CONTRACT } from '../../src/model/contract';

export interface Measures {
  settlement: Array<{ settlement_type: string; rate: number; n: number }>;
  category: Array<{ category: string; rate: number; n: number }>;
  textbook: Array<{ textbook: string; rate: number; n: number }>;
  low01: Array<{ school_id: string; years: number[] }>;
  obj: Array<{ school_id: string; up: number; down: number; spearman: number | null; negGroups: number; groups: number; obj02: number; n: number }>;
  obj04: Array<{ school_id: string; subject: string; from: string; k: number; flag: 'drop' | 'rise' }>;
}

export async function loadCanonical(dir: string): Promise<NodeConnector> {
  const conn = await NodeConnector.open();
  for (const t of CANONICAL_TABLE_NAMES) {
    const cols = CONTRACT[t].columns.map((c) => `'${c.name}': '${c.type}'`).join(', ');
    const path = join(dir, `${t}.csv`).replaceAll("'", "''");
    await conn.query({ type: 'exec', sql: `CREATE TABLE ${t} AS SELECT * FROM read_csv('${path}', header = true, columns = {${cols}})` });
  }
  return conn;
}

const spearman = (xs: number[], ys: number[]): number | null => {
  const rank = (v: number[]) => {
    const idx = v.map((x, i) => [x, i]).sort((a, b) => a[0] - b[0]);
    const r = new Array(v.length).fill(0);
    for (let i = 0; i < idx.length; ) {
      let j = i;
      while (j + 1 < idx.length && idx[j + 1][0] === idx[i][0]) j++;
      for (let k = i; k <= j; k++) r[idx[k][1]] = (i + j) / 2 + 1;
      i = j + 1;
    }
    return r;
  };
  const a = rank(xs), b = rank(ys);
  const n = a.length;
  if (n < 3) return null;
  const ma = a.reduce((s, x) => s + x, 0) / n, mb = b.reduce((s, x) => s + x, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa && sbb ? sab / Math.sqrt(saa * sbb) : null;
};

const quantile = (sorted: number[], q: number) => {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
};

export async function measure(dir: string): Promise<Measures> {
  const conn = await loadCanonical(dir);
  const rows = <T>(sql: string) => conn.query({ type: 'rows', sql }) as Promise<T[]>;
  try {
    await conn.query({
      type: 'exec',
      sql: `CREATE TABLE r AS SELECT a.*, a.primary_score / m.mx AS pct,
              CASE WHEN t.min_test IS NOT NULL THEN a.test_score < t.min_test ELSE a.mark < 3 END AS below
            FROM assessment_results a
            JOIN (SELECT year, procedure, subject, grade, sum(max_score) AS mx FROM tasks GROUP BY ALL) m USING (year, procedure, subject, grade)
            JOIN thresholds t USING (year, procedure, subject, grade)`,
    });
    const rate = `sum(ts.score) / sum(tk.max_score)`;
    const tsJoin = `FROM task_scores ts JOIN tasks tk USING (year, procedure, subject, grade, task)
                    JOIN assessment_results a USING (year, procedure, subject, grade, school_id, student_id)`;
    const settlement = await rows<Measures['settlement'][number]>(
      `SELECT s.settlement_type, ${rate} AS rate, count(DISTINCT (a.year, a.procedure, a.subject, a.school_id, a.student_id)) AS n ${tsJoin}
       JOIN schools s ON s.year = a.year AND s.school_id = a.school_id WHERE a.procedure = 'ВПР' GROUP BY 1 ORDER BY rate DESC`,
    );
    const category = await rows<Measures['category'][number]>(
      `SELECT st.category, ${rate} AS rate, count(DISTINCT (a.year, a.procedure, a.subject, a.school_id, a.student_id)) AS n ${tsJoin}
       JOIN class_teaching ct ON ct.year = a.year AND ct.school_id = a.school_id AND ct.class = a.class AND ct.subject = a.subject
       JOIN staff st ON st.year = a.year AND st.staff_id = ct.teacher_id
       WHERE a.procedure IN ('ВПР', 'ОГЭ', 'ЕГЭ') GROUP BY 1 ORDER BY rate DESC`,
    );
    const textbook = await rows<Measures['textbook'][number]>(
      `SELECT ct.textbook, ${rate} AS rate, count(DISTINCT (a.year, a.school_id, a.student_id)) AS n ${tsJoin}
       JOIN class_teaching ct ON ct.year = a.year AND ct.school_id = a.school_id AND ct.class = a.class AND ct.subject = a.subject
       WHERE a.procedure = 'ВПР' AND a.subject = 'Математика' AND a.grade IN (5, 6) GROUP BY 1 ORDER BY rate DESC`,
    );

    // LOW-01 with the defaults: K = 2 last years, Q = 0.25, D = 1.
    const perSchool = await rows<{ school_id: string; year: number; share: number; mean: number }>(
      `SELECT school_id, year, avg(below::INT) AS share, avg(pct) AS mean FROM r GROUP BY ALL ORDER BY year, school_id`,
    );
    const years = [...new Set(perSchool.map((p) => p.year))].sort().slice(-2);
    const flagged = new Map<string, number[]>();
    for (const y of years) {
      const list = perSchool.filter((p) => p.year === y);
      const shares = list.map((p) => p.share).sort((a, b) => a - b);
      const q75 = quantile(shares, 0.75);
      const means = list.map((p) => p.mean);
      const m = means.reduce((a, b) => a + b, 0) / means.length;
      const sd = Math.sqrt(means.reduce((a, b) => a + (b - m) ** 2, 0) / (means.length - 1));
      for (const p of list) if (p.share >= q75 || p.mean < m - sd) flagged.set(p.school_id, [...(flagged.get(p.school_id) ?? []), y]);
    }
    const low01 = [...flagged].filter(([, ys]) => ys.length === years.length).map(([school_id, ys]) => ({ school_id, years: ys }));

    // OBJ-01/02/03 on ВПР, pooled over years, subjects and grades per school.
    const vpr = await rows<{ school_id: string; year: number; subject: string; grade: number; pct: number; primary_score: number; mark: number; journal_mark: number | null }>(
      `SELECT school_id, year, subject, grade, pct, primary_score, mark, journal_mark FROM r WHERE procedure = 'ВПР'`,
    );
    const bySchool = new Map<string, typeof vpr>();
    for (const v of vpr) bySchool.set(v.school_id, [...(bySchool.get(v.school_id) ?? []), v]);
    // OBJ-02 per (year, subject, grade): school lower bound above the municipal upper bound.
    const ci = (xs: number[]) => {
      const n = xs.length, m = xs.reduce((a, b) => a + b, 0) / n;
      const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, n - 1));
      return { m, lo: m - (1.96 * sd) / Math.sqrt(n), hi: m + (1.96 * sd) / Math.sqrt(n), n };
    };
    const groups = new Map<string, typeof vpr>();
    for (const v of vpr) groups.set(`${v.year}|${v.subject}|${v.grade}`, [...(groups.get(`${v.year}|${v.subject}|${v.grade}`) ?? []), v]);
    const obj02 = new Map<string, number>();
    for (const list of groups.values()) {
      const muni = ci(list.map((v) => v.pct));
      const schools = new Set(list.map((v) => v.school_id));
      for (const s of schools) {
        const c = ci(list.filter((v) => v.school_id === s).map((v) => v.pct));
        if (c.n >= 3 && c.lo > muni.hi) obj02.set(s, (obj02.get(s) ?? 0) + 1);
      }
    }
    const obj: Measures['obj'] = [];
    for (const [school_id, list] of [...bySchool].sort()) {
      const withJ = list.filter((v) => v.journal_mark !== null);
      // Spearman per (year, subject, grade) group with at least 5 pupils.
      const perGroup = new Map<string, typeof withJ>();
      for (const v of withJ) perGroup.set(`${v.year}|${v.subject}|${v.grade}`, [...(perGroup.get(`${v.year}|${v.subject}|${v.grade}`) ?? []), v]);
      const rhos = [...perGroup.values()].filter((g) => g.length >= 5).map((g) => spearman(g.map((v) => v.journal_mark!), g.map((v) => v.primary_score)));
      obj.push({
        negGroups: rhos.filter((r) => r !== null && r < 0).length,
        groups: rhos.length,
        school_id,
        up: withJ.filter((v) => v.mark > v.journal_mark!).length / withJ.length,
        down: withJ.filter((v) => v.mark < v.journal_mark!).length / withJ.length,
        spearman: spearman(withJ.map((v) => v.journal_mark!), withJ.map((v) => v.primary_score)),
        obj02: obj02.get(school_id) ?? 0,
        n: list.length,
      });
    }

    // OBJ-04: K = S(N, Y) / S(N+1, Y+1) per school and subject; fences over the schools.
    const s = await rows<{ school_id: string; subject: string; grade: number; year: number; m: number }>(
      `SELECT school_id, subject, grade, year, avg(pct) AS m FROM r WHERE procedure = 'ВПР' GROUP BY ALL`,
    );
    const sIdx = new Map(s.map((x) => [`${x.school_id}|${x.subject}|${x.grade}|${x.year}`, x.m]));
    const obj04: Measures['obj04'] = [];
    const pairs = new Map<string, Array<{ school_id: string; k: number }>>();
    for (const x of s) {
      const next = sIdx.get(`${x.school_id}|${x.subject}|${x.grade + 1}|${x.year + 1}`);
      if (next === undefined) continue;
      const key = `${x.subject}|${x.grade}|${x.year}`;
      pairs.set(key, [...(pairs.get(key) ?? []), { school_id: x.school_id, k: x.m / next }]);
    }
    for (const [key, list] of pairs) {
      const ks = list.map((p) => p.k).sort((a, b) => a - b);
      const q1 = quantile(ks, 0.25), q3 = quantile(ks, 0.75), iqr = q3 - q1;
      for (const p of list) {
        const [subject, grade, year] = key.split('|');
        if (p.k > q3 + 3 * iqr) obj04.push({ school_id: p.school_id, subject, from: `${grade} класс ${year}`, k: p.k, flag: 'drop' });
        if (p.k < q1 - 3 * iqr) obj04.push({ school_id: p.school_id, subject, from: `${grade} класс ${year}`, k: p.k, flag: 'rise' });
      }
    }
    return { settlement, category, textbook, low01, obj, obj04 };
  } finally {
    await conn.close();
  }
}

const isMain = process.argv[1] && resolve(process.argv[1]).endsWith('verify.ts');
if (isMain) {
  const dir = resolve(process.argv[2] ?? 'datasets/demo/canonical');
  const m = await measure(dir);
  const pct = (x: number) => (100 * x).toFixed(1) + '%';
  console.log('settlement (ВПР solution rate):', m.settlement.map((x) => `${x.settlement_type} ${pct(x.rate)} (n=${x.n})`).join('; '));
  console.log('category (ВПР/ОГЭ/ЕГЭ solution rate):', m.category.map((x) => `${x.category} ${pct(x.rate)} (n=${x.n})`).join('; '));
  console.log('textbook (ВПР math 5–6):', m.textbook.map((x) => `${x.textbook} ${pct(x.rate)} (n=${x.n})`).join('; '));
  console.log('LOW-01 flagged:', JSON.stringify(m.low01));
  console.log('OBJ (ВПР): school up down spearman(pooled) negative-spearman-groups/groups obj02-groups n');
  for (const o of m.obj) console.log(`  ${o.school_id} ${pct(o.up)} ${pct(o.down)} ${o.spearman?.toFixed(2)} ${o.negGroups}/${o.groups} ${o.obj02} ${o.n}`);
  console.log('OBJ-04:', JSON.stringify(m.obj04));
  void readFileSync;
}
