/**
 * The import pipeline shared by the app and `npm run import`: raw sheets → proposed (or stored)
 * mappings → confirmed mappings applied in dependency order → validation reports.
 */
import type { Connector } from '../db/connector';
import { CONTRACT, type CanonicalTableName } from '../model/contract';
import { EXCLUDING, ISSUES_TABLE, ISSUE_TITLES, REFERENCE_TABLE, applyMapping, ensureCanonicalTables, type ApplyOptions, type ImportReport } from './apply';
import { LAYOUT_TITLES, proposeMapping, type Mapping, type MappingStore } from './mapping';
import type { RawSource } from './read/types';
import { lit, q, schoolCode } from './sql';

export interface PlannedImport {
  raw: RawSource;
  mapping: Mapping;
  /** True when the mapping came from the store (a confirmed mapping of the same layout). */
  reused: boolean;
}

export async function planImport(raws: RawSource[], store?: MappingStore): Promise<PlannedImport[]> {
  const plans: PlannedImport[] = [];
  for (const raw of raws) {
    const proposed = proposeMapping(raw);
    const known = store ? await store.get(proposed.signature) : null;
    plans.push(known ? { raw, mapping: proposeMapping(raw, { known }), reused: true } : { raw, mapping: proposed, reused: false });
  }
  return plans;
}

/** Reference data first (scales, schools, specifications), results last: validation reads the former. */
const ORDER: CanonicalTableName[] = [
  'thresholds',
  'schools',
  'tasks',
  'class_teaching',
  'staff',
  'staff_activities',
  'graduates',
  'achievements',
  'monitoring',
  'assessment_results',
  'task_scores',
];
const rank = (p: PlannedImport) =>
  ORDER.indexOf(p.mapping.target) * 3 + (p.mapping.layout === 'canonical' ? 0 : p.mapping.layout === 'vpr-classes' ? 2 : 1);

export interface RunOptions extends ApplyOptions {
  store?: MappingStore;
  /** Reference scales (CSV text of thresholds) added where the user's files give none. */
  referenceThresholds?: string;
  /** Empty the canonical tables this import writes before writing (e.g. to replace the demo data). */
  replace?: boolean;
}

/**
 * Canonical tables a mapping may write to (to save after the import). A results sheet also adds
 * task maxima to `tasks`, unknown schools to `schools` and class textbooks to `class_teaching`.
 */
export function tablesWritten(m: Mapping): CanonicalTableName[] {
  if (m.layout === 'unknown') return [];
  if (m.target === 'assessment_results') return ['assessment_results', 'task_scores', 'tasks', 'schools', 'class_teaching'];
  if (m.target === 'schools' && m.columns.some((c) => c.field.startsWith('monitoring:'))) return ['schools', 'monitoring'];
  return [m.target];
}

/**
 * Tables `replace` empties before writing: those the sheet is the source of. What a results sheet
 * only adds to (`tasks`, `schools`, `class_teaching`) is never emptied by it — a results file
 * without a КИМ description must not leave `tasks` empty.
 */
export function tablesReplaced(m: Mapping): CanonicalTableName[] {
  if (m.target === 'assessment_results') return m.layout === 'unknown' ? [] : ['assessment_results', 'task_scores'];
  return tablesWritten(m);
}

export async function runImport(conn: Connector, plans: PlannedImport[], opts: RunOptions): Promise<ImportReport[]> {
  await ensureCanonicalTables(conn);
  // import_issues describes the latest import only.
  await conn.query({ type: 'exec', sql: `DELETE FROM ${ISSUES_TABLE}` });
  if (opts.replace) {
    const targets = new Set(plans.flatMap((p) => tablesReplaced(p.mapping)));
    for (const t of targets) await conn.query({ type: 'exec', sql: `DELETE FROM ${q(t)}` });
  }
  // A file named like a canonical table (`schools.csv`) was read by the app straight into that table: its rows come back through the mapping.
  for (const t of new Set(plans.filter((p) => (p.raw as { typedTable?: string }).typedTable === p.mapping.target).map((p) => p.mapping.target))) {
    await conn.query({ type: 'exec', sql: `DELETE FROM ${q(t)}` });
  }
  const sorted = [...plans].sort((a, b) => rank(a) - rank(b));
  const reports: ImportReport[] = [];
  if (opts.referenceThresholds) await loadReferenceThresholds(conn, opts.referenceThresholds);
  for (const [i, p] of sorted.entries()) {
    if (p.mapping.target === 'class_teaching' && !p.mapping.columns.some((c) => c.field === 'school_id') && !p.mapping.constants.school_id) {
      p.mapping.constants.school_id = await siblingSchool(conn, p, plans);
    }
    const sheet = `${p.raw.file}${p.raw.sheet ? ` [${p.raw.sheet}]` : ''}`;
    const onProgress = (f: number, stage: string) => opts.onProgress?.((i + f) / sorted.length, `${sheet}: ${stage}`);
    onProgress(0, 'сопоставление');
    reports.push(await applyMapping(conn, p.raw, p.mapping, { ...opts, onProgress }));
    if (opts.store && p.mapping.layout !== 'unknown') await opts.store.put({ ...p.mapping, confirmed: true });
  }
  return reports;
}

