/**
 * The Mapping model (plain JSON the dialog edits and the store keeps) and the layout record.
 * A layout is one file under src/ingest/layouts/: how it is recognised (a score) and how it maps.
 */
import type { CanonicalTableName } from '../../model/contract';
import type { RawSource } from '../read/types';
import type { Field } from '../synonyms';

/** A layout's id (`vpr-protocol`, `kim-spec` …; `unknown` when nothing scored). */
export type LayoutId = string;

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

/** What a layout sees of a sheet: effective headers (normalised too), title lines, names, constants. */
export interface LayoutInput {
  raw: RawSource;
  headers: string[];
  /** `normalizeTitle` of each header. */
  norm: string[];
  titleLines: string[];
  sheet: string | null;
  /** Year, procedure, subject, grade, retake read from the title lines, sheet and file names (a copy per layout). */
  constants: Constants;
  signature: string;
  /** The «Индивидуальные результаты» report's first school when its row was read as a header. */
  firstSchool: string | null;
}

export interface Layout {
  id: LayoutId;
  /** Russian title shown in the dialog and the summary. */
  title: string;
  /** 0 = not this layout; the highest score over all layouts wins. */
  recognise(input: LayoutInput): number;
  map(input: LayoutInput): Mapping;
}
