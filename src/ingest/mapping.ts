/**
 * A Mapping says how one loaded sheet becomes canonical rows. It is plain JSON so the UI can
 * edit it and a confirmed mapping can be stored and reused for the next file of the same
 * layout (same normalised non-task headers → same signature).
 */
import { PROCEDURES } from '../model/contract';
import type { RawSource } from './read/types';
import { SUBJECT_STEMS, isPersonalTitle, normalizeTitle, parseTaskTitle } from './synonyms';
import { chooseLayout } from './layouts/index';
import { lastTitled, taskLevel } from './layouts/common';
import { ROLE_EXTRA, ROLE_IGNORE, ROLE_PERSONAL, ROLE_TASK, type ColumnMapping, type Constants, type LayoutInput, type Mapping } from './layouts/types';

export { LAYOUT_TITLES, LAYOUTS, scoreLayouts } from './layouts/index';
export { ROLE_EXTRA, ROLE_IGNORE, ROLE_PERSONAL, ROLE_TASK } from './layouts/types';
export type { ColumnMapping, Constants, Layout, LayoutId, LayoutInput, Mapping } from './layouts/types';
export { normalizeLevel } from './layouts/common';

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
  // Spilled values open untitled columns past the last title: the layout is the same.
  for (const h of headers.slice(0, lastTitled([...headers]) + 1)) {
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

/** Proposes a mapping for one sheet: the best-scoring layout of the registry. `context.known` is the stored mapping for its signature, if any. */
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
  const input: LayoutInput = {
    raw,
    headers: raw.headers,
    norm: raw.headers.map(normalizeTitle),
    titleLines: raw.titleLines,
    sheet: raw.sheet,
    constants: proposedConstants,
    signature,
    firstSchool: eff.firstSchool,
  };
  const layout = chooseLayout(input);
  if (layout) return layout.map({ ...input, constants: { ...proposedConstants } });
  const columns = raw.columns.map((column, i): ColumnMapping => ({ column, header: raw.headers[i] ?? column, field: ROLE_IGNORE }));
  return { version: 1, signature, constants: proposedConstants, layout: 'unknown', target: 'assessment_results', columns, confidence: 0 };
}

/** A stored mapping applied to a new file of the same layout: columns by title, constants re-read from the new file. */
function reuseMapping(raw: RawSource, known: Mapping, proposed: Constants): Mapping {
  const byHeader = new Map(known.columns.map((c) => [normalizeTitle(c.header), c]));
  const last = lastTitled(raw.headers);
  const columns = raw.columns.map((column, i): ColumnMapping => {
    const header = raw.headers[i] ?? column;
    // Untitled columns past the last title hold spilled values: listed by validation, never stored.
    if (i > last && !header.trim()) return { column, header, field: ROLE_IGNORE };
    const task = parseTaskTitle(header);
    const prev = byHeader.get(normalizeTitle(header));
    if (prev && prev.field !== ROLE_TASK) return { ...prev, column, header };
    if (task && (prev?.field === ROLE_TASK || known.columns.some((c) => c.field === ROLE_TASK)))
      return { column, header, field: ROLE_TASK, task: task.task, max: task.max, level: taskLevel({ raw }, i), ...(task.sequential ? { sequential: true } : {}) };
    return { column, header, field: isPersonalTitle(header) ? ROLE_PERSONAL : ROLE_EXTRA };
  });
  const constants: Constants = { ...known.constants };
  for (const k of ['year', 'procedure', 'subject', 'grade', 'retake'] as const) if (proposed[k] != null) (constants as Record<string, unknown>)[k] = proposed[k];
  return { ...known, signature: layoutSignature(raw.headers), columns, constants, confidence: 1, confirmed: true };
}

export const isProcedure = (p: string): boolean => (PROCEDURES as readonly string[]).includes(p);
