/**
 * ВПР-like per-participant files in the «regional export» layout of ФИС ОКО
 * (`логин школы`, `регион`, …, `балл за 1` … `балл за 20`), written row by row so a million
 * rows never sit in memory: CSV in Windows-1251 with `;`, and XLSX through ExcelJS's
 * streaming writer. Deterministic (seeded PRNG); no absentees and no «X» cells, so a correct
 * import gives exactly `rows` results and `rows × 20` task scores.
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

export const VPR_TASKS = 20;
export const VPR_YEAR = 2024;
export const VPR_SUBJECT = 'Математика';
export const VPR_GRADE = 8;
/** Tasks 1–12 are worth 1 point, 13–20 two points: max 28. */
export const vprMax = (task: number): number => (task <= 12 ? 1 : 2);
/** File name carries year, subject and grade, as ФИС ОКО exports do. */
export const vprFileName = (ext: 'csv' | 'xlsx') => `ВПР ${VPR_YEAR} ${VPR_SUBJECT} ${VPR_GRADE} класс.${ext}`;

export const VPR_HEADERS = [
  'логин школы',
  'регион',
  'номер обучающегося',
  'код обучающегося',
  'отметка за предыдущую четверть/триместр',
  'пол',
  'класс',
  'вариант',
  'всего баллов',
  ...Array.from({ length: VPR_TASKS }, (_, i) => `балл за ${i + 1}`),
  'Учебник',
];

/** mulberry32: a tiny, fast, well-mixed 32-bit generator. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEXTBOOKS = ['Дорофеев Г.В.', 'Мерзляк А.Г.', 'Никольский С.М.', 'Макарычев Ю.Н.'];

export interface VprOptions {
  /** Participant codes restart in every school (as ФИС ОКО issues them), instead of running on. */
  schoolCodes?: boolean;
}

/** Participants per school in the generated files. */
export const VPR_PER_SCHOOL = 60;

/** Row i (0-based) of the file: values in header order. */
export function* vprRows(rows: number, seed = 7, opts: VprOptions = {}): Generator<(string | number)[]> {
  const rnd = prng(seed);
  const perSchool = VPR_PER_SCHOOL;
  for (let i = 0; i < rows; i++) {
    const school = Math.floor(i / perSchool);
    const ability = rnd();
    const scores: number[] = [];
    let total = 0;
    for (let t = 1; t <= VPR_TASKS; t++) {
      const max = vprMax(t);
      const s = Math.min(max, Math.floor((ability * 0.6 + rnd() * 0.5) * (max + 1)));
      scores.push(s);
      total += s;
    }
    const journal = Math.min(5, Math.max(2, 2 + Math.floor(ability * 3.2 + rnd() * 1.2)));
    yield [
      `sch22${String(school).padStart(4, '0')}`,
      `МО ${1 + (school % 40)}`,
      i + 1,
      String(opts.schoolCodes ? 10001 + (i % perSchool) : 100000 + i),
      journal,
      rnd() < 0.5 ? 'м' : 'ж',
      `${VPR_GRADE}${['А', 'Б', 'В'][i % 3]}`,
      1 + (i % 2),
      total,
      ...scores,
      TEXTBOOKS[school % TEXTBOOKS.length]!,
    ];
  }
}

/** Writes the CSV (Windows-1251, `;`, CRLF) in batches; returns the byte size. */
export async function writeVprCsv(path: string, rows: number, opts: VprOptions = {}): Promise<number> {
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  let bytes = 0;
  let batch: string[] = [VPR_HEADERS.join(';')];
  const flush = async () => {
    const buf = iconv.encode(batch.join('\r\n') + '\r\n', 'win1251');
    bytes += buf.length;
    batch = [];
    if (!out.write(buf)) await once(out, 'drain');
  };
  for (const row of vprRows(rows, undefined, opts)) {
    batch.push(row.join(';'));
    if (batch.length >= 20000) await flush();
  }
  await flush();
  out.end();
  await once(out, 'finish');
  return bytes;
}

/** Writes the XLSX with ExcelJS's streaming writer (numbers as numbers, codes as text). */
export async function writeVprXlsx(path: string, rows: number): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true, useStyles: true });
  const ws = wb.addWorksheet('Результаты');
  ws.addRow(VPR_HEADERS).commit();
  for (const row of vprRows(rows)) ws.addRow(row).commit();
  ws.commit();
  await wb.commit();
}
