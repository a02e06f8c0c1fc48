/**
 * The forecast the mapping dialog shows before the user confirms: what this mapping would load
 * from this sheet, computed by the same stage and validation steps as the import, without
 * writing any canonical table («будет загружено N из M участников; исключено K: причины»).
 */
import type { Connector } from '../db/connector';
import type { CanonicalTableName } from '../model/contract';
import type { RawSource } from './read/types';
import { ROLE_IGNORE, ROLE_PERSONAL, type Mapping } from './mapping';
import { resetIssues } from './apply';
import { RULES, WARN_SHARE } from './rules';
import { q, txt } from './sql';
import { stageTable } from './table';
import { dropStaging, dropStagingOnError, ensureCanonicalTables, tableCount, type ApplyOptions } from './tables';
import { stageResults } from './results/stage';
import { validateResults } from './results/validate';

export interface RuleForecast {
  code: string;
  title: string;
  excludes: boolean;
  /** Issues of this rule (rows; cells for `not_attempted` and `spill`; schools for `school_added`). */
  count: number;
  /** Rows of the sheet this rule excludes, and their share of the sheet's rows (0…1). */
  rows: number;
  share: number;
  /** Set when an excluding rule would drop more than WARN_SHARE of the rows: shown in red. */
  warning?: { cause: string; fix: string };
}

export interface ColumnSample {
  column: string;
  header: string;
  field: string;
  /** Up to 5 distinct non-empty values, in file order. Personal columns get none. */
  values: string[];
}

export interface ImportForecast {
  layout: string;
  target: CanonicalTableName;
  /** Rows of the sheet that describe participants (or records), absent ones included: M. */
  rows: number;
  /** Rows that would be written to the target table: N. */
  willLoad: number;
  /** Participants marked absent (results only). */
  absent: number;
  /** Rows excluded by at least one rule: K. */
  excluded: number;
  /** Every rule that fired, in the order of rules.ts. */
  rules: RuleForecast[];
  /** Schools that would be added to `schools` («будет добавлено N ОО»). */
  schoolsToAdd: Array<{ year: number | null; school_id: string; name: string | null; municipality: string | null }>;
  samples: ColumnSample[];
}

const SAMPLE_ROWS = 5000;

async function samplesOf(conn: Connector, raw: RawSource, m: Mapping): Promise<ColumnSample[]> {
  const mapped = m.columns.filter((c) => c.field !== ROLE_IGNORE);
  const out: ColumnSample[] = [];
  for (const c of mapped) {
    // Personal data is never shown, not even as a sample.
    if (c.field === ROLE_PERSONAL) {
      out.push({ column: c.column, header: c.header, field: c.field, values: [] });
      continue;
    }
    const rows = await conn.query({
      type: 'rows',
      // From the first rows only: a million-row sheet is not scanned once per column.
      sql: `SELECT v FROM (SELECT ${txt(q(c.column))} AS v, min(_row) AS r FROM (SELECT * FROM raw.${q(raw.table)} ORDER BY _row LIMIT ${SAMPLE_ROWS}) GROUP BY 1)
            WHERE v IS NOT NULL ORDER BY r LIMIT 5`,
    });
    out.push({ column: c.column, header: c.header, field: c.field, values: rows.map((r) => String(r.v)) });
  }
  return out;
}

/** Forecast of applying `m` to `raw`; leaves every canonical table as it was. */
export async function forecastImport(conn: Connector, raw: RawSource, m: Mapping, opts: ApplyOptions): Promise<ImportForecast> {
  await ensureCanonicalTables(conn);
  await resetIssues(conn);
  const results = m.target === 'assessment_results';
  const fc: ImportForecast = { layout: m.layout, target: m.target, rows: 0, willLoad: 0, absent: 0, excluded: 0, rules: [], schoolsToAdd: [], samples: [] };
  fc.samples = await samplesOf(conn, raw, m);
  if (m.layout === 'unknown' || m.layout === 'monitoring-wide') {
    fc.rows = raw.rowCount;
    return fc;
  }
  if (results) {
    await dropStagingOnError(conn, async () => {
      await stageResults(conn, raw, m, { ...opts, onProgress: undefined });
      await validateResults(conn, raw, m, { ...opts, onProgress: undefined });
    });
    fc.absent = await tableCount(conn, `SELECT count(*) AS n FROM _imp_stage WHERE _absent`);
    const added = await conn.query({ type: 'rows', sql: `SELECT year, school_id, name, municipality FROM _imp_new_schools ORDER BY first_row` });
    fc.schoolsToAdd = added.map((r) => ({
      year: r.year == null ? null : Number(r.year),
      school_id: String(r.school_id),
      name: r.name == null ? null : String(r.name),
      municipality: r.municipality == null ? null : String(r.municipality),
    }));
  } else await stageTable(conn, raw, m, opts);

  fc.rows = await tableCount(conn, `SELECT count(*) AS n FROM _imp_stage`);
  const excludedRows = `SELECT DISTINCT "row" FROM _imp_issues WHERE code IN (${RULES.filter((r) => r.excludes).map((r) => `'${r.code}'`).join(', ')})`;
  fc.excluded = await tableCount(conn, `SELECT count(*) AS n FROM (${excludedRows})`);
  fc.willLoad = fc.rows - fc.absent - fc.excluded;
  const counts = await conn.query({ type: 'rows', sql: `SELECT code, count(*) AS n, count(DISTINCT "row") AS r FROM _imp_issues GROUP BY code` });
  const byCode = new Map(counts.map((r) => [String(r.code), { n: Number(r.n), r: Number(r.r) }]));
  for (const rule of RULES) {
    const c = byCode.get(rule.code);
    if (!c) continue;
    const rows = rule.excludes ? c.r : 0;
    const share = fc.rows ? rows / fc.rows : 0;
    const f: RuleForecast = { code: rule.code, title: rule.title, excludes: rule.excludes, count: c.n, rows, share };
    if (rule.excludes && share > WARN_SHARE) f.warning = { cause: rule.cause ?? '', fix: rule.fix ?? '' };
    fc.rules.push(f);
  }
  await conn.query({ type: 'exec', sql: `DELETE FROM _imp_issues` });
  await dropStaging(conn);
  return fc;
}
