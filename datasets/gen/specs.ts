/**
 * Test specifications (tasks) and scales (thresholds) of the demo works.
 * Real scales where ../shared/source-formats.md gives them (ЕГЭ minimums, ОГЭ Russian /
 * mathematics / physics, ВПР 2021 mathematics 4–5 and Russian 4); everything else is
 * invented but plausible, and datasets/README.md says which.
 */
import { rngFor } from './rng';

export type Procedure = 'ВПР' | 'ОГЭ' | 'ЕГЭ' | 'ФГ';
export type Level = 'базовый' | 'повышенный' | 'высокий';

export interface TaskSpec {
  task: string;
  max: number;
  part: '1' | '2';
  section: string;
  level: Level;
  metasubject: boolean;
  /** IRT difficulty of the first point of the task (later points are harder). */
  b: number;
}

export interface WorkSpec {
  procedure: Procedure;
  subject: string;
  grade: number;
  tasks: TaskSpec[];
  max: number;
  /** Primary-score boundaries of marks; null for ЕГЭ with a test scale. */
  marks: { mark3: number; mark4: number; mark5: number } | null;
  /** ЕГЭ only: minimum test score and the monotone primary → test scale. */
  minTest: number | null;
  minPrimary: number | null;
  testScale: number[] | null;
  /** Number of tasks in the short-answer part (РЦОИ part-1 string); 0 for ВПР/ФГ. */
  shortCount: number;
  realScale: boolean;
}

const SECTIONS: Record<string, string[]> = {
  'Математика:начальная': ['Числа и вычисления', 'Текстовые задачи', 'Геометрические фигуры и величины', 'Работа с информацией', 'Логические задачи'],
  'Математика:основная': ['Числа и вычисления', 'Алгебраические выражения', 'Уравнения и неравенства', 'Функции и графики', 'Геометрия', 'Работа с информацией'],
  'Русский язык': ['Орфография и пунктуация', 'Морфология', 'Синтаксис', 'Фонетика и лексика', 'Работа с текстом', 'Речь'],
  'Обществознание': ['Человек и общество', 'Экономика', 'Социальные отношения', 'Политика', 'Право', 'Работа с информацией'],
  'Физика': ['Механика', 'Молекулярная физика', 'Электродинамика', 'Квантовая физика', 'Методология (работа с информацией)'],
  'Биология': ['Клетка', 'Организм', 'Система органического мира', 'Человек', 'Эволюция и экология', 'Работа с информацией'],
  'Читательская грамотность': ['Находить и извлекать информацию', 'Интегрировать и интерпретировать', 'Осмысливать и оценивать'],
  'Математическая грамотность': ['Формулировать', 'Применять', 'Интерпретировать'],
  'Естественно-научная грамотность': ['Научно объяснять явления', 'Понимать особенности исследования', 'Интерпретировать данные'],
  'Финансовая грамотность': ['Выявлять финансовую информацию', 'Анализировать информацию', 'Оценивать финансовые проблемы', 'Применять знания'],
};
const META_SECTIONS = new Set(['Работа с информацией', 'Работа с текстом', 'Логические задачи', 'Методология (работа с информацией)']);

const sectionsFor = (subject: string, grade: number): string[] => {
  if (subject.startsWith('Математика')) return SECTIONS[grade <= 6 ? 'Математика:начальная' : 'Математика:основная'];
  return SECTIONS[subject];
};

const LEVEL_B: Record<Level, number> = { базовый: -0.95, повышенный: 0.05, высокий: 0.85 };

interface Def {
  procedure: Procedure;
  subject: string;
  grade: number;
  /** Printed task numbers (ВПР); default 1..n. */
  names?: string[];
  maxes: number[];
  /** Tasks in part 1 (РЦОИ: the short-answer string). */
  shortCount: number;
  marks?: [number, number, number];
  minTest?: number;
  /** ЕГЭ: primary score that gives the minimum test score. */
  minPrimary?: number;
  realScale?: boolean;
  /** Shift of all difficulties (calibration of the work). */
  shift?: number;
}

function levelAt(proc: Procedure, i: number, n: number, shortCount: number): Level {
  const f = i / n;
  if (proc === 'ФГ') return f < 0.4 ? 'базовый' : f < 0.85 ? 'повышенный' : 'высокий';
  if (proc === 'ВПР') return f < 0.6 ? 'базовый' : f < 0.88 ? 'повышенный' : 'высокий';
  if (i < shortCount) return i < shortCount * 0.75 ? 'базовый' : 'повышенный';
  return i < n - 2 ? 'повышенный' : 'высокий';
}

/** Calibration of whole works (difficulty shift), so that mark and band shares look like real ones. */
const CALIBRATION: Record<string, number> = {
  'ВПР|Русский язык': -0.35,
  'ВПР|Математика': 0.35,
  'ОГЭ|Русский язык': -1.0,
  'ОГЭ|Математика': 0.85,
  'ОГЭ|Физика': 0.5,
  'ЕГЭ|Математика (базовая)': -0.6,
  'ЕГЭ|Биология': 0.35,
  'ЕГЭ|Обществознание': -0.5,
  'ЕГЭ|Русский язык': -0.4,
  'ЕГЭ|Физика': 0.25,
  'ФГ|Читательская грамотность': -0.3,
  'ФГ|Математическая грамотность': -0.3,
  'ФГ|Естественно-научная грамотность': -0.3,
  'ФГ|Финансовая грамотность': -0.3,
};

