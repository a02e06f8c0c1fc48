/**
 * The region behind the real-like fixture folder: 48 schools in three municipalities (only 20
 * of them answer the context questionnaire, so most are known only from the result files),
 * the ВПР works of three years with their task structures, and every participant's scores.
 * Participant codes restart in every school (40001, 40002, …), as ФИС ОКО writes them.
 */
import { rngFor, type Rng } from '../gen/rng';

export const SEED = 2026;
export const REGION = 'reg220000 | Условный край';
export const MUNICIPALITIES = ['г. Краевой центр', 'Северный муниципальный район', 'Озёрский муниципальный округ'] as const;

export type Settlement = 'Столица' | 'Город' | 'ПГТ' | 'Село';

export interface School {
  id: string;
  name: string;
  municipality: string;
  settlement: Settlement;
  type: 'СОШ' | 'ООШ' | 'НОШ' | 'лицей';
  /** Answers the context questionnaire (the only source of its settlement type). */
  surveyed: boolean;
  effect: number;
  classes: number;
  size: number;
}

export interface Task {
  /** Sequential number: `балл за N`, `a-N-grade`, `№` in the КИМ description. */
  seq: number;
  /** Printed number as the Протокол writes it before the maximum: '5', '5.1', '1К1'. */
  printed: string;
  max: number;
  level: 'Б' | 'П' | 'В';
  kes: string[];
  kt: string[];
}

export interface RealLikeOptions {
  /** Values spilled past the last titled column of a CSV file too (default true; XLSX always has them). */
  spillCsv?: boolean;
}

export type Layout = 'coded' | 'regional' | 'regional-xlsx' | 'protocol';

export interface Work {
  year: number;
  subject: string;
  grade: number;
  layout: Layout;
  tasks: Task[];
  /** How the Протокол spells a sub-task title: `5(1) (1б)`, `5.1 (1б)`, `5 (1) (1б)`, `5(1б)`. */
  titleStyle: 0 | 1 | 2 | 3;
}

export interface Participant {
  school: School;
  cls: string;
  code: string;
  gender: 'м' | 'ж';
  absent: boolean;
  variant: string;
  /** Task cells as written: a number, or a not-attempted mark (X, x, Х, «не пройд.»). */
  cells: Array<number | string>;
  /** The official total written in the file. */
  total: number;
  journal: number | 'нет отметки' | null;
  textbook: string;
  /** Values past the last titled column. */
  spill: string[];
}

const SETTLEMENT_NAMES: Record<Settlement, string[]> = {
  Столица: ['г. Краевой центр'],
  Город: ['г. Заречный', 'г. Северск'],
  ПГТ: ['пгт Озёрный', 'пгт Лесной'],
  Село: ['с. Берёзовка', 'с. Покровка', 'с. Ивановка', 'с. Луговое', 'с. Кедровка', 'с. Сосновка'],
};

export function buildSchools(seed = SEED): School[] {
  const out: School[] = [];
  for (let i = 1; i <= 48; i++) {
    const rng = rngFor(seed, 'school', i);
    const m = i <= 14 ? 0 : i <= 32 ? 1 : 2;
    const settlement: Settlement = m === 0 ? 'Столица' : rng.weighted(['Город', 'ПГТ', 'Село'] as Settlement[], [0.3, 0.25, 0.45]);
    const type = i % 11 === 0 ? 'НОШ' : i % 4 === 0 ? 'ООШ' : i === 3 ? 'лицей' : 'СОШ';
    const place = rng.pick(SETTLEMENT_NAMES[settlement]);
    const name = type === 'лицей' ? `МАОУ «Лицей №${i}» ${place}` : type === 'НОШ' ? `МКОУ «НОШ ${place}»` : `МБОУ «${type} №${i}» ${place}`;
    const big = settlement === 'Столица' || settlement === 'Город';
    out.push({
      id: String(224000 + i),
      name,
      municipality: MUNICIPALITIES[m],
      settlement,
      type,
      surveyed: i % 5 === 1 || i % 5 === 3,
      effect: (settlement === 'Село' ? -0.35 : settlement === 'ПГТ' ? -0.15 : 0) + rng.normal(0, 0.25),
      classes: big && rng.bool(0.6) ? 2 : 1,
      size: big ? rng.int(14, 24) : rng.int(5, 12),
    });
  }
  return out;
}

