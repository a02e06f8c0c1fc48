/**
 * Plain-TypeScript views of the demo rows for the PREP/GIA/LOW/OBJ expectations: the formulas of
 * ../shared/indicators.md written again over JS arrays, independently of src/indicators/sql.ts.
 */
import { expect } from 'vitest';
import type { IndicatorRow } from '../../../src/indicators/types';
import type { Demo, PlainRow } from './demo';

export interface Result {
  year: number;
  procedure: string;
  subject: string;
  grade: number;
  school_id: string | null;
  class: string | null;
  student_id: string;
  primary_score: number | null;
  test_score: number | null;
  mark: number | null;
  journal_mark: number | null;
  retake: boolean;
  min_test: number | null;
  high_from: number | null;
  mark3_from: number | null;
  mark4_from: number | null;
  mark5_from: number | null;
  score: number | null;
  passed: boolean | null;
  top: boolean | null;
}

const n = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const s = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export class RawResults {
  readonly all: Result[];
  /** Retakes excluded (the default of every indicator). */
  readonly main: Result[];
  readonly maxPrimary = new Map<string, number>();

  constructor(readonly demo: Demo) {
    const thr = demo.rows.thresholds;
    const find = (r: PlainRow) =>
      thr.find((t) => t.year === r.year && t.procedure === r.procedure && t.subject === r.subject && t.grade === r.grade) ??
      thr.find((t) => t.year === r.year && t.procedure === r.procedure && t.subject === r.subject && t.grade === null);
    this.all = demo.rows.assessment_results.map((r) => {
      const t = find(r);
      const test = n(r.test_score);
      const mark = n(r.mark);
      const ege = r.procedure === 'ЕГЭ' && test !== null;
      const minTest = n(t?.min_test);
      return {
        year: Number(r.year),
        procedure: String(r.procedure),
        subject: String(r.subject),
        grade: Number(r.grade),
        school_id: s(r.school_id),
        class: s(r.class),
        student_id: String(r.student_id),
        primary_score: n(r.primary_score),
        test_score: test,
        mark,
        journal_mark: n(r.journal_mark),
        retake: r.retake === true,
        min_test: minTest,
        high_from: n(t?.high_from),
        mark3_from: n(t?.mark3_from),
        mark4_from: n(t?.mark4_from),
        mark5_from: n(t?.mark5_from),
        score: ege ? test : n(r.primary_score),
        passed: ege ? (minTest === null ? null : test! >= minTest) : mark !== null && r.procedure !== 'PISA' ? mark >= 3 : null,
        top: ege ? test! >= (n(t?.high_from) ?? 81) : mark !== null ? mark === 5 : null,
      };
    });
    this.main = this.all.filter((r) => !r.retake);
    const taskMax = new Map<string, number>();
    for (const t of demo.rows.tasks) {
      const k = `${t.year}|${t.procedure}|${t.subject}|${t.grade}`;
      taskMax.set(k, (taskMax.get(k) ?? 0) + Number(t.max_score));
    }
    for (const r of this.all) {
      const k = `${r.year}|${r.procedure}|${r.subject}|${r.grade}`;
      if (!this.maxPrimary.has(k)) this.maxPrimary.set(k, taskMax.get(k) ?? -Infinity);
      if (!taskMax.has(k) && r.primary_score !== null) this.maxPrimary.set(k, Math.max(this.maxPrimary.get(k)!, r.primary_score));
    }
  }

  work(w: Work, school?: string | null): Result[] {
    return this.main.filter(
      (r) => r.year === w.year && r.procedure === w.procedure && r.subject === w.subject && r.grade === w.grade && (school == null || r.school_id === school),
    );
  }

  pct(r: Result): number | null {
    const m = this.maxPrimary.get(`${r.year}|${r.procedure}|${r.subject}|${r.grade}`);
    return r.primary_score === null || !m ? null : r.primary_score / m;
  }
}

export interface Work {
  year: number;
  procedure: string;
  subject: string;
  grade: number;
}

/** Works of the demo municipality the direction tests check. */
export const Y = 2024;
export const VPR: Work = { year: Y, procedure: 'ВПР', subject: 'Математика', grade: 5 };
export const EGE_RU: Work = { year: Y, procedure: 'ЕГЭ', subject: 'Русский язык', grade: 11 };
export const OGE_MATH: Work = { year: Y, procedure: 'ОГЭ', subject: 'Математика', grade: 9 };

export const ratio = (num: number, den: number) => ({ numerator: num, denominator: den, value: den ? num / den : null });

/** Asserts that exactly one indicator row matches and that its numbers equal the expectation. */
export function expectRow(
  rows: IndicatorRow[],
  match: Partial<IndicatorRow>,
  expected: { numerator?: number | null; denominator?: number | null; value: number | null },
  digits = 9,
): IndicatorRow {
  const hits = rows.filter((r) => Object.entries(match).every(([k, v]) => v === undefined || r[k as keyof IndicatorRow] === v));
  expect(hits, JSON.stringify(match)).toHaveLength(1);
  const row = hits[0];
  const close = (a: number | null, b: number | null | undefined, label: string) => {
    if (b === undefined) return;
    if (b === null) expect(a, label).toBeNull();
    else expect(a, label).toBeCloseTo(b, digits);
  };
  close(row.numerator, expected.numerator, `${JSON.stringify(match)} numerator`);
  close(row.denominator, expected.denominator, `${JSON.stringify(match)} denominator`);
  close(row.value, expected.value, `${JSON.stringify(match)} value`);
  return row;
}

export const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Sample variance (n − 1). */
export const varianceOf = (xs: number[]) => {
  const m = meanOf(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
};
/** Spearman's ρ: Pearson's r of the average ranks. */
export const rankCorr = (x: number[], y: number[]) => {
  const rank = (v: number[]) => v.map((a) => v.filter((b) => b < a).length + (v.filter((b) => b === a).length + 1) / 2);
  const rx = rank(x);
  const ry = rank(y);
  const mx = meanOf(rx);
  const my = meanOf(ry);
  const cov = rx.reduce((a, _, i) => a + (rx[i] - mx) * (ry[i] - my), 0);
  return cov / Math.sqrt(rx.reduce((a, v) => a + (v - mx) ** 2, 0) * ry.reduce((a, v) => a + (v - my) ** 2, 0));
};
export const isNum = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Most populous school of a work (a school with data for a per-school check). */
export function bigSchool(rows: Result[]): string {
  const counts = new Map<string, number>();
  for (const r of rows) if (r.school_id) counts.set(r.school_id, (counts.get(r.school_id) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
}
