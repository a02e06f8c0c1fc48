/**
 * An independent count of the real-like folder, straight from the raw files with its own minimal
 * parsing (no src/ingest code): per result file, participants keyed by (school, code), the absent
 * ones, the scored ones (official total within 0…max) and their mean official total; per
 * participant the textbook, per school the questionnaire's settlement type.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import iconv from 'iconv-lite';
import * as XLSX from 'xlsx';

export type Grid = string[][];

export interface Row {
  school: string;
  code: string;
  cls: string;
  absent: boolean;
  total: number | null;
  textbook: string | null;
}

export interface FileCount {
  file: string;
  year: number;
  subject: string;
  grade: number;
  max: number;
  rows: Row[];
  keys: number;
  absent: number;
  scored: number;
  outOfRange: number;
  mean: number;
  schools: Set<string>;
}

const SUBJECTS: Array<[RegExp, string]> = [
  [/Русск/, 'Русский язык'],
  [/Математик/, 'Математика'],
  [/Окружающ/, 'Окружающий мир'],
  [/Истори/, 'История'],
  [/Биологи/, 'Биология'],
  [/Физик/, 'Физика'],
  [/Хими/, 'Химия'],
  [/Географи/, 'География'],
  [/Английск/, 'Английский язык'],
];

export function workOf(name: string): { year: number; subject: string; grade: number } {
  const year = Number(/20\d\d/.exec(name)![0]);
  const grade = Number(/(\d+) класс/.exec(name)![1]);
  const subject = SUBJECTS.find(([re]) => re.test(name))![1];
  return { year, subject, grade };
}

function splitLine(line: string, sep: string): string[] {
  const out: string[] = [];
  let cell = '', quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) out.push(cell), (cell = '');
    else cell += ch;
  }
  out.push(cell);
  return out;
}

export function readCsv(bytes: Buffer): Grid {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    text = iconv.decode(bytes, 'win1251');
  }
  const lines = text.split(/\r?\n/).filter((l) => l.length);
  const sep = lines[0]!.split(';').length > lines[0]!.split(',').length ? ';' : ',';
  return lines.map((l) => splitLine(l, sep));
}

export function readSheets(bytes: Buffer): Map<string, Grid> {
  const wb = XLSX.read(bytes, { type: 'buffer' });
  const out = new Map<string, Grid>();
  for (const name of wb.SheetNames) {
    const aoa = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[name]!, { header: 1, raw: false, defval: '' });
    out.set(name, aoa.map((r) => r.map((v) => String(v ?? ''))));
  }
  return out;
}

const col = (header: string[], ...titles: string[]) => header.findIndex((h) => titles.includes(h.trim()));

/** Task maxima of a КИМ description: one maximum per distinct `№`, however many КЭС × КТ rows. */
export function kimMax(grid: Grid): { max: number; tasks: number; rows: number } {
  const h = grid.findIndex((r) => r.includes('№'));
  const header = grid[h]!;
  const n = col(header, '№'), m = col(header, 'Максимальный балл');
  const byTask = new Map<string, number>();
  let rows = 0;
  for (const r of grid.slice(h + 1)) {
    if (!r[n]) continue;
    rows++;
    byTask.set(r[n]!, Number(r[m]));
  }
  return { max: [...byTask.values()].reduce((a, b) => a + b, 0), tasks: byTask.size, rows };
}

const number = (s: string | undefined): number | null => (s === undefined || s.trim() === '' || Number.isNaN(Number(s.replace(',', '.'))) ? null : Number(s.replace(',', '.')));

