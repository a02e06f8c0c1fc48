/**
 * Plain-TypeScript expectations for the TAL, CAR, MGR, PED, UPB and PRE indicators, computed
 * from the raw rows of the canonical CSVs (never by SQL), and the shared checking loop of
 * their tests.
 */
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { runIndicators } from '../../../../src/indicators/run';
import type { IndicatorDef, IndicatorParams, IndicatorRow } from '../../../../src/indicators/types';
import { DEMO_DIR, demoAvailable, openDemo, type Demo, type PlainRow } from '../demo';

export interface Expected {
  numerator: number | null;
  denominator: number | null;
  value: number | null;
}
/** school null = municipality; dim undefined = the row without dimension. */
export type ExpectFn = (year: number, school: string | null, dim: string | null) => Expected | null;

export const share = (n: number, d: number): Expected => ({ numerator: n, denominator: d, value: d === 0 ? null : n / d });
export const count = (n: number): Expected => ({ numerator: null, denominator: null, value: n });

const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

export class Raw {
  constructor(readonly rows: Demo['rows']) {}

  // ---- staff ----
  activities(year: number, staffId: string, activity: string, level?: string): PlainRow[] {
    return this.rows.staff_activities.filter(
      (a) => a.year === year && str(a.staff_id) === staffId && a.activity === activity && (level === undefined || a.level === level),
    );
  }
  hasActivity(year: number, staffId: string, activity: string, level?: string): boolean {
    return this.activities(year, staffId, activity, level).length > 0;
  }
  staff(year: number, school: string | null, positions: readonly string[] | null): PlainRow[] {
    const seen = new Set<string>();
    return this.rows.staff.filter((s) => {
      if (s.year !== year || (positions && !positions.includes(String(s.position)))) return false;
      if (school !== null && str(s.school_id) !== school) return false;
      const id = String(s.staff_id);
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  }
  staffShare(year: number, school: string | null, positions: readonly string[] | null, num: (s: PlainRow) => boolean, den: (s: PlainRow) => boolean = () => true): Expected {
    const pop = this.staff(year, school, positions).filter(den);
    return share(pop.filter(num).length, pop.length);
  }

  // ---- graduates ----
  graduateShare(year: number, school: string | null, grade: number, num: (g: PlainRow) => boolean, dim?: { col: string; value: string | null }): Expected {
    const ids = new Set<string>();
    const hit = new Set<string>();
    for (const g of this.rows.graduates) {
      if (g.year !== year || g.grade !== grade || (school !== null && str(g.school_id) !== school)) continue;
      if (dim && dim.value !== null && str(g[dim.col]) !== dim.value) continue;
      ids.add(String(g.student_id));
      if (num(g)) hit.add(String(g.student_id));
    }
    return share(hit.size, ids.size);
  }

  // ---- achievements ----
  achievementStudents(year: number, school: string | null, kind: string, stage: string | null, pred: (a: PlainRow) => boolean = () => true): Set<string> {
    // Olympiads of TAL-03/04 are ВсОШ: rows named otherwise are not counted, unnamed ones are.
    const vsosh = (a: PlainRow) => kind !== 'олимпиада' || a.name === null || /всош|всероссийская олимпиада школьников/i.test(String(a.name));
    const out = new Set<string>();
    for (const a of this.rows.achievements)
      if (a.year === year && a.kind === kind && vsosh(a) && (stage === null || a.stage === stage) && (school === null || str(a.school_id) === school) && pred(a))
        out.add(String(a.student_id));
    return out;
  }

  // ---- monitoring (rule of src/indicators/sql.ts: schools' sum, else the municipality row) ----
  private mon(year: number, code: string) {
    return this.rows.monitoring.filter((m) => m.year === year && m.code === code && m.value !== null);
  }
  schoolValue(year: number, school: string, code: string): number | null {
    const rows = this.mon(year, code).filter((m) => str(m.school_id) === school);
    return rows.length ? rows.reduce((a, m) => a + Number(m.value), 0) : null;
  }
  municipalRow(year: number, code: string): number | null {
    const rows = this.mon(year, code).filter((m) => str(m.school_id) === null);
    return rows.length ? Number(rows[0].value) : null;
  }
  reportingSchools(year: number, codes: string[], only?: Set<string>): string[] {
    const sets = codes.map((c) => new Set(this.mon(year, c).map((m) => str(m.school_id)).filter((s): s is string => s !== null)));
    return [...sets[0]].filter((s) => sets.every((x) => x.has(s)) && (!only || only.has(s)));
  }
  monitoringSum(year: number, school: string | null, code: string, only?: Set<string>): number | null {
    if (school !== null) return only && !only.has(school) ? null : this.schoolValue(year, school, code);
    const schools = this.reportingSchools(year, [code], only);
    if (schools.length) return schools.reduce((a, s) => a + this.schoolValue(year, s, code)!, 0);
    return this.municipalRow(year, code);
  }
  monitoringRatio(year: number, school: string | null, num: string, den: string, only?: Set<string>): Expected | null {
    let n: number | null;
    let d: number | null;
    if (school !== null) {
      if (only && !only.has(school)) return null;
      n = this.schoolValue(year, school, num);
      d = this.schoolValue(year, school, den);
    } else {
      const schools = this.reportingSchools(year, [num, den], only);
      if (schools.length) {
        n = schools.reduce((a, s) => a + this.schoolValue(year, s, num)!, 0);
        d = schools.reduce((a, s) => a + this.schoolValue(year, s, den)!, 0);
      } else {
        n = this.municipalRow(year, num);
        d = this.municipalRow(year, den);
      }
    }
    if (n === null) return null;
    return { numerator: n, denominator: d, value: d !== null && d > 0 ? n / d : null };
  }
  /** Whether any school (not only the municipality) reports the code. */
  hasSchoolRows(code: string): boolean {
    return this.rows.monitoring.some((m) => m.code === code && m.value !== null && str(m.school_id) !== null);
  }
  doo(year: number): Set<string> {
    return new Set(this.rows.schools.filter((s) => s.year === year && s.school_type === 'ДОО').map((s) => String(s.school_id)));
  }
}

const close = (actual: number | null, expected: number | null, what: string) => {
  if (expected === null) expect(actual, what).toBeNull();
  else {
    expect(actual, what).not.toBeNull();
    expect(actual!, what).toBeCloseTo(expected, 9);
  }
};

/**
 * Every computed row of `id` equals the plain-TS expectation; and there is at least one
 * municipal row and one school row with a value (so the check cannot pass on an empty result).
 */
export function checkIndicator(rows: IndicatorRow[], id: string, expected: ExpectFn, opts: { schools?: boolean } = {}): void {
  const mine = rows.filter((r) => r.indicator_id === id);
  expect(
    mine.filter((r) => r.dimension === 'missing' || r.dimension === 'error'),
    `${id} reports no missing input or error`,
  ).toEqual([]);
  expect(mine.some((r) => r.school_id === null && r.value !== null), `${id}: a municipal value`).toBe(true);
  if (opts.schools ?? true) expect(mine.some((r) => r.school_id !== null && r.value !== null), `${id}: a school value`).toBe(true);
  for (const r of mine) {
    const what = `${id} ${r.year} ${r.school_id ?? 'муниципалитет'} ${r.dimension ?? ''}=${r.dimension_value ?? ''}`;
    const e = expected(r.year!, r.school_id, r.dimension_value);
    expect(e, `${what}: expected a row`).not.toBeNull();
    close(r.value, e!.value, `${what} value`);
    close(r.numerator, e!.numerator, `${what} numerator`);
    close(r.denominator, e!.denominator, `${what} denominator`);
  }
}

/** Ids emitted by a run, in order of first appearance. */
export const idsOf = (rows: IndicatorRow[]) => [...new Set(rows.map((r) => r.indicator_id))];

export const FIXTURE_DIR = resolve(__dirname, 'fixtures/h6');

/** The hand-made fixture always; the demo municipality when it has been generated. */
export function sources(): { name: string; dir: string }[] {
  return [{ name: 'fixture', dir: FIXTURE_DIR }, ...(demoAvailable() ? [{ name: 'demo', dir: DEMO_DIR }] : [])];
}

/** Runs `defs` on a source and returns the rows, the raw rows and the connector (closed by the caller). */
export async function runOn(dir: string, defs: IndicatorDef[], params: Partial<IndicatorParams> = {}) {
  const demo = await openDemo(dir);
  const rows = await runIndicators(demo.conn, { indicators: defs, params });
  return { demo, rows, raw: new Raw(demo.rows) };
}

/** The single row of `id` for the municipality (or a school), year and dimension value. */
export function valueOf(rows: IndicatorRow[], id: string, year: number, school: string | null, dim: string | null = null): IndicatorRow | undefined {
  return rows.find((r) => r.indicator_id === id && r.year === year && r.school_id === school && r.dimension_value === dim);
}