/** The one school of the results sheet in the same workbook (a ФИС ОКО protocol is per school). */
async function siblingSchool(conn: Connector, p: PlannedImport, plans: PlannedImport[]): Promise<string | null> {
  for (const s of plans) {
    if (s === p || s.raw.file !== p.raw.file || s.mapping.target !== 'assessment_results') continue;
    const col = s.mapping.columns.find((c) => c.field === 'school_id');
    if (!col) continue;
    const rows = await conn.query({
      type: 'rows',
      sql: `SELECT DISTINCT ${schoolCode(q(col.column))} AS s FROM raw.${q(s.raw.table)} WHERE ${schoolCode(q(col.column))} IS NOT NULL LIMIT 2`,
    });
    if (rows.length === 1) return String(rows[0]!.s);
  }
  return null;
}

/** Loads the shipped reference scales (CSV of the thresholds columns) into `reference_thresholds`. */
export async function loadReferenceThresholds(conn: Connector, csv: string): Promise<number> {
  await ensureCanonicalTables(conn);
  const path = await conn.registerFile('reference_thresholds.csv', new TextEncoder().encode(csv));
  const cols = CONTRACT.thresholds.columns;
  const types = `{${cols.map((c) => `${lit(c.name)}: ${lit(c.type)}`).join(', ')}}`;
  await conn.query({
    type: 'exec',
    sql: `DELETE FROM ${REFERENCE_TABLE};
      INSERT INTO ${REFERENCE_TABLE} (${cols.map((c) => q(c.name)).join(', ')})
      SELECT ${cols.map((c) => `r.${q(c.name)}`).join(', ')} FROM read_csv(${lit(path)}, header = true, columns = ${types}) r`,
  });
  const [n] = await conn.query({ type: 'rows', sql: `SELECT count(*) AS n FROM ${REFERENCE_TABLE}` });
  await conn.dropFile('reference_thresholds.csv');
  return Number(n?.n ?? 0);
}

const plural = (n: number, one: string, few: string, many: string) => {
  const m10 = n % 10;
  const m100 = n % 100;
  return m10 === 1 && m100 !== 11 ? one : m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14) ? few : many;
};

/** The validation summary in Russian, one block per file and sheet, then totals. */
export function summaryText(reports: ImportReport[]): string {
  const lines: string[] = [];
  const totals: Record<string, number> = {};
  let excluded = 0;
  for (const r of reports) {
    lines.push(`${r.file}${r.sheet ? ` [${r.sheet}]` : ''} — ${LAYOUT_TITLES[r.layout as keyof typeof LAYOUT_TITLES] ?? r.layout}`);
    const written = Object.entries(r.written)
      .map(([t, n]) => `${t}: ${n}`)
      .join(', ');
    lines.push(`  прочитано строк: ${r.rowsRead}; записано: ${written || 'ничего'}; исключено строк: ${r.excludedRows}`);
    if (r.schoolsAdded) lines.push(`  добавлено ${r.schoolsAdded} ОО, которых не было в справочнике`);
    for (const [code, n] of Object.entries(r.counts)) {
      lines.push(`  ${ISSUE_TITLES[code] ?? code}: ${n}`);
      totals[code] = (totals[code] ?? 0) + n;
    }
    excluded += r.excludedRows;
  }
  lines.push('');
  lines.push(`Итого: ${reports.length} ${plural(reports.length, 'лист', 'листа', 'листов')}, исключено строк: ${excluded}`);
  for (const [code, n] of Object.entries(totals).sort()) lines.push(`  ${ISSUE_TITLES[code] ?? code}: ${n}`);
  return lines.join('\n');
}

/** Totals by issue code over all reports. */
export function issueTotals(reports: ImportReport[]): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const r of reports) for (const [code, n] of Object.entries(r.counts)) totals[code] = (totals[code] ?? 0) + n;
  return totals;
}

/** All import issues as CSV for Russian Excel (BOM, `;`). */
export async function issuesCsv(conn: Connector): Promise<string> {
  const rows = await conn.query({
    type: 'rows',
    sql: `SELECT file, sheet, "row", "column", code, message, excluded FROM ${ISSUES_TABLE} ORDER BY file, sheet, "row", code`,
  });
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : typeof v === 'boolean' ? (v ? 'да' : 'нет') : String(v);
    return /[";\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const head = ['Файл', 'Лист', 'Строка', 'Столбец', 'Код', 'Сообщение', 'Строка исключена'];
  return '\ufeff' + [head.join(';'), ...rows.map((r) => [r.file, r.sheet, r.row, r.column, r.code, r.message, r.excluded].map(cell).join(';'))].join('\r\n') + '\r\n';
}

export { EXCLUDING, ISSUE_TITLES };
