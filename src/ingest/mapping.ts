/**
 * A Mapping says how one loaded sheet becomes canonical rows. It is plain JSON so the UI can
 * edit it and a confirmed mapping can be stored and reused for the next file of the same
 * layout (same normalised non-task headers → same signature).
 */
import { CONTRACT, PROCEDURES, isCanonicalTable, type CanonicalTableName } from '../model/contract';
import type { RawSource } from './read/types';
import {
  CLASS_INDEX,
  MONITORING_INDEX,
  RESULT_INDEX,
  SCHOOL_INDEX,
  SUBJECT_STEMS,
  TASK_SPEC_INDEX,
  CONTRACT_SYNONYMS,
  isPersonalTitle,
  lookup,
  normalizeTitle,
  parseTaskTitle,
  type Field,
} from './synonyms';

export type LayoutId =
  | 'canonical'
  | 'vpr-regional'
  | 'vpr-protocol'
  | 'vpr-individual'
  | 'vpr-coded'
  | 'rcoi'
  | 'results'
  | 'vpr-classes'
  | 'kim-spec'
  | 'context'
  | 'monitoring-wide'
  | 'form'
  | 'unknown';

export const LAYOUT_TITLES: Record<LayoutId, string> = {
  canonical: 'Каноническая таблица',
  'vpr-regional': 'ВПР: региональная выгрузка (балл за N)',
  'vpr-protocol': 'ВПР: «Протокол»',
  'vpr-individual': 'ВПР: «Индивидуальные результаты»',
  'vpr-coded': 'ВПР: старая выгрузка с кодами',
  rcoi: 'РЦОИ: протокол ОГЭ/ЕГЭ',
  results: 'Результаты участников',
  'vpr-classes': 'ВПР: лист «Классы»',
  'kim-spec': 'Описание КИМ',
  context: 'Контекстные данные об ОО',
  'monitoring-wide': 'Мониторинг (широкая таблица)',
  form: 'Форма с заголовками столбцов по-русски',
  unknown: 'Не распознано',
};

/** Special column roles besides canonical column names. */
export const ROLE_TASK = 'task';
export const ROLE_PERSONAL = 'personal';
export const ROLE_IGNORE = 'ignore';
/** Kept as an extra column under its source title (or the role's English name). */
export const ROLE_EXTRA = 'extra';

export interface ColumnMapping {
  /** DuckDB column of the raw table. */
  column: string;
  /** Original header title. */
  header: string;
  /** Canonical column, importer role (`part1`, `gender`, `monitoring:<code>` …) or ROLE_*. */
  field: Field;
  /** For ROLE_TASK: the printed task number and its maximum if the title says it. */
  task?: string;
  max?: number | null;
  /** The task number is sequential (`балл за N`): relabelled to the printed number through `tasks`. */
  sequential?: boolean;
  /** Task level from the header row above the titles (Б / П / В). */
  level?: string | null;
}

export interface Constants {
  year?: number | null;
  procedure?: string | null;
  subject?: string | null;
  grade?: number | null;
  /** A school the whole sheet belongs to (the «Классы» sheet of a one-school protocol). */
  school_id?: string | null;
  /** From the title: «основной период» → false, «дополнительный период», «пересдача» → true. */
  retake?: boolean | null;
}

export interface Mapping {
  version: 1;
  signature: string;
  layout: LayoutId;
  target: CanonicalTableName;
  columns: ColumnMapping[];
  constants: Constants;
  /** 0..1: share of columns recognised, lowered when constants are missing. */
  confidence: number;
  /** The «Индивидуальные результаты» report has a school row per block to fill `school_id` down from. */
  schoolBlocks?: boolean;
  /** The school of the first block when its row was read as part of the header. */
  firstSchool?: string | null;
  confirmed?: boolean;
}

/** Where confirmed mappings live: IndexedDB in the browser, a JSON file or memory in Node. */
export interface MappingStore {
  get(signature: string): Promise<Mapping | null>;
  put(mapping: Mapping): Promise<void>;
}

