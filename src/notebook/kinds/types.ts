/** The record every cell kind provides, and what the runtime offers to evaluate a cell. */
import type { Table } from 'apache-arrow';
import type { Param } from '../../db/connector';
import type { CancellableConnector } from '../runtime';
import type { CellAnalysis } from '../analyze';
import type { CellData, CellKind, CellResult, ParamDef, ParamValue } from '../model';
import type { TsRunner, TsSql } from '../ts-api';

export interface Unit {
  id: string;
  kind: CellKind;
  name?: string;
  cell?: CellData;
  def?: ParamDef;
  analysis: CellAnalysis;
  /** Ids of the units this one reads. */
  deps: string[];
  /** Static error (cycle, unknown name, syntax): the unit cannot run. */
  error?: string;
}

export interface Evaluated {
  result: CellResult;
  value: unknown;
}

/** What the runtime lends a cell kind while it evaluates one unit. */
export interface EvalContext {
  conn: CancellableConnector;
  /** `$name` → bound positional parameters; throws on an unknown parameter. */
  bind(sql: string): { sql: string; params: Param[] };
  /** A unit's value by its (case-sensitive) name, as another cell reads it. */
  valueByName(name: string): unknown;
  /** Names of the units `unit` reads (passed to a TS cell as arguments). */
  depNames(unit: Unit): string[];
  /** Every named unit's value, keyed by name (tables as their Arrow table). */
  namedValues(): { values: Record<string, unknown>; params: Record<string, unknown> };
  /** The value chosen by the user for a parameter. */
  chosen(name: string): ParamValue | undefined;
  /** `${…}` in Markdown → escaped, formatted text. */
  interpolate(source: string): string;
  tsRunner: TsRunner | null;
  tsRefusal: string;
  tsSql: TsSql;
  /** Throws once the run was cancelled. */
  check(): void;
}

export interface CellKindDef {
  kind: CellKind;
  /** Russian label in the cell bar and the «add cell» buttons. */
  label: string;
  /** Source of a new cell of this kind. */
  newSource: string;
  /** New cells get a name `<prefix><n>` (kinds whose result others read by name). */
  namePrefix?: string;
  /** The cell bar shows an editable name. */
  named: boolean;
  /** Monaco language of the source. */
  language: string;
  /** Whether a finished run leaves a table in the engine (lost when the engine restarts). */
  materialises: boolean;
  /** Language of the source block in a report with code shown; none: the source is the text itself. */
  reportCode?: string;
  analyse(cell: CellData): CellAnalysis;
  evaluate(unit: Unit, ctx: EvalContext): Promise<Evaluated>;
}

export type { Table };
