/**
 * Dependent parameters of the templates: each option list is one read-only SELECT over the data,
 * filtered by the parameters before it, so only existing combinations are offered. Checked on the
 * demo municipality against plain TypeScript over the raw assessment rows.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runIndicators } from '../../../src/indicators/run';
import { analyzeParam } from '../../../src/notebook/analyze';
import { parseNotebook } from '../../../src/notebook/format';
import { NotebookRuntime } from '../../../src/notebook/runtime';
import { optionsQuery } from '../../../src/notebook/sql-guard';
import { demoAvailable, openDemo, type Demo } from './demo';

const NOTEBOOKS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../notebooks');
const TEMPLATES = ['prep', 'gia', 'low', 'obj', 'tal', 'car', 'mgr', 'ped', 'upb', 'pre', 'annual-report'];
const template = (name: string) => parseNotebook(readFileSync(join(NOTEBOOKS, `${name}.md`), 'utf8'));

test.each(TEMPLATES)('%s.md: every option list is one SELECT and, after the year, reads the year', (name) => {
  const params = template(name).frontMatter.parameters ?? [];
  const withSql = params.filter((p) => p.options_sql);
  expect(withSql[0]?.name).toBe('year');
  for (const p of withSql) {
    expect(() => optionsQuery(p.options_sql!, p.name), p.name).not.toThrow();
    if (p.name !== 'year') expect(analyzeParam(p).params, `${name}: ${p.name}`).toContain('year');
  }
  // Where the school's rows are per work (GIA, PREP), the school lists the schools of the chosen work;
  // LOW's risk profile and OBJ's flags are per school and year.
  const school = params.find((p) => p.name === 'school');
  if (name === 'gia' || name === 'prep') for (const w of ['procedure', 'subject', 'grade']) expect(analyzeParam(school!).params, `${name}: school`).toContain(w);
});

const distinct = <T,>(xs: T[]) => [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

describe.skipIf(!demoAvailable())('options on the demo municipality', () => {
  let demo: Demo;
  beforeAll(async () => {
    demo = await openDemo();
    await runIndicators(demo.conn);
  }, 600_000);
  afterAll(async () => demo?.conn.close());

  const raw = () =>
    demo.rows.assessment_results.map((r) => ({ year: Number(r.year), procedure: String(r.procedure), subject: String(r.subject), grade: Number(r.grade), school: String(r.school_id) }));
  const options = (rt: NotebookRuntime, name: string) => (rt.states.get(`param:${name}`)!.result as { options: unknown[] }).options;
  const value = (rt: NotebookRuntime, name: string) => (rt.states.get(`param:${name}`)!.result as { value: unknown }).value;
  /** The template's parameters alone (no cells): what the parameter bar offers. */
  const bar = async (name: string) => {
    const rt = new NotebookRuntime(demo.conn, { ...template(name), cells: [] });
    await rt.runAll();
    for (const [id, s] of rt.states) expect(s.status, `${name} ${id}: ${s.error}`).toBe('done');
    return rt;
  };

  test.each(['gia', 'prep'])('%s.md: procedure → subject → grade → school offer only combinations with rows', { timeout: 120_000 }, async (name) => {
    const rt = await bar(name);
    const year = Number(value(rt, 'year'));
    expect(year).toBe(Math.max(...raw().map((r) => r.year)));
    const ofYear = raw().filter((r) => r.year === year);
    expect(options(rt, 'procedure')).toEqual(distinct(ofYear.map((r) => r.procedure)));

    await rt.setParam('procedure', 'ОГЭ');
    const oge = ofYear.filter((r) => r.procedure === 'ОГЭ');
    expect(options(rt, 'subject')).toEqual(distinct(oge.map((r) => r.subject)));
    expect(options(rt, 'subject')).not.toContain('Биология');
    // ОГЭ is written in grade 9 only: grade 5 (the default) is not offered, the first option is taken.
    expect(options(rt, 'grade')).toEqual([9]);
    expect(value(rt, 'grade')).toBe(9);
    const subject = String(value(rt, 'subject'));
    const work = oge.filter((r) => r.subject === subject && r.grade === 9);
    expect(options(rt, 'school')).toEqual(['все', ...distinct(work.map((r) => r.school))]);

    await rt.setParam('procedure', 'ВПР');
    await rt.setParam('subject', 'Математика');
    const vpr = ofYear.filter((r) => r.procedure === 'ВПР' && r.subject === 'Математика');
    expect(options(rt, 'grade')).toEqual(distinct(vpr.map((r) => r.grade)));
    await rt.setParam('grade', 5);
    const schools5 = distinct(vpr.filter((r) => r.grade === 5).map((r) => r.school));
    const schoolsAll = distinct(ofYear.map((r) => r.school));
    expect(schools5.length).toBeLessThan(schoolsAll.length);
    expect(options(rt, 'school')).toEqual(['все', ...schools5]);
  });

  test('low.md and the direction templates: the procedure and school lists follow the year', { timeout: 120_000 }, async () => {
    const rt = await bar('low');
    const year = Number(value(rt, 'year'));
    const procs = options(rt, 'procedure') as string[];
    expect(procs.length).toBeGreaterThan(0);
    for (const p of procs) expect(distinct(raw().filter((r) => r.year === year).map((r) => r.procedure))).toContain(p);
    for (const name of ['tal', 'pre']) {
      const t = await bar(name);
      const schools = (options(t, 'school') as string[]).slice(1);
      expect(schools.length, name).toBeGreaterThan(0);
      // Every school offered exists in that year's school register.
      const register = new Set(demo.rows.schools.filter((s) => Number(s.year) === Number(value(t, 'year'))).map((s) => String(s.school_id)));
      for (const s of schools) expect(register.has(s), `${name}: ${s}`).toBe(true);
    }
  });
});