export class MemoryMappingStore implements MappingStore {
  readonly map = new Map<string, Mapping>();
  async get(signature: string) {
    return this.map.get(signature) ?? null;
  }
  async put(mapping: Mapping) {
    this.map.set(mapping.signature, structuredClone(mapping));
  }
}

const fnv1a = (s: string): string => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
};

/** Layout signature: the normalised header list with task columns collapsed (tasks differ by subject). */
export function layoutSignature(headers: readonly string[]): string {
  const parts: string[] = [];
  for (const h of headers) {
    const p = parseTaskTitle(h) ? '#task' : normalizeTitle(h);
    if (parts[parts.length - 1] !== p || p !== '#task') parts.push(p);
  }
  return fnv1a(parts.join('\u001f'));
}

/** Year, procedure, subject and grade from a title line, a file name or a sheet name. */
export function constantsFromText(text: string): Constants {
  const c: Constants = {};
  const t = text.replace(/_/g, ' ');
  const year = /(?:^|\D)(20[1-3]\d)(?!\d)/.exec(t);
  if (year) c.year = Number(year[1]);
  const proc = /(ГВЭ[\s-]*(?:9|11)|ВПР|ОГЭ|ЕГЭ|НИКО|РДР|PISA)/i.exec(t);
  if (!proc && /функциональн\S*\s+грамотн|(?:^|[^А-Яа-яA-Za-z])ФГ(?:$|[^А-Яа-яA-Za-z])/i.test(t)) c.procedure = 'ФГ';
  if (proc) {
    const p = proc[1]!.toUpperCase().replace(/\s+/g, '');
    c.procedure = p.startsWith('ГВЭ') ? p.replace(/ГВЭ-?/, 'ГВЭ-') : p;
  }
  for (const [re, subject] of SUBJECT_STEMS) {
    if (re.test(t)) {
      c.subject = subject;
      break;
    }
  }
  const grade = /(?:^|\D)(1[01]|[4-9])\s*(?:-?\s*(?:й|го|ый|ой))?\s*(?:класс|кл\b|кл\.)/i.exec(t);
  if (grade) c.grade = Number(grade[1]);
  if (/основн\S*\s+(?:период|срок)/i.test(t)) c.retake = false;
  if (/дополнительн\S*\s+(?:период|срок)|резервн\S*\s+(?:день|срок)|пересдач/i.test(t)) c.retake = true;
  if (c.procedure === 'ЕГЭ' && c.grade == null) c.grade = 11;
  if ((c.procedure === 'ОГЭ' || c.procedure === 'ГВЭ-9') && c.grade == null) c.grade = 9;
  if (c.procedure === 'ЕГЭ' && c.subject === 'Математика' && /проф/i.test(t)) c.subject = 'Математика (профильная)';
  return c;
}

/** Constants proposed for a sheet: the title lines first, then the sheet name, then the file name. */
export function proposeConstants(raw: Pick<RawSource, 'file' | 'sheet' | 'titleLines'>): Constants {
  const sources = [...raw.titleLines, raw.sheet ?? '', raw.file.replace(/\.[a-z0-9]+$/i, '')];
  const out: Constants = {};
  for (const s of sources) {
    const c = constantsFromText(s);
    for (const k of ['year', 'procedure', 'subject', 'grade', 'retake'] as const) {
      if (out[k] == null && c[k] != null) (out as Record<string, unknown>)[k] = c[k];
    }
  }
  return out;
}

const LEVELS: Record<string, string> = { б: 'базовый', п: 'повышенный', в: 'высокий' };

export function normalizeLevel(s: string | null | undefined): string | null {
  if (!s) return null;
  const n = normalizeTitle(s);
  if (LEVELS[n]) return LEVELS[n]!;
  for (const l of ['базовый', 'повышенный', 'высокий']) if (n.startsWith(l.slice(0, 4))) return l;
  return null;
}