/** One result file: the sheet with the participants (and «Классы» for textbooks in the Протокол). */
export function countResultFile(path: string, kimMaxOf: (name: string) => number): FileCount {
  const file = basename(path);
  const bytes = readFileSync(path);
  let grid: Grid;
  let classes: Grid | null = null;
  if (file.endsWith('.csv')) grid = readCsv(bytes);
  else {
    const sheets = readSheets(bytes);
    grid = sheets.get('Протокол') ?? [...sheets.values()][0]!;
    classes = sheets.get('Классы') ?? null;
  }
  const header = grid[0]!;
  const school = col(header, 'логин школы', 'user', 'Пользователь');
  const code = col(header, 'код обучающегося', 'code', 'Код');
  const variant = col(header, 'вариант', 'var-1', 'Вариант');
  const total = col(header, 'всего баллов', 'sum', 'Итого баллов');
  const cls = col(header, 'класс', 'klass', 'Наименование класса');
  const book = col(header, 'Учебник');
  const maxima = header.map((h) => /\((\d+)б\)\s*$/.exec(h)).filter(Boolean).map((m) => Number(m![1]));
  const work = workOf(file);
  const max = maxima.length ? maxima.reduce((a, b) => a + b, 0) : kimMaxOf(file);
  const bookByClass = new Map<string, string>();
  if (classes) {
    const ch = classes[0]!;
    const [u, letter, main, author, title] = ['Пользователь', 'Буква (цифра) класса', 'Основной учебник по предмету', 'Другое (автор учебника)', 'Другое (название учебника)'].map((t) => col(ch, t));
    for (const r of classes.slice(1)) bookByClass.set(`${r[u!]}|${r[letter!]!.toUpperCase()}`, r[main!] === 'Другое' ? `${r[author!]} ${r[title!]}` : r[main!]!);
  }
  const rows: Row[] = [];
  for (const r of grid.slice(1)) {
    if (!r[code]?.trim()) continue;
    const s = r[school]!.replace(/^[a-zа-я]+/i, '');
    const c = r[cls] ?? '';
    let textbook: string | null = null;
    if (book >= 0) textbook = r[book] === 'Другое' ? `${r[book + 1]} ${r[book + 2]}` : r[book] || null;
    else if (classes) textbook = bookByClass.get(`${r[school]}|${c.slice(-1).toUpperCase()}`) || null;
    rows.push({ school: s, code: r[code]!.trim(), cls: c, absent: /^отсутствовал/i.test(r[variant]?.trim() ?? ''), total: number(r[total]), textbook });
  }
  const scored = rows.filter((r) => !r.absent && r.total !== null && r.total >= 0 && r.total <= max);
  return {
    file,
    ...work,
    max,
    rows,
    keys: new Set(rows.map((r) => `${r.school}|${r.code}`)).size,
    absent: rows.filter((r) => r.absent).length,
    scored: scored.length,
    outOfRange: rows.filter((r) => !r.absent && r.total !== null && (r.total < 0 || r.total > max)).length,
    mean: scored.reduce((a, r) => a + r.total!, 0) / scored.length,
    schools: new Set(rows.map((r) => r.school)),
  };
}

function walk(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
}

const SETTLEMENT: Record<string, string> = { столица: 'город', город: 'город', пгт: 'пгт', село: 'село' };

/** Every result file counted, plus КИМ shapes and each year's settlement type per surveyed school. */
export function countFolder(dir: string) {
  const all = walk(dir);
  const kims = new Map<string, ReturnType<typeof kimMax>>();
  for (const p of all.filter((f) => basename(f).startsWith('Описание КИМ'))) {
    const w = workOf(basename(p));
    kims.set(`${w.year}|${w.subject}|${w.grade}`, kimMax([...readSheets(readFileSync(p)).values()][0]!));
  }
  const kimMaxOf = (name: string) => {
    const w = workOf(name);
    return kims.get(`${w.year}|${w.subject}|${w.grade}`)!.max;
  };
  const files = all.filter((f) => basename(dirname(f)).startsWith('ВПР')).map((f) => countResultFile(f, kimMaxOf));
  const settlement = new Map<string, string>();
  for (const p of all.filter((f) => basename(f).startsWith('Сбор контекстных'))) {
    const year = workOfYear(basename(p));
    const grid = [...readSheets(readFileSync(p)).values()][0]!;
    const h = grid[0]!;
    const id = col(h, 'Логин ОО', 'Пользователь');
    const where = h.findIndex((t) => t.includes('Где расположена'));
    for (const r of grid.slice(1)) settlement.set(`${year}|${r[id]!.replace(/^[a-z]+/i, '')}`, SETTLEMENT[r[where]!.toLowerCase()]!);
  }
  return { files, kims, settlement };
}

const workOfYear = (name: string) => Number(/20\d\d/.exec(name)![0]);
const dirname = (p: string) => p.slice(0, p.lastIndexOf('/'));
