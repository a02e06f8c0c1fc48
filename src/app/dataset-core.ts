/**
 * The engine-independent part of src/app/dataset.ts: what a change of canonical tables would
 * clear (so the question put to the user lists exactly that), and the summary of the loaded data
 * that notebooks and the home page show. Runs on any Connector (tested on native DuckDB).
 */
import { quoteIdent, type Connector } from '../db/connector';
import { CANONICAL_TABLE_NAMES, type CanonicalTableName } from '../model/contract';

export type DatasetKind = 'demo' | 'own';

export interface ChangeRequest {
  /** Canonical tables the change writes. */
  tables: readonly string[];
  /** `append` adds rows; `replace` empties the tables first. */
  mode: 'append' | 'replace';
  /** What the data come from, for the question («Результаты ВПР.xlsx», «пакет отчёт.zip»). */
  file?: string;
}

export interface TableRows {
  table: CanonicalTableName;
  rows: number;
}

export interface ChangePlan {
  /** Leaving the demo: every demo table is cleared, whatever the change writes. */
  leaveDemo: boolean;
  /** Tables whose current rows would be gone (what the user is asked about). */
  cleared: TableRows[];
  /** Canonical names in the request that are not canonical tables (ignored). */
  ignored: string[];
}

/**
 * Reference data kept when the demo is left: the municipal thresholds come with the app
 * (datasets/reference) and the user's import adds its own.
 */
export const KEPT_ON_LEAVING_DEMO: readonly CanonicalTableName[] = ['thresholds'];

const isCanonical = (t: string): t is CanonicalTableName => (CANONICAL_TABLE_NAMES as readonly string[]).includes(t);

/** Row counts of the canonical tables that exist (absent tables are left out). */
export async function canonicalRowCounts(conn: Pick<Connector, 'query'>): Promise<TableRows[]> {
  const rows = await conn.query({
    type: 'rows',
    sql: `SELECT DISTINCT table_name AS t FROM information_schema.tables WHERE table_schema = 'main' AND table_catalog <> 'temp'`,
  });
  const present = new Set(rows.map((r) => String(r.t)));
  const out: TableRows[] = [];
  for (const table of CANONICAL_TABLE_NAMES) {
    if (!present.has(table)) continue;
    const [c] = await conn.query({ type: 'rows', sql: `SELECT count(*) AS n FROM ${quoteIdent(table)}` });
    out.push({ table, rows: Number(c?.n ?? 0) });
  }
  return out;
}

/** What a change would clear, given the active data set and the current row counts. */
export function planChange(dataset: DatasetKind, counts: readonly TableRows[], req: ChangeRequest): ChangePlan {
  const ignored = req.tables.filter((t) => !isCanonical(t));
  const wanted = new Set(req.tables.filter(isCanonical));
  const filled = counts.filter((c) => c.rows > 0);
  if (dataset === 'demo') {
    return { leaveDemo: true, cleared: filled.filter((c) => !KEPT_ON_LEAVING_DEMO.includes(c.table) || wanted.has(c.table)), ignored };
  }
  const cleared = req.mode === 'replace' ? filled.filter((c) => wanted.has(c.table)) : [];
  return { leaveDemo: false, cleared, ignored };
}

export interface YearSummary {
  year: number;
  /** Distinct works: (procedure, subject, grade). */
  works: number;
  schools: number;
  /** Result rows: one per participant of one work. */
  results: number;
  /** Distinct (school, participant code) over the year's works. */
  participants: number;
}

export interface DataSummary {
  dataset: DatasetKind;
  years: number[];
  works: number;
  schools: number;
  results: number;
  perYear: YearSummary[];
}

/** What the loaded assessment results cover (empty when there are none). */
export async function summarizeData(conn: Pick<Connector, 'query'>, dataset: DatasetKind): Promise<DataSummary> {
  const empty: DataSummary = { dataset, years: [], works: 0, schools: 0, results: 0, perYear: [] };
  if (!(await canonicalRowCounts(conn)).some((c) => c.table === 'assessment_results' && c.rows > 0)) return empty;
  const rows = await conn.query({
    type: 'rows',
    sql: `SELECT year, count(DISTINCT (procedure, subject, grade)) AS works, count(DISTINCT school_id) AS schools,
                 count(*) AS results, count(DISTINCT (school_id, student_id)) AS participants
          FROM assessment_results WHERE year IS NOT NULL GROUP BY year ORDER BY year`,
  });
  const [all] = await conn.query({
    type: 'rows',
    sql: `SELECT count(DISTINCT (year, procedure, subject, grade)) AS works, count(DISTINCT school_id) AS schools, count(*) AS results FROM assessment_results`,
  });
  const perYear = rows.map((r) => ({
    year: Number(r.year),
    works: Number(r.works),
    schools: Number(r.schools),
    results: Number(r.results),
    participants: Number(r.participants),
  }));
  return { dataset, years: perYear.map((y) => y.year), works: Number(all?.works ?? 0), schools: Number(all?.schools ?? 0), results: Number(all?.results ?? 0), perYear };
}

const plural = (n: number, one: string, few: string, many: string): string => {
  const m10 = n % 10;
  const m100 = n % 100;
  return m10 === 1 && m100 !== 11 ? one : m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14) ? few : many;
};
const int = (n: number) => n.toLocaleString('ru-RU');

/** One Russian line: «Демонстрационные данные: 2022–2024, 36 работ, 24 ОО, 12 345 результатов». */
export function summaryLine(s: DataSummary): string {
  const head = s.dataset === 'demo' ? 'Демонстрационные данные' : 'Ваши данные';
  if (!s.years.length) return `${head}: результатов оценочных процедур нет`;
  const years = s.years.length === 1 ? `${s.years[0]} год` : `${s.years[0]}–${s.years[s.years.length - 1]} годы`;
  return `${head}: ${years}, ${int(s.works)} ${plural(s.works, 'работа', 'работы', 'работ')}, ${int(s.schools)} ОО, ${int(s.results)} ${plural(s.results, 'результат', 'результата', 'результатов')}`;
}

/** Per year: «2024: 12 работ, 24 ОО, 3 456 участников». */
export function yearLine(y: YearSummary): string {
  return `${y.year}: ${int(y.works)} ${plural(y.works, 'работа', 'работы', 'работ')}, ${int(y.schools)} ОО, ${int(y.participants)} ${plural(y.participants, 'участник', 'участника', 'участников')}`;
}