function mapWith(raw: RawSource, index: Map<string, Field>): ColumnMapping[] {
  const used = new Set<string>();
  return raw.columns.map((column, i) => {
    const header = raw.headers[i] ?? column;
    if (isPersonalTitle(header)) return { column, header, field: ROLE_PERSONAL };
    const f = lookup(index, header);
    if (f && !used.has(f)) {
      used.add(f);
      return { column, header, field: f };
    }
    return { column, header, field: ROLE_EXTRA };
  });
}

function taskLevels(raw: RawSource, i: number): string | null {
  for (const row of raw.headerRows) {
    const l = normalizeLevel(row[i]);
    if (l) return l;
  }
  return null;
}

const tableFromName = (raw: RawSource): CanonicalTableName | null => {
  for (const s of [raw.sheet ?? '', raw.file.replace(/^.*[\\/]/, '').replace(/\.[a-z0-9]+$/i, '')]) {
    if (isCanonicalTable(s)) return s;
  }
  return null;
};

const SCHOOL_ROW = /Кол-во участников|Количество участников/i;

/**
 * Header titles to map by. The «Индивидуальные результаты» report's first school row
 * («<name> (eduNNNNNN) | Кол-во участников: N») can look like a header row to the reader; then
 * the real title is the header row above it, and that school opens the first block.
 */
export function effectiveHeaders(raw: Pick<RawSource, 'headers' | 'headerRows' | 'columns'>): { headers: string[]; firstSchool: string | null } {
  const headers = raw.columns.map((column, i) => raw.headers[i] ?? column);
  if (!headers.some((h) => SCHOOL_ROW.test(h))) return { headers, firstSchool: null };
  const joined = headers.join(' ');
  const firstSchool = /\(([A-Za-zА-Яа-я]*\d+)\)/.exec(joined)?.[1] ?? null;
  const real = [...raw.headerRows].reverse().find((row) => row.some((c) => c?.trim()) && !row.some((c) => SCHOOL_ROW.test(c ?? '')));
  return { headers: headers.map((h, i) => real?.[i]?.trim() || h), firstSchool };
}