export const topGrade = (s: School) => (s.type === 'НОШ' ? 4 : s.type === 'ООШ' ? 9 : 11);

const WORKS: Array<[number, string, number, Layout]> = [
  [2020, 'Русский язык', 4, 'coded'],
  [2020, 'Математика', 4, 'coded'],
  [2020, 'Математика', 5, 'coded'],
  [2020, 'Биология', 6, 'coded'],
  [2020, 'Русский язык', 7, 'coded'],
  [2020, 'Физика', 8, 'coded'],
  [2020, 'История', 11, 'coded'],
  [2021, 'Математика', 4, 'regional'],
  [2021, 'Окружающий мир', 4, 'regional'],
  [2021, 'Русский язык', 5, 'regional'],
  [2021, 'История', 5, 'regional-xlsx'],
  [2021, 'Математика', 6, 'regional'],
  [2021, 'Английский язык', 7, 'regional'],
  [2021, 'Математика', 8, 'regional'],
  [2021, 'Химия', 11, 'regional-xlsx'],
  [2021, 'История', 11, 'regional'],
  [2022, 'Русский язык', 4, 'protocol'],
  [2022, 'Математика', 4, 'protocol'],
  [2022, 'Математика', 5, 'protocol'],
  [2022, 'Биология', 6, 'protocol'],
  [2022, 'Английский язык', 7, 'protocol'],
  [2022, 'Физика', 8, 'protocol'],
  [2022, 'История', 11, 'protocol'],
  [2022, 'География', 11, 'protocol'],
];

/** Criteria-marked works (essays, foreign languages): some tasks are scored by criteria К1, К2… */
const CRITERIA = new Set(['Английский язык', 'История']);

function buildTasks(rng: Rng, subject: string, grade: number, fifteen: boolean): Task[] {
  const tasks: Task[] = [];
  const n = fifteen ? 15 : rng.int(10, 16);
  let seq = 0;
  const add = (printed: string, max: number) => {
    // 15 tasks → 2+4+3+3+4 rows per five tasks = 48 rows.
    const nKes = fifteen ? [1, 2, 3, 1, 2][seq % 5]! : rng.int(1, 3);
    const nKt = fifteen ? [2, 2, 1, 3, 2][seq % 5]! : rng.int(1, 2);
    seq++;
    tasks.push({
      seq,
      printed,
      max,
      level: seq > n - 2 ? 'В' : seq > n - 5 ? 'П' : 'Б',
      kes: Array.from({ length: nKes }, (_, k) => `${1 + ((seq + k) % 6)}.${1 + k}`),
      kt: Array.from({ length: nKt }, (_, k) => `${1 + (seq % 4)}.${1 + k}`),
    });
  };
  for (let t = 1; tasks.length < n; t++) {
    if (!fifteen && CRITERIA.has(subject) && (t === 1 || t === n - 1)) {
      for (let k = 1; k <= (grade === 11 ? 2 : 3); k++) add(`${t}К${k}`, t === 1 && k === 1 ? 4 : rng.int(1, 2));
    } else if (!fifteen && t % 5 === 0) {
      add(`${t}.1`, 1);
      add(`${t}.2`, rng.int(1, 2));
    } else add(String(t), fifteen ? [1, 1, 2, 1, 2][t % 5]! : rng.int(1, 3));
  }
  return tasks;
}

export function buildWorks(seed = SEED): Work[] {
  return WORKS.map(([year, subject, grade, layout], i) => {
    const rng = rngFor(seed, 'work', year, subject, grade);
    // One КИМ with 15 tasks and 48 task × КЭС × КТ rows, as in the example.
    const fifteen = year === 2021 && subject === 'Математика' && grade === 6;
    return { year, subject, grade, layout, tasks: buildTasks(rng, subject, grade, fifteen), titleStyle: (i % 4) as Work['titleStyle'] };
  });
}