function build(d: Def, seed: number): WorkSpec {
  const n = d.maxes.length;
  const names = d.names ?? d.maxes.map((_, i) => String(i + 1));
  if (names.length !== n) throw new Error(`task names/maxes mismatch: ${d.procedure} ${d.subject} ${d.grade}`);
  const sections = sectionsFor(d.subject, d.grade);
  const rng = rngFor(seed, 'spec', d.procedure, d.subject, d.grade);
  const tasks: TaskSpec[] = names.map((task, i) => {
    const level = levelAt(d.procedure, i, n, d.shortCount);
    const section = sections[(i * 7 + Math.floor(i / 3)) % sections.length];
    const part: '1' | '2' = d.procedure === 'ВПР' || d.procedure === 'ФГ' ? (i < Math.ceil(n * 0.6) ? '1' : '2') : i < d.shortCount ? '1' : '2';
    return {
      task,
      max: d.maxes[i],
      part,
      section,
      level,
      metasubject: d.procedure === 'ФГ' || META_SECTIONS.has(section),
      b: LEVEL_B[level] + rng.normal(0, 0.3) + (d.shift ?? 0) + (CALIBRATION[`${d.procedure}|${d.subject}`] ?? 0) + ({ ВПР: -0.85, ОГЭ: -1.35, ЕГЭ: -0.15, ФГ: -0.65 } as const)[d.procedure],
    };
  });
  const max = d.maxes.reduce((a, b) => a + b, 0);
  let testScale: number[] | null = null;
  if (d.minTest !== undefined && d.minPrimary !== undefined) {
    // Monotone, concave scale through (0,0), (minPrimary, minTest), (max, 100).
    const knots: Array<[number, number]> = [
      [0, 0],
      [d.minPrimary, d.minTest],
      [d.minPrimary + (max - d.minPrimary) * 0.35, d.minTest + (100 - d.minTest) * 0.48],
      [d.minPrimary + (max - d.minPrimary) * 0.75, d.minTest + (100 - d.minTest) * 0.76],
      [max, 100],
    ];
    testScale = [];
    for (let p = 0; p <= max; p++) {
      let k = 1;
      while (knots[k][0] < p) k++;
      const [x0, y0] = knots[k - 1];
      const [x1, y1] = knots[k];
      testScale.push(Math.round(y0 + ((p - x0) * (y1 - y0)) / (x1 - x0)));
    }
  }
  return {
    procedure: d.procedure,
    subject: d.subject,
    grade: d.grade,
    tasks,
    max,
    marks: d.marks ? { mark3: d.marks[0], mark4: d.marks[1], mark5: d.marks[2] } : null,
    minTest: d.minTest ?? null,
    minPrimary: d.minPrimary ?? (d.marks ? d.marks[0] : null),
    testScale,
    shortCount: d.shortCount,
    realScale: d.realScale ?? false,
  };
}

const ones = (n: number): number[] => Array.from({ length: n }, () => 1);
const range = (a: number, b: number): string[] => Array.from({ length: b - a + 1 }, (_, i) => String(a + i));

export const FG_SUBJECTS = ['Читательская грамотность', 'Математическая грамотность', 'Естественно-научная грамотность', 'Финансовая грамотность'];
export const OGE_ELECTIVES = ['Обществознание', 'Физика'];
export const EGE_ELECTIVES = ['Обществознание', 'Физика', 'Биология'];