/** Proposes a mapping for one sheet. `context.known` is the stored mapping for its signature, if any. */
export function proposeMapping(source: RawSource, context: { known?: Mapping | null } = {}): Mapping {
  const eff = effectiveHeaders(source);
  const raw: RawSource = { ...source, headers: eff.headers };
  const signature = layoutSignature(raw.headers);
  const proposedConstants = proposeConstants(raw);
  if (context.known) {
    const reused = reuseMapping(raw, context.known, proposedConstants);
    if (eff.firstSchool) reused.firstSchool = eff.firstSchool;
    return reused;
  }

  const norm = raw.headers.map(normalizeTitle);
  const has = (...titles: string[]) => titles.some((t) => norm.includes(normalizeTitle(t)));
  const base = { version: 1 as const, signature, constants: proposedConstants };

  // A canonical file (`schools.csv`, sheet `assessment_results`) or a sheet whose headers are a contract table's columns.
  const byName = tableFromName(raw);
  const contractMatch = byName ?? bestContractTable(norm);
  if (contractMatch) {
    const names = new Set(CONTRACT[contractMatch].columns.map((c) => c.name));
    const columns = raw.columns.map((column, i): ColumnMapping => {
      const header = raw.headers[i] ?? column;
      if (names.has(header)) return { column, header, field: header };
      const task = contractMatch === 'assessment_results' ? parseTaskTitle(header) : null;
      if (task) return { column, header, field: ROLE_TASK, task: task.task, max: task.max };
      return { column, header, field: isPersonalTitle(header) ? ROLE_PERSONAL : ROLE_EXTRA };
    });
    return { ...base, layout: 'canonical', target: contractMatch, columns, confidence: share(columns) };
  }

  const taskCols = raw.headers.map((h) => parseTaskTitle(h));
  const nTasks = taskCols.filter(Boolean).length;
  const results = mapWith(raw, RESULT_INDEX);
  const fields = new Set(results.map((c) => c.field));
  const isResults =
    (nTasks >= 2 || fields.has('part1') || fields.has('part2')) &&
    (fields.has('primary_score') || fields.has('student_id') || fields.has('variant'));
  if (isResults) {
    const columns = results.map((c, i): ColumnMapping => {
      const t = taskCols[i];
      if (t && (c.field === ROLE_EXTRA || /^\d/.test(c.header.trim()) || /^балл за|^a-/i.test(c.header.trim())))
        return { column: c.column, header: c.header, field: ROLE_TASK, task: t.task, max: t.max, level: taskLevels(raw, i), ...(t.sequential ? { sequential: true } : {}) };
      return c;
    });
    const layout: LayoutId = fields.has('part1') || fields.has('part2')
      ? 'rcoi'
      : has('балл за 1') || norm.some((n) => n.startsWith('балл за '))
        ? 'vpr-regional'
        : norm.some((n) => /^a \d+ grade$/.test(n))
          ? 'vpr-coded'
          : has('первичный балл') && has('оо')
            ? 'vpr-individual'
            : has('итого баллов') || has('пользователь')
              ? 'vpr-protocol'
              : 'results';
    if (layout === 'vpr-coded') {
      // The coded dump: `user` is the school login, `code` the participant, `otc` the journal mark.
      for (const c of columns) if (normalizeTitle(c.header) === 'user') c.field = 'school_id';
    }
    if (layout === 'rcoi' || layout === 'vpr-regional' || layout === 'vpr-protocol' || layout === 'vpr-coded' || layout === 'vpr-individual') {
      if (!proposedConstants.procedure && layout.startsWith('vpr')) proposedConstants.procedure = 'ВПР';
    }
    // `Регион` holds the municipality in the regional export, but not next to a `Муниципалитет` column.
    const region = columns.find((c) => c.field === 'municipality' && normalizeTitle(c.header) === 'регион');
    const muni = columns.find((c) => normalizeTitle(c.header) === 'муниципалитет');
    if (region && muni) {
      region.field = ROLE_EXTRA;
      muni.field = 'municipality';
    }
    // «Протокол»: `Пользователь` is the school's login, `Школа` (`edu… | name`) also carries its name.
    const schoolCol = columns.find((c) => normalizeTitle(c.header) === 'школа' && c.field !== 'school_id');
    if (schoolCol && !columns.some((c) => c.field === 'school_name')) schoolCol.field = 'school_name';
    const scoreOrMark = columns.find((c) => c.field === 'score_or_mark');
    if (scoreOrMark && columns.some((c) => c.field === 'mark')) scoreOrMark.field = proposedConstants.procedure === 'ЕГЭ' ? 'test_score' : ROLE_EXTRA;
    if (scoreOrMark?.field === 'score_or_mark') scoreOrMark.field = proposedConstants.procedure === 'ЕГЭ' ? 'test_score' : 'mark';
    const proc = proposedConstants.procedure;
    if (proposedConstants.retake == null && (proc === 'ВПР' || proc === 'ФГ' || proc === 'НИКО' || proc === 'РДР')) proposedConstants.retake = false;
    const mapping: Mapping = { ...base, layout, target: 'assessment_results', columns, confidence: 0 };
    if (layout === 'vpr-individual' || eff.firstSchool) mapping.schoolBlocks = true;
    if (eff.firstSchool) mapping.firstSchool = eff.firstSchool;
    mapping.confidence = confidenceOf(mapping);
    return mapping;
  }

  const spec = mapWith(raw, TASK_SPEC_INDEX);
  const specFields = new Set(spec.map((c) => c.field));
  if (specFields.has('max_score') && (specFields.has('task') || specFields.has('seq'))) {
    const m: Mapping = { ...base, layout: 'kim-spec', target: 'tasks', columns: spec, confidence: 0 };
    m.confidence = confidenceOf(m);
    return m;
  }

  const classes = mapWith(raw, CLASS_INDEX);
  const classFields = new Set(classes.map((c) => c.field));
  if (classFields.has('class') && classFields.has('textbook') && !classFields.has('teacher_id') && !fields.has('primary_score')) {
    const m: Mapping = { ...base, layout: 'vpr-classes', target: 'class_teaching', columns: classes, confidence: 0 };
    m.confidence = confidenceOf(m);
    return m;
  }

  const school = mapWith(raw, SCHOOL_INDEX).map((c): ColumnMapping => {
    if (c.field !== ROLE_EXTRA) return c;
    const code = lookup(MONITORING_INDEX, c.header);
    return code ? { ...c, field: `monitoring:${code}` } : c;
  });
  const schoolFields = school.map((c) => c.field);
  const contextish =
    schoolFields.includes('settlement_type') ||
    schoolFields.includes('school_type') ||
    schoolFields.some((f) => f.startsWith('monitoring:'));
  if (schoolFields.includes('school_id') && contextish) {
    const m: Mapping = { ...base, layout: 'context', target: 'schools', columns: school, confidence: 0 };
    m.confidence = confidenceOf(m);
    return m;
  }

  // A form whose headers are the contract's Russian titles (staff, activities, achievements, graduates, scales, teaching).
  const form = bestForm(raw);
  if (form) {
    const m: Mapping = { ...base, layout: 'form', target: form.table, columns: form.columns, confidence: 0 };
    m.confidence = confidenceOf(m);
    return m;
  }

  // A municipality-level sheet: every column an indicator code.
  const codes = raw.headers.filter((h) => h.trim());
  if (codes.length && codes.every((h) => /^[a-z][a-z0-9_]*$/.test(h.trim()))) {
    const columns = raw.columns.map((column, i): ColumnMapping => ({ column, header: raw.headers[i] ?? column, field: `monitoring:${(raw.headers[i] ?? column).trim()}` }));
    return { ...base, layout: 'monitoring-wide', target: 'monitoring', columns, confidence: 0.8 };
  }

  // A wide monitoring sheet: a school column and value columns named by indicator code or form title.
  if (schoolFields.includes('school_id')) {
    const columns = school.map((c): ColumnMapping => {
      if (c.field === 'school_id' || c.field === 'year' || c.field === ROLE_PERSONAL) return c;
      if (c.field.startsWith('monitoring:')) return c;
      const n = c.header.trim();
      return { ...c, field: `monitoring:${/^[a-z][a-z0-9_]*$/.test(n) ? n : normalizeTitle(n).replace(/ /g, '_')}` };
    });
    const m: Mapping = { ...base, layout: 'monitoring-wide', target: 'monitoring', columns, confidence: 0 };
    m.confidence = confidenceOf(m) * 0.8;
    return m;
  }

  const columns = raw.columns.map((column, i): ColumnMapping => ({ column, header: raw.headers[i] ?? column, field: ROLE_IGNORE }));
  return { ...base, layout: 'unknown', target: 'assessment_results', columns, confidence: 0 };
}

