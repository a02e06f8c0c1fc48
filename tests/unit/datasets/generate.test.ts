import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_SEED, writeDemo } from '../../../datasets/generate';
import { measure } from '../../../datasets/gen/verify';
import { DEMO_SALT, pseudonymize } from '../../../src/ingest/pseudonym';
import { CANONICAL_TABLE_NAMES, CONTRACT } from '../../../src/model/contract';

const DEMO = join(__dirname, '../../../datasets/demo');

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

function hashes(dir: string): Record<string, string> {
  const h: Record<string, string> = {};
  for (const f of listFiles(dir)) h[relative(dir, f)] = createHash('sha256').update(readFileSync(f)).digest('hex');
  return h;
}

/** Minimal CSV parser for the canonical files (quoted fields with doubled quotes). */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else cell += ch;
  }
  const [header, ...data] = rows;
  return data.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

const canonical = (table: string) => parseCsv(readFileSync(join(DEMO, 'canonical', `${table}.csv`), 'utf8'));

describe('demo generator', () => {
  let dirA: string, dirB: string;
  beforeAll(async () => {
    dirA = mkdtempSync(join(tmpdir(), 'demo-a-'));
    dirB = mkdtempSync(join(tmpdir(), 'demo-b-'));
    await writeDemo(dirA, DEFAULT_SEED);
    await writeDemo(dirB, DEFAULT_SEED);
  });
  afterAll(() => {
    rmSync(dirA, { recursive: true, force: true });
    rmSync(dirB, { recursive: true, force: true });
  });

  test('is deterministic: two runs give byte-identical files', () => {
    const a = hashes(dirA), b = hashes(dirB);
    expect(Object.keys(a).length).toBeGreaterThan(100);
    expect(b).toEqual(a);
  });

  test('the committed output equals a fresh generation', () => {
    expect(hashes(DEMO)).toEqual(hashes(dirA));
  });

  test('another seed gives other data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'demo-c-'));
    try {
      await writeDemo(dir, DEFAULT_SEED + 1);
      expect(readFileSync(join(dir, 'canonical/task_scores.csv'))).not.toEqual(readFileSync(join(dirA, 'canonical/task_scores.csv')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('demo canonical files', () => {
  test('every table has the contract header and rows', () => {
    for (const t of CANONICAL_TABLE_NAMES) {
      const text = readFileSync(join(DEMO, 'canonical', `${t}.csv`), 'utf8');
      expect(text.split('\n')[0]).toBe(CONTRACT[t].columns.map((c) => c.name).join(','));
      expect(parseCsv(text).length, t).toBeGreaterThan(50);
    }
  });

  test('primary score is the sum of task scores, marks follow the thresholds, scores within max', () => {
    const results = canonical('assessment_results');
    const maxOf = new Map(canonical('tasks').map((t) => [`${t.year}|${t.procedure}|${t.subject}|${t.grade}|${t.task}`, Number(t.max_score)]));
    const sums = new Map<string, number>();
    for (const s of canonical('task_scores')) {
      const k = `${s.year}|${s.procedure}|${s.subject}|${s.grade}|${s.school_id}|${s.student_id}`;
      sums.set(k, (sums.get(k) ?? 0) + Number(s.score));
      expect(Number(s.score)).toBeLessThanOrEqual(maxOf.get(`${s.year}|${s.procedure}|${s.subject}|${s.grade}|${s.task}`)!);
    }
    const th = new Map(canonical('thresholds').map((t) => [`${t.year}|${t.procedure}|${t.subject}|${t.grade}`, t]));
    const keys = new Set<string>();
    for (const r of results) {
      const k = `${r.year}|${r.procedure}|${r.subject}|${r.grade}|${r.school_id}|${r.student_id}`;
      expect(keys.has(k), k).toBe(false);
      keys.add(k);
      expect(sums.get(k), k).toBe(Number(r.primary_score));
      const t = th.get(`${r.year}|${r.procedure}|${r.subject}|${r.grade}`)!;
      if (t.mark3_from) {
        const p = Number(r.primary_score);
        const mark = p >= Number(t.mark5_from) ? 5 : p >= Number(t.mark4_from) ? 4 : p >= Number(t.mark3_from) ? 3 : 2;
        expect(Number(r.mark), k).toBe(mark);
      } else {
        expect(r.mark).toBe('');
        expect(Number(r.test_score)).toBeGreaterThanOrEqual(0);
      }
    }
    // ЕГЭ: the primary → test scale is monotone.
    const ege = results.filter((r) => r.procedure === 'ЕГЭ' && r.test_score !== '');
    for (const subject of new Set(ege.map((r) => r.subject))) {
      const pts = ege.filter((r) => r.subject === subject).map((r) => [Number(r.primary_score), Number(r.test_score)]).sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < pts.length; i++) expect(pts[i][1]).toBeGreaterThanOrEqual(pts[i - 1][1]);
    }
  });

  test('class_teaching covers every assessed class and points at staff of that year', () => {
    const ct = new Map(canonical('class_teaching').map((c) => [`${c.year}|${c.school_id}|${c.class}|${c.subject}`, c]));
    const staff = new Set(canonical('staff').map((s) => `${s.year}|${s.staff_id}`));
    for (const r of canonical('assessment_results')) {
      const c = ct.get(`${r.year}|${r.school_id}|${r.class}|${r.subject}`);
      expect(c, `${r.year} ${r.school_id} ${r.class} ${r.subject}`).toBeDefined();
      expect(staff.has(`${c!.year}|${c!.teacher_id}`)).toBe(true);
    }
  });

  test('ФИС ОКО codes restart in every school: 40001, 40002, … per school, repeated across schools', () => {
    const vpr = canonical('assessment_results').filter((r) => r.procedure === 'ВПР' || r.procedure === 'ФГ');
    const schoolsByCode = new Map<string, Set<string>>();
    const minBySchool = new Map<string, number>();
    for (const r of vpr) {
      schoolsByCode.set(r.student_id, (schoolsByCode.get(r.student_id) ?? new Set()).add(r.school_id));
      minBySchool.set(r.school_id, Math.min(minBySchool.get(r.school_id) ?? Infinity, Number(r.student_id)));
      expect(r.student_id).toMatch(/^4\d{4}$/);
    }
    // Some low code appears in (nearly) every school; identity is (school, code).
    const widest = Math.max(...[...schoolsByCode.values()].map((s) => s.size));
    expect(widest).toBeGreaterThanOrEqual(25);
    for (const [school, min] of minBySchool) expect(min, school).toBeLessThan(40100);
    const keys = vpr.map((r) => [r.year, r.procedure, r.subject, r.grade, r.school_id, r.student_id].join('|'));
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('pupils keep their ВПР code across years: grade N in Y is grade N+1 in Y+1', () => {
    const vpr = canonical('assessment_results').filter((r) => r.procedure === 'ВПР' && r.subject === 'Математика');
    const byYear = new Map(vpr.filter((r) => r.year === '2023').map((r) => [`${r.school_id}|${r.student_id}`, r]));
    let followed = 0;
    for (const r of vpr.filter((x) => x.year === '2022' && Number(x.grade) < 8)) {
      const next = byYear.get(`${r.school_id}|${r.student_id}`);
      if (!next) continue;
      followed++;
      expect(Number(next.grade)).toBe(Number(r.grade) + 1);
      expect(next.school_id).toBe(r.school_id);
      expect(next.class.slice(-1)).toBe(r.class.slice(-1));
    }
    expect(followed).toBeGreaterThan(500);
  });

  test('graduates are the exam participants of grades 9 and 11', () => {
    const exam = new Set(canonical('assessment_results').filter((r) => r.procedure === 'ОГЭ' || r.procedure === 'ЕГЭ').map((r) => `${r.year}|${r.student_id}`));
    const grads = canonical('graduates');
    for (const g of grads) expect(exam.has(`${g.year}|${g.student_id}`)).toBe(true);
    expect(grads.length).toBe(exam.size);
  });

  test('monitoring has every code named in indicators.md', () => {
    const codes = new Set(canonical('monitoring').map((m) => m.code));
    const named = ['noo_students', 'noo_base_level', 'noo_excellent', 'students_grade_8', 'students_grade_9', 'survey_satisfied', 'survey_respondents', 'extracurricular_students', 'children_5_18_in_additional_ed', 'children_5_18', 'gifted_individual_routes', 'gifted_students', 'bilet_6_11', 'students_6_11', 'career_event_participants', 'students_total', 'career_tested_6_11', 'career_longterm_project', 'ovz_career_participants', 'trial_workplaces', 'parents_helped', 'parents_total', 'students_in_additional_ed', 'young_teacher_acts', 'mentoring_programs', 'methodical_associations', 'young_teacher_associations', 'teacher_vacancies', 'upbringing_programs', 'volunteers_noo', 'volunteers_ooo', 'volunteers_soo', 'students_noo', 'students_ooo', 'students_soo', 'prevention_noo', 'prevention_ooo', 'prevention_soo', 'youth_org_branches', 'volunteer_associations', 'procedures_observed', 'procedures_total', 'dou_program_fgos', 'dou_modern_environment', 'dou_family_work', 'dou_children', 'dou_pedagogues', 'dou_pedagogues_higher_ed', 'dou_pedagogues_highest_cat', 'dou_pedagogues_staff', 'dou_safe_conditions', 'dou_complaints', 'dou_sanpin_ok', 'dou_parents_satisfied', 'dou_parents_surveyed', 'dou_individual_family_support', 'dou_development_program', 'dou_projects'];
    for (const c of named) expect(codes.has(c), c).toBe(true);
  });

  test('planted.json names schools of the municipality, and the planted low schools are lowest', () => {
    const planted = JSON.parse(readFileSync(join(DEMO, 'planted.json'), 'utf8'));
    const ids = new Set(canonical('schools').map((s) => s.school_id));
    for (const s of [...planted.low_results_schools.schools, ...planted.inflated_vpr_schools.schools, planted.cohort_jump.school]) expect(ids.has(s)).toBe(true);
    // Share of marks «2» in ВПР, 2024, per school: the planted low schools are the three worst.
    const vpr = canonical('assessment_results').filter((r) => r.procedure === 'ВПР' && r.year === '2024');
    const share = new Map<string, number>();
    for (const id of new Set(vpr.map((r) => r.school_id))) {
      const list = vpr.filter((r) => r.school_id === id);
      if (list.length >= 20) share.set(id, list.filter((r) => r.mark === '2').length / list.length);
    }
    const worst = [...share].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([id]) => id).sort();
    expect(worst).toEqual([...planted.low_results_schools.schools].sort());
  });
});

describe('demo source files', () => {
  test('РЦОИ participants hash to the canonical student ids', async () => {
    const text = iconv.decode(readFileSync(join(DEMO, 'source/ОГЭ/2024/ОГЭ 2024 Математика.csv')), 'win1251');
    const lines = text.split('\r\n').filter(Boolean);
    expect(lines[0]).toMatch(/^2 ОГЭ .*Математика 30\.05\.2024$/);
    const header = lines[1].split(';');
    const col = (name: string) => header.indexOf(name);
    const ids = new Set(canonical('assessment_results').filter((r) => r.year === '2024' && r.procedure === 'ОГЭ' && r.subject === 'Математика').map((r) => r.student_id));
    const rows = lines.slice(2).map((l) => l.split(';'));
    expect(rows.length).toBe(ids.size);
    for (const r of rows.slice(0, 40)) {
      const id = await pseudonymize(DEMO_SALT, [r[col('Фамилия')], r[col('Имя')], r[col('Отчество')], r[col('Серия')], r[col('Номер')], r[col('Код ОО')]]);
      expect(ids.has(id)).toBe(true);
      const part1 = r[col('Задания с кратким ответом')];
      const part2 = [...r[col('Задания с развёрнутым ответом')].matchAll(/(\d+)\((\d+)\)/g)].reduce((a, m) => a + Number(m[1]), 0);
      const p1 = [...part1].reduce((a, ch) => a + (ch === '+' ? 1 : ch === '-' ? 0 : Number(ch)), 0);
      expect(p1 + part2).toBe(Number(r[col('Первичный балл')]));
    }
  });

  test('EXPECTED_VALIDATION adds up to the canonical results', () => {
    const v = JSON.parse(readFileSync(join(DEMO, 'source/EXPECTED_VALIDATION.json'), 'utf8'));
    expect(v.totals.written).toBe(canonical('assessment_results').length);
    expect(v.totals.rows).toBe(v.totals.written + v.totals.absent + 3);
    expect(v.totals.excluded).toEqual({ task_out_of_range: 1, total_out_of_range: 1, duplicate: 1 });
    expect(v.totals.absent).toBeGreaterThan(0);
    expect(v.totals.not_attempted_cells).toBeGreaterThan(0);
    expect(v.totals.journal_no_mark).toBeGreaterThan(0);
  });
});

describe('datasets/README.md', () => {
  test('states the current quirk counts of EXPECTED_VALIDATION.json', () => {
    const readme = readFileSync(join(DEMO, '../README.md'), 'utf8');
    const t = JSON.parse(readFileSync(join(DEMO, 'source/EXPECTED_VALIDATION.json'), 'utf8')).totals;
    const fmt = (n: number) => n.toLocaleString('ru-RU').replace(/\u00a0/g, ' ');
    expect(readme).toContain(`| ${t.absent} rows |`);
    expect(readme).toContain(`| ${t.not_attempted_cells} cells |`);
    expect(readme).toContain(`| ${t.journal_no_mark} |`);
    expect(readme).toContain(`| ${t.lowercase_class_letters} |`);
    expect(readme).toContain(`${fmt(t.rows)} participant rows → ${fmt(t.written)} assessment_results rows`);
  });
});

describe('planted effects, measured independently of src/indicators (datasets/gen/verify.ts)', () => {
  test('LOW-01, OBJ-03 and OBJ-04 flag the planted schools plus exactly the incidental ones in planted.json', async () => {
    const planted = JSON.parse(readFileSync(join(DEMO, 'planted.json'), 'utf8'));
    const m = await measure(join(DEMO, 'canonical'));
    expect(m.low01.map((x) => x.school_id).sort()).toEqual([...planted.low_results_schools.schools, ...planted.incidental['LOW-01']].sort());
    expect(m.obj.filter((o) => (o.spearman ?? 1) < 0).map((o) => o.school_id).sort()).toEqual([...planted.inflated_vpr_schools.schools].sort());
    const jump = m.obj04.filter((x) => x.school_id === planted.cohort_jump.school);
    expect(jump.map((x) => [x.subject, x.from, x.flag]).sort()).toEqual([
      ['Математика', '4 класс 2023', 'drop'],
      ['Русский язык', '4 класс 2023', 'drop'],
    ]);
    const others = m.obj04.filter((x) => x.school_id !== planted.cohort_jump.school).map((x) => `${x.school_id} ${x.subject} ${x.from}`).sort();
    expect(others).toEqual(planted.incidental['OBJ-04'].map((x: { school: string; subject: string; from: { year: number; grade: number } }) => `${x.school} ${x.subject} ${x.from.grade} класс ${x.from.year}`).sort());
    // Settlement gap, category gradient and textbook: the planted orderings hold.
    const rate = (list: Array<{ rate: number }>, key: string, name: string) => (list as Array<Record<string, unknown>>).find((x) => x[key] === name)!.rate as number;
    expect(rate(m.settlement, 'settlement_type', 'город') - rate(m.settlement, 'settlement_type', 'село')).toBeGreaterThan(0.05);
    expect(m.category.map((c) => c.category)).toEqual(['высшая', 'первая', 'соответствие занимаемой должности', 'без категории']);
    expect(m.textbook[m.textbook.length - 1].textbook).toBe(planted.textbook.textbook);
    expect(m.textbook[m.textbook.length - 2].rate - m.textbook[m.textbook.length - 1].rate).toBeGreaterThan(0.05);
  });
});
