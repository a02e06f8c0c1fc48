/** What the per-participant result layouts share: column roles by RESULT_SYNONYMS plus task columns. */
import { RESULT_INDEX, normalizeTitle } from '../synonyms';
import { mapWith, mappingOf, taskColumn } from './common';
import { ROLE_EXTRA, type ColumnMapping, type LayoutInput, type Mapping } from './types';

export interface ResultColumns {
  columns: ColumnMapping[];
  fields: Set<string>;
  nTasks: number;
  /** Task columns (or answer strings) and a participant, total or variant: a results sheet. */
  isResults: boolean;
}

const cache = new WeakMap<LayoutInput, ResultColumns>();

export function resultColumns(input: LayoutInput): ResultColumns {
  const hit = cache.get(input);
  if (hit) return hit;
  const base = mapWith(input, RESULT_INDEX);
  const fields = new Set(base.map((c) => c.field));
  let nTasks = 0;
  const columns = base.map((c, i) => {
    const t = taskColumn(input, i);
    const h = c.header.trim();
    if (t && (c.field === ROLE_EXTRA || /^\d/.test(h) || /^балл за|^a-/i.test(h))) {
      nTasks++;
      return t;
    }
    return c;
  });
  const isResults = (nTasks >= 2 || fields.has('part1') || fields.has('part2')) && (fields.has('primary_score') || fields.has('student_id') || fields.has('variant'));
  const out = { columns, fields, nTasks, isResults };
  cache.set(input, out);
  return out;
}

/** Fix-ups every result layout applies, then the Mapping. */
export function resultsMapping(input: LayoutInput, layout: string, fix?: (columns: ColumnMapping[]) => void): Mapping {
  const columns = resultColumns(input).columns.map((c) => ({ ...c }));
  const constants = { ...input.constants };
  if (!constants.procedure && layout.startsWith('vpr')) constants.procedure = 'ВПР';
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
  if (scoreOrMark && columns.some((c) => c.field === 'mark')) scoreOrMark.field = constants.procedure === 'ЕГЭ' ? 'test_score' : ROLE_EXTRA;
  if (scoreOrMark?.field === 'score_or_mark') scoreOrMark.field = constants.procedure === 'ЕГЭ' ? 'test_score' : 'mark';
  const proc = constants.procedure;
  if (constants.retake == null && (proc === 'ВПР' || proc === 'ФГ' || proc === 'НИКО' || proc === 'РДР')) constants.retake = false;
  fix?.(columns);
  const extra: Partial<Mapping> = {};
  if (layout === 'vpr-individual' || input.firstSchool) extra.schoolBlocks = true;
  if (input.firstSchool) extra.firstSchool = input.firstSchool;
  return mappingOf({ ...input, constants }, layout, 'assessment_results', columns, extra);
}