const DEFS: Def[] = [
  // ВПР
  { procedure: 'ВПР', subject: 'Математика', grade: 4, names: ['1', '2', '3', '4', '5.1', '5.2', '6.1', '6.2', '7', '8', '9.1', '9.2', '10', '11', '12'], maxes: [1, 1, 2, 1, 1, 1, 1, 1, 1, 2, 1, 1, 2, 2, 2], shortCount: 0, marks: [6, 10, 15], realScale: true },
  { procedure: 'ВПР', subject: 'Русский язык', grade: 4, names: ['1', '2', '3.1', '3.2', '4', '5', '6', '7', '8', '9', '10', '11', '12.1', '12.2', '13.1', '13.2', '14', '15'], maxes: [4, 3, 1, 3, 2, 2, 2, 2, 2, 3, 2, 2, 2, 1, 2, 1, 2, 2], shortCount: 0, marks: [14, 24, 33], realScale: true },
  { procedure: 'ВПР', subject: 'Математика', grade: 5, names: [...range(1, 10), '11.1', '11.2', '12.1', '12.2', '13', '14'], maxes: [...ones(9), 2, 1, 2, 1, 1, 2, 2], shortCount: 0, marks: [7, 11, 15], realScale: true },
  { procedure: 'ВПР', subject: 'Русский язык', grade: 5, names: ['1', '2', '3', '4.1', '4.2', '5', '6', '7.1', '7.2', '8', '9', '10', '11', '12'], maxes: [9, 6, 3, 2, 2, 3, 2, 2, 2, 3, 2, 3, 3, 3], shortCount: 0, marks: [18, 29, 39] },
  { procedure: 'ВПР', subject: 'Математика', grade: 6, maxes: [...ones(9), 2, 2, 2, 2, 3], shortCount: 0, marks: [6, 10, 14] },
  { procedure: 'ВПР', subject: 'Русский язык', grade: 6, maxes: [9, 3, 2, 2, 3, 2, 4, 3, 4, 4, 3, 4, 4, 4], shortCount: 0, marks: [20, 32, 43] },
  { procedure: 'ВПР', subject: 'Математика', grade: 7, maxes: [...ones(12), 2, 1, 2, 2], shortCount: 0, marks: [6, 10, 14] },
  { procedure: 'ВПР', subject: 'Русский язык', grade: 7, maxes: [9, 3, 3, 3, 3, 2, 4, 3, 3, 3, 2, 3, 3, 3], shortCount: 0, marks: [19, 29, 39] },
  { procedure: 'ВПР', subject: 'Математика', grade: 8, maxes: [...ones(13), 2, 2, 2, 2, 2, 2], shortCount: 0, marks: [7, 12, 18] },
  { procedure: 'ВПР', subject: 'Русский язык', grade: 8, maxes: [9, 3, 2, 2, 3, 2, 4, 3, 4, 4, 3, 4, 4, 4], shortCount: 0, marks: [20, 31, 42] },
  // ОГЭ: short-answer tasks are numbered first, extended-answer tasks continue the numbering.
  { procedure: 'ОГЭ', subject: 'Русский язык', grade: 9, maxes: [...ones(7), 7, 9, 3, 3, 2, 2], shortCount: 7, marks: [15, 23, 29], realScale: true },
  { procedure: 'ОГЭ', subject: 'Математика', grade: 9, maxes: [...ones(19), 2, 2, 2, 2, 2, 2], shortCount: 19, marks: [8, 15, 22], realScale: true },
  { procedure: 'ОГЭ', subject: 'Обществознание', grade: 9, maxes: [1, 2, 1, 1, 2, 1, 2, 1, 1, 2, 1, 2, 1, 1, 2, 1, 2, 1, 2, 2, 3, 1, 2, 2], shortCount: 16, marks: [14, 24, 32] },
  { procedure: 'ОГЭ', subject: 'Физика', grade: 9, maxes: [1, 2, 1, 1, 1, 1, 2, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 4, 4, 3, 3, 3], shortCount: 18, marks: [11, 23, 35], realScale: true },
  // ЕГЭ
  { procedure: 'ЕГЭ', subject: 'Русский язык', grade: 11, maxes: [1, 1, 1, 1, 1, 1, 1, 5, ...ones(18), 1, 3, 2, 1, 3, 1, 3, 2, 2, 2], shortCount: 26, minTest: 24, minPrimary: 10, realScale: true, shift: -0.15 },
  { procedure: 'ЕГЭ', subject: 'Математика (профильная)', grade: 11, maxes: [...ones(12), 2, 3, 2, 2, 3, 4, 4], shortCount: 12, minTest: 27, minPrimary: 6, realScale: true, shift: 0.1 },
  { procedure: 'ЕГЭ', subject: 'Математика (базовая)', grade: 11, maxes: ones(21), shortCount: 21, marks: [7, 12, 17], realScale: true, shift: -0.3 },
  { procedure: 'ЕГЭ', subject: 'Обществознание', grade: 11, maxes: [1, 2, 1, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4, 3, 6], shortCount: 16, minTest: 42, minPrimary: 22, realScale: true },
  { procedure: 'ЕГЭ', subject: 'Физика', grade: 11, maxes: [1, 1, 1, 1, 2, 2, 1, 1, 1, 2, 2, 1, 1, 2, 2, 1, 1, 2, 1, 2, 1, 3, 2, 3, 3, 4], shortCount: 20, minTest: 36, minPrimary: 11, realScale: true },
  { procedure: 'ЕГЭ', subject: 'Биология', grade: 11, maxes: [1, 1, 2, 1, 1, 2, 2, 2, 1, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3], shortCount: 21, minTest: 36, minPrimary: 16, realScale: true },
  // ФГ (функциональная грамотность), grades 8 and 9; invented 12-point works.
  ...[8, 9].flatMap((grade) =>
    FG_SUBJECTS.map((subject): Def => ({ procedure: 'ФГ', subject, grade, maxes: [1, 1, 2, 1, 2, 1, 2, 2], shortCount: 0, marks: [4, 7, 10] })),
  ),
];

export function buildSpecs(seed: number): WorkSpec[] {
  return DEFS.map((d) => build(d, seed));
}

export const specKey = (procedure: string, subject: string, grade: number): string => `${procedure}|${subject}|${grade}`;

export function markOf(spec: WorkSpec, primary: number): number | null {
  if (!spec.marks) return null;
  const { mark3, mark4, mark5 } = spec.marks;
  return primary >= mark5 ? 5 : primary >= mark4 ? 4 : primary >= mark3 ? 3 : 2;
}