const FORM_TABLES: CanonicalTableName[] = ['staff', 'staff_activities', 'achievements', 'graduates', 'class_teaching', 'thresholds', 'tasks', 'schools', 'monitoring'];

function formIndex(table: CanonicalTableName): Map<string, Field> {
  const m = new Map<string, Field>();
  const add = (title: string, field: string) => {
    const n = normalizeTitle(title);
    if (n && !m.has(n)) m.set(n, field);
  };
  for (const c of CONTRACT[table].columns) {
    add(c.name, c.name);
    add(c.title, c.name);
    add(c.title.replace(/\(.*?\)/g, ''), c.name);
  }
  for (const c of CONTRACT[table].columns) for (const t of CONTRACT_SYNONYMS[c.name] ?? []) add(t, c.name);
  return m;
}

/** The canonical table whose column titles a sheet uses, when most of its columns are recognised. */
function bestForm(raw: RawSource): { table: CanonicalTableName; columns: ColumnMapping[] } | null {
  let best: { table: CanonicalTableName; columns: ColumnMapping[]; hits: number } | null = null;
  for (const table of FORM_TABLES) {
    const index = formIndex(table);
    const used = new Set<string>();
    const columns = raw.columns.map((column, i): ColumnMapping => {
      const header = raw.headers[i] ?? column;
      if (isPersonalTitle(header)) return { column, header, field: ROLE_PERSONAL };
      const f = index.get(normalizeTitle(header));
      if (f && !used.has(f)) {
        used.add(f);
        return { column, header, field: f };
      }
      return { column, header, field: ROLE_EXTRA };
    });
    const considered = columns.filter((c) => c.field !== ROLE_PERSONAL).length;
    const hits = used.size;
    const keys = CONTRACT[table].key.filter((k) => k !== 'year' && !(table === 'thresholds' && k === 'grade'));
    const keysOk = keys.every((k) => used.has(k) || (k === 'student_id' && columns.some((c) => c.field === ROLE_PERSONAL)));
    if (keysOk && hits >= 3 && hits / Math.max(1, considered) >= 0.6 && (!best || hits > best.hits)) best = { table, columns, hits };
  }
  return best;
}

