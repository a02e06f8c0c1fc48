/** The demo world as the eleven canonical tables (rows in contract column order). */
import { CONTRACT, CANONICAL_TABLE_NAMES, type CanonicalTableName } from '../../src/model/contract';
import type { Achievement, Activity, Graduate, MonitoringRow } from './extras';
import { DOOS, MUNICIPALITY, SCHOOLS, YEARS } from './schools';
import { teacherAge, teacherExp, teachingSubject, type World } from './world';

export type Cell = string | number | boolean | null;
export type Tables = Record<CanonicalTableName, Cell[][]>;

export interface Extras {
  graduates: Graduate[];
  achievements: Achievement[];
  activities: Activity[];
  monitoring: MonitoringRow[];
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

export function buildTables(world: World, extras: Extras): Tables {
  const t = Object.fromEntries(CANONICAL_TABLE_NAMES.map((n) => [n, [] as Cell[][]])) as unknown as Tables;

  for (const year of YEARS) {
    for (const s of SCHOOLS) {
      const total = world.students.filter((st) => st.school === s && st.enrol.has(year)).length;
      t.schools.push([year, s.id, s.name, MUNICIPALITY, s.settlement, s.type, total, round(s.socialIndex + 0.02 * (year - 2023), 3), null, s.shnsu]);
    }
    for (const d of DOOS) {
      const children = extras.monitoring.find((m) => m.year === year && m.schoolId === d.id && m.code === 'dou_children')!.value;
      t.schools.push([year, d.id, d.name, MUNICIPALITY, d.settlement, 'ДОО', children, round(d.socialIndex + 0.02 * (year - 2023), 3), null, false]);
    }
  }

  for (const r of world.results) {
    const sp = r.spec;
    const sid = sp.procedure === 'ОГЭ' || sp.procedure === 'ЕГЭ' ? r.student.pid : r.student.code;
    t.assessment_results.push([r.year, sp.procedure, sp.subject, sp.grade, r.student.school.id, r.className, sid, r.variant, r.primary, r.testScore, r.mark, r.journal, false]);
    sp.tasks.forEach((task, i) => t.task_scores.push([r.year, sp.procedure, sp.subject, sp.grade, r.student.school.id, sid, task.task, r.scores[i]]));
  }

  for (const year of YEARS) {
    for (const sp of world.specs) {
      for (const task of sp.tasks) t.tasks.push([year, sp.procedure, sp.subject, sp.grade, task.task, task.max, task.part, task.section, task.level, task.metasubject]);
      const m = sp.marks;
      t.thresholds.push([year, sp.procedure, sp.subject, sp.grade, sp.minTest, sp.minPrimary, m?.mark3 ?? null, m?.mark4 ?? null, m?.mark5 ?? null, sp.procedure === 'ЕГЭ' && sp.testScale ? 81 : null]);
    }
  }

  // class_teaching: one row per (year, school, class, assessed subject).
  const teachingIndex = new Map(world.teaching.map((x) => [`${x.year}|${x.schoolId}|${x.className}|${x.subject}`, x]));
  const seen = new Set<string>();
  for (const r of world.results) {
    const key = `${r.year}|${r.student.school.id}|${r.className}|${r.spec.subject}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const x = teachingIndex.get(`${r.year}|${r.student.school.id}|${r.className}|${teachingSubject(r.spec.subject)}`);
    if (!x) throw new Error(`no teacher for ${key}`);
    const fg = r.spec.procedure === 'ФГ';
    t.class_teaching.push([r.year, r.student.school.id, r.className, r.spec.subject, x.teacher.staffId, fg ? 'базовый' : x.studyLevel, fg ? null : x.hours, x.months, fg ? null : x.textbook]);
  }
  t.class_teaching.sort(compareRows);

  for (const year of YEARS) {
    for (const p of world.teachers) {
      if (p.from > year || p.to < year) continue;
      t.staff.push([
        year,
        p.staffId,
        p.schoolId,
        p.position,
        p.mainSubject,
        p.categories.get(year)!,
        teacherExp(p, year),
        teacherAge(p, year),
        p.load,
        p.subjectsCount,
        p.hasTeachingLoad,
        p.educationMatches,
        p.higherEducation,
        p.requiredTraining,
        p.isGiaExpert,
      ]);
    }
  }

  for (const a of extras.activities) t.staff_activities.push([a.year, a.teacher.staffId, a.activity, a.level, a.eventId, a.date]);
  for (const a of extras.achievements) t.achievements.push([a.year, a.student.pid, a.schoolId, a.grade, a.kind, a.name, a.subject, a.stage, a.status]);
  for (const g of extras.graduates)
    t.graduates.push([g.year, g.student.pid, g.schoolId, g.grade, g.profile, g.certificate, g.honors, g.medal, g.destination, g.destinationByProfile, g.giaSubjectsMatchProfile]);
  for (const m of extras.monitoring) t.monitoring.push([m.year, m.schoolId, m.code, m.value]);
  return t;
}

function compareRows(a: Cell[], b: Cell[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (x === y) continue;
    if (x === null) return -1;
    if (y === null) return 1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

const csvCell = (v: Cell): string => {
  if (v === null) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

/** UTF-8, comma-separated, header = contract column names, booleans true/false, NULL = empty. */
export function toCsv(table: CanonicalTableName, rows: Cell[][]): string {
  const header = CONTRACT[table].columns.map((c) => c.name).join(',');
  return [header, ...rows.map((r) => r.map(csvCell).join(','))].join('\n') + '\n';
}
