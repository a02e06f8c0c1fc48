/**
 * Applies a confirmed Mapping to a raw sheet: pure SQL over the raw table (so a million rows
 * with twenty task columns never pass through JavaScript), filling the canonical tables,
 * unpivoting task columns and answer strings into task_scores, deriving marks from
 * `thresholds`, dropping personal columns, and validating by the rules of rules.ts.
 *
 * Steps of a results sheet: results/stage.ts (typed rows) → results/validate.ts (issues,
 * excluded rows, schools to add; also what the forecast runs) → results/write.ts. Other
 * targets: table.ts. Decisions: src/ingest/README.md.
 */
import { compact, type Connector } from '../db/connector';
import type { CanonicalTableName } from '../model/contract';
import type { RawSource } from './read/types';
import type { Mapping } from './mapping';
import { EXCLUDING, EXCLUDING_SQL, ISSUE_TITLES } from './rules';
import { lit } from './sql';
import { applyMonitoringWide, applyTable } from './table';
import { ISSUES_TABLE, REFERENCE_TABLE, dropStaging, dropStagingOnError, ensureCanonicalTables, tableCount, type ApplyOptions } from './tables';
import { stageResults } from './results/stage';
import { validateResults } from './results/validate';
import { writeResults } from './results/write';

export { EXCLUDING, ISSUES_TABLE, ISSUE_TITLES, REFERENCE_TABLE, ensureCanonicalTables, type ApplyOptions };

export interface ImportReport {
  file: string;
  sheet: string | null;
  layout: string;
  target: CanonicalTableName;
  rowsRead: number;
  /** Rows written, per canonical table. */
  written: Partial<Record<CanonicalTableName, number>>;
  /** Source rows excluded from the canonical tables (each has at least one excluding issue). */
  excludedRows: number;
  /** Issue counts by code (cells for `not_attempted` and `spill`, schools for `school_added`, rows otherwise). */
  counts: Record<string, number>;
  /** Schools added to `schools` from this sheet («добавлено N ОО»). */
  schoolsAdded?: number;
}

export const emptyReport = (raw: RawSource, m: Mapping): ImportReport => ({
  file: raw.file,
  sheet: raw.sheet,
  layout: m.layout,
  target: m.target,
  rowsRead: raw.rowCount,
  written: {},
  excludedRows: 0,
  counts: {},
});

export async function resetIssues(conn: Connector) {
  await conn.query({ type: 'exec', sql: `DROP TABLE IF EXISTS _imp_issues; CREATE TEMP TABLE _imp_issues ("row" INTEGER, "column" VARCHAR, code VARCHAR, message VARCHAR)` });
}

/** Issue counts and excluded rows of the sheet just validated, from `_imp_issues`. */
export async function countIssues(conn: Connector, report: ImportReport) {
  const counts = await conn.query({ type: 'rows', sql: `SELECT code, count(*) AS n FROM _imp_issues GROUP BY code ORDER BY code` });
  for (const r of counts) report.counts[String(r.code)] = Number(r.n);
  report.excludedRows = await tableCount(conn, `SELECT count(DISTINCT "row") AS n FROM _imp_issues WHERE code IN (${EXCLUDING_SQL})`);
}

/** Runs one mapping; creates the canonical tables and `import_issues` if missing. */
export async function applyMapping(conn: Connector, raw: RawSource, m: Mapping, opts: ApplyOptions): Promise<ImportReport> {
  await ensureCanonicalTables(conn);
  const report = emptyReport(raw, m);
  await resetIssues(conn);
  if (m.layout === 'unknown') return report;
  if (m.target === 'assessment_results') {
    const w = await dropStagingOnError(conn, async () => {
      await stageResults(conn, raw, m, opts);
      return writeResults(conn, m, await validateResults(conn, raw, m, opts, true), opts.onProgress);
    });
    report.written.assessment_results = w.assessment_results;
    report.written.task_scores = w.task_scores;
    if (w.tasks) report.written.tasks = w.tasks;
    if (w.class_teaching) report.written.class_teaching = w.class_teaching;
    if (w.schoolsAdded) {
      report.written.schools = w.schoolsAdded;
      report.schoolsAdded = w.schoolsAdded;
    }
  } else if (m.layout === 'monitoring-wide') await applyMonitoringWide(conn, raw, m, opts, report);
  else await applyTable(conn, raw, m, opts, report);

  await conn.query({
    type: 'exec',
    sql: `INSERT INTO ${ISSUES_TABLE} SELECT ${lit(raw.file)}, ${lit(raw.sheet)}, "row", "column", code, message,
            code IN (${EXCLUDING_SQL}) FROM _imp_issues ORDER BY "row", code`,
  });
  await countIssues(conn, report);
  await dropStaging(conn);
  // One checkpoint per sheet (not per chunk) lets the workspace compress what was written.
  await compact(conn);
  return report;
}
