import type { Connector, TableInfo } from '../db/connector';
import type { CanonicalTableName } from '../model/contract';
import type { RunStage } from './stage';

export const DIRECTIONS = ['PREP', 'GIA', 'LOW', 'OBJ', 'TAL', 'CAR', 'MGR', 'PED', 'UPB', 'PRE'] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** One row of the indicator table of data-contract.md (column names verbatim). */
export interface IndicatorRow {
  indicator_id: string;
  year: number | null;
  procedure: string | null;
  subject: string | null;
  grade: number | null;
  school_id: string | null;
  dimension: string | null;
  dimension_value: string | null;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
}

/** Notebook-level parameters of the indicator formulas; defaults in DEFAULT_PARAMS. */
export interface IndicatorParams {
  includeRetakes: boolean;
  youngTeacherYears: number;
  /** LOW-01: number of consecutive years, worst quantile, sd distance. */
  lowYears: number;
  lowQuantile: number;
  lowSd: number;
  /** Groups smaller than this are marked unreliable and kept out of rankings. */
  minGroupSize: number;
  /** MGR-08 group weights, by group key. */
  managerWeights: Record<string, number>;
  /** Number of clusters for the school clustering. */
  clusters: number;
  /** LOW-02: schools whose social_index is in this bottom quantile are ШФНСУ. */
  lowSocialQuantile: number;
  /** OBJ-07: procedures whose works are checked for objectivity (the federal rule names ВПР and ОГЭ). */
  objProcedures: string[];
  /** Significance level of the tests that raise flags. */
  alpha: number;
}

export const DEFAULT_PARAMS: IndicatorParams = {
  includeRetakes: false,
  youngTeacherYears: 3,
  lowYears: 2,
  lowQuantile: 0.25,
  lowSd: 1.0,
  minGroupSize: 10,
  managerWeights: {},
  clusters: 4,
  lowSocialQuantile: 0.25,
  objProcedures: ['ВПР', 'ОГЭ'],
  alpha: 0.05,
};

export interface IndicatorContext {
  conn: Connector;
  params: IndicatorParams;
  /** Tables present in the database (canonical names), with their columns. */
  tables: TableInfo[];
  /**
   * The table this run writes (default `indicators`): rows of indicators computed earlier in the
   * run are read from it (`computedRows`, `indicatorsTableSql`). The runner uses a staging table.
   */
  table?: string;
  /** Intermediate tables shared by the indicators of one run (stage.ts); absent outside a run. */
  stage?: RunStage;
  /** The run's `resultsSql` rows as tables, by whether retakes are included (stage.ts, `stageResults`). */
  stagedResults?: Map<boolean, string>;
  /**
   * The run's stages are plain tables of the database, not temporary ones: indicators run side by
   * side on two connections (run.ts), and a temporary table is seen by its own connection only.
   */
  sharedStages?: boolean;
}

export interface IndicatorDef {
  id: string;
  direction: Direction;
  /** Russian title, as in indicators.md. */
  title: string;
  /** Inputs the formula needs: table → columns. Missing ones are reported, not failed on. */
  reads: Partial<Record<CanonicalTableName, string[]>>;
  /** Monitoring codes the formula needs (checked for presence in `monitoring.code`). */
  monitoringCodes?: string[];
  /**
   * Indicators whose rows this one reads from the materialised `indicators` table
   * (the runner computes them first). Optional; additive to the original interface.
   */
  dependsOn?: string[];
  /**
   * Computed on a second connection beside the others where the engine offers one (native DuckDB,
   * small data: run.ts). For a long computation that no other indicator's cached work shares.
   */
  sideBySide?: boolean;
  /**
   * Its values come row by row from the rows of `dependsOn` (a join, no sum over them), so rows of
   * other indicators written meanwhile change nothing. A reader without it sees the table exactly as
   * one lane would have left it (lanes.ts): MGR-08's means follow the table's size and row order.
   */
  rowByRow?: boolean;
  compute(ctx: IndicatorContext): Promise<IndicatorRow[] | SqlRows>;
}

/**
 * SELECTs with the indicator columns that the runner inserts straight into the `indicators`
 * table: for results too many to pass through JavaScript (GIA-06 per school × task: ≈800k rows
 * on a regional set, which ran a browser tab out of memory).
 */
export interface SqlRows {
  sql: string[];
  /** Rows only JavaScript can compute (statistics), written after the SQL ones. */
  rows?: IndicatorRow[];
}