export const workMax = (w: Work) => w.tasks.reduce((a, t) => a + t.max, 0);

export const TEXTBOOKS: Record<string, string[]> = {
  Математика: ['Моро М.И. и др. Математика', 'Виленкин Н.Я. и др. Математика', 'Мерзляк А.Г. и др. Математика', 'Другое'],
  'Русский язык': ['Канакина В.П., Горецкий В.Г. Русский язык', 'Ладыженская Т.А. и др. Русский язык', 'Другое'],
};
export const OTHER_TEXTBOOK = { author: 'Петров И.И.', title: 'Математика: экспериментальный курс' };

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const NOT_ATTEMPTED = ['X', 'x', 'Х', 'не пройд.'];

/** Every row of one work's file (absent and planted rows included), school by school. */
export function buildParticipants(work: Work, schools: School[], seed = SEED, opts: RealLikeOptions = {}): Participant[] {
  const out: Participant[] = [];
  const books = TEXTBOOKS[work.subject] ?? ['—'];
  for (const s of schools) {
    if (topGrade(s) < work.grade || (work.grade === 11 && s.type === 'ООШ')) continue;
    const rng = rngFor(seed, 'participants', work.year, work.subject, work.grade, s.id);
    let code = 40000;
    for (let c = 0; c < (work.grade === 11 ? 1 : s.classes); c++) {
      const letter = 'АБ'[c]!;
      const textbook = books[(Number(s.id) + c) % books.length]!;
      const bookEffect = textbook === 'Другое' ? -0.5 : 0;
      const n = Math.max(3, s.size + rng.int(-2, 2) - (work.grade === 11 ? 4 : 0));
      for (let k = 0; k < n; k++) {
        const theta = s.effect + bookEffect + rng.normal(0, 1);
        const absent = rng.bool(0.035);
        const scores = work.tasks.map((t, i) => {
          let sc = 0;
          for (let p = 0; p < t.max; p++) if (rng.bool(sigmoid(theta + 1 - i * 0.12 - p * 0.5))) sc++;
          return sc;
        });
        const cells = scores.map((sc) => (sc === 0 && rng.bool(0.04) ? rng.pick(NOT_ATTEMPTED) : sc));
        const total = scores.reduce((a, b) => a + b, 0);
        const jr = rng.next();
        out.push({
          school: s,
          cls: `${work.grade}${letter}`,
          code: String(++code),
          gender: rng.bool(0.5) ? 'ж' : 'м',
          absent,
          variant: absent ? 'отсутствовал' : String(rng.int(1, 2)),
          cells: absent ? work.tasks.map(() => '') : cells,
          total,
          journal: jr < 0.02 ? 'нет отметки' : Math.max(2, Math.min(5, Math.round(3.6 + theta * 0.7 + rng.normal(0, 0.5)))),
          textbook,
          spill: [],
        });
      }
    }
  }
  plantQuirks(work, out, seed, opts);
  return out;
}

/** Official totals that disagree with the tasks (grade 11), one school of zeros, one total above the maximum, spilled cells. */
function plantQuirks(work: Work, rows: Participant[], seed: number, opts: RealLikeOptions): void {
  const rng = rngFor(seed, 'quirks', work.year, work.subject, work.grade);
  const present = rows.filter((r) => !r.absent);
  if (work.grade === 11 && work.year >= 2021) {
    for (const r of present) if (rng.bool(0.15)) r.total = Math.max(0, Math.min(workMax(work), r.total + rng.pick([-2, -1, 1, 2])));
  }
  if (work.year === 2022 && work.subject === 'История') {
    const zero = present[0]!.school;
    for (const r of present) if (r.school === zero) r.total = 0;
  }
  if (work.year === 2022 && work.subject === 'Математика' && work.grade === 5) present[3]!.total = workMax(work) + 5;
  if ((opts.spillCsv !== false && work.year === 2021 && work.subject === 'Русский язык') || (work.year === 2022 && work.subject === 'Биология')) {
    for (const r of [present[2]!, present[10]!, present[20]!]) r.spill = ['1', 'см. примечание'];
  }
}