function bestContractTable(norm: string[]): CanonicalTableName | null {
  let best: [number, CanonicalTableName] | null = null;
  for (const def of Object.values(CONTRACT)) {
    const names = def.columns.map((c) => c.name);
    const hit = names.filter((n) => norm.includes(n)).length;
    // Every contract key column present and most of the columns: this is that table.
    if (def.key.every((k) => norm.includes(k)) && hit / names.length >= 0.6 && (!best || hit > best[0])) best = [hit, def.name];
  }
  return best?.[1] ?? null;
}

const share = (columns: ColumnMapping[]) =>
  columns.length ? columns.filter((c) => c.field !== ROLE_EXTRA && c.field !== ROLE_IGNORE).length / columns.length : 0;

function confidenceOf(m: Mapping): number {
  let conf = 0.5 + 0.5 * share(m.columns);
  if (m.target === 'assessment_results' || m.target === 'tasks') {
    const missing = (['year', 'procedure', 'subject', 'grade'] as const).filter(
      (k) => m.constants[k] == null && !m.columns.some((c) => c.field === k),
    );
    conf -= 0.1 * missing.length;
  }
  return Math.max(0, Math.min(1, Math.round(conf * 100) / 100));
}

/** A stored mapping applied to a new file of the same layout: columns by title, constants re-read from the new file. */
function reuseMapping(raw: RawSource, known: Mapping, proposed: Constants): Mapping {
  const byHeader = new Map(known.columns.map((c) => [normalizeTitle(c.header), c]));
  const columns = raw.columns.map((column, i): ColumnMapping => {
    const header = raw.headers[i] ?? column;
    const task = parseTaskTitle(header);
    const prev = byHeader.get(normalizeTitle(header));
    if (prev && prev.field !== ROLE_TASK) return { ...prev, column, header };
    if (task && (prev?.field === ROLE_TASK || known.columns.some((c) => c.field === ROLE_TASK)))
      return { column, header, field: ROLE_TASK, task: task.task, max: task.max, level: taskLevels(raw, i), ...(task.sequential ? { sequential: true } : {}) };
    return { column, header, field: isPersonalTitle(header) ? ROLE_PERSONAL : ROLE_EXTRA };
  });
  const constants: Constants = { ...known.constants };
  for (const k of ['year', 'procedure', 'subject', 'grade', 'retake'] as const) if (proposed[k] != null) (constants as Record<string, unknown>)[k] = proposed[k];
  return { ...known, signature: layoutSignature(raw.headers), columns, constants, confidence: 1, confirmed: true };
}

export const isProcedure = (p: string): boolean => (PROCEDURES as readonly string[]).includes(p);
