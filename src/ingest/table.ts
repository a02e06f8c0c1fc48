/**
 * Any target other than results: one source row → one canonical row (КИМ spec, context
 * questionnaire, «Классы», forms, canonical files), and wide monitoring sheets.
 */
import type { Connector } from '../db/connector';
import { CONTRACT, SCHOOL_TYPES, type CanonicalTableName, type ColumnDef } from '../model/contract';
import type { RawSource } from './read/types';
import { ROLE_PERSONAL, type Mapping } from './mapping';
import { EXCLUDING_SQL } from './rules';
import { participantPseudonymSql } from './pseudonym';
import { LEVEL_ALIASES, SETTLEMENT_ALIASES, bool, classExpr, domainExpr, int, lit, num, q, schoolCode, txt } from './sql';
import { addExtraColumns, extrasOf, fieldCol, keyExpr, personalParts, tableCount, type ApplyOptions, type ConstKey } from './tables';
import type { ImportReport } from './apply';
import { textbookExpr } from './results/write';
import { collapseSpecRows, relabelLoadedScores } from './kim';

/** Value expression of a contract column from its mapped source column (typed, domain-normalised). */
function columnValue(def: ColumnDef, e: string, table: CanonicalTableName, grade: string): string {
  if (def.name === 'school_id') return schoolCode(e);
  if (def.name === 'class') return classExpr(e, grade);
  if (def.name === 'settlement_type') return domainExpr(e, def.domain!, SETTLEMENT_ALIASES);
  if (def.name === 'level' && table === 'tasks') return domainExpr(e, def.domain!, LEVEL_ALIASES);
  if (def.name === 'school_type') return domainExpr(e, SCHOOL_TYPES, { 'средняя общеобразовательная школа': 'СОШ', 'основная общеобразовательная школа': 'ООШ', 'начальная общеобразовательная школа': 'НОШ' });
  if (def.domain) return domainExpr(e, def.domain);
  switch (def.type) {
    case 'INTEGER':
      return int(e);
    case 'DOUBLE':
      return num(e);
    case 'BOOLEAN':
      return bool(e);
    case 'DATE':
      return `coalesce(TRY_CAST(${txt(e)} AS DATE), TRY_STRPTIME(${txt(e)}, '%d.%m.%Y')::DATE)`;
    default:
      return txt(e);
  }
}

/**
 * Stage and validate any other target: one source row → one canonical row (КИМ spec, context
 * questionnaire, «Классы», forms, canonical files) in `_imp_stage`, issues in `_imp_issues`.
 * Writes nothing canonical: the forecast runs exactly this.
 */
export async function stageTable(conn: Connector, raw: RawSource, m: Mapping, opts: ApplyOptions) {
  const def = CONTRACT[m.target];
  const src = 'r.';
  const grade = keyExpr(m, opts, 'grade', src);
  const personal = m.columns.filter((c) => c.field === ROLE_PERSONAL);
  const select: string[] = [];
  for (const c of def.columns) {
    const mapped = fieldCol(m, c.name);
    const isKey = c.name === 'year' || c.name === 'procedure' || c.name === 'subject' || c.name === 'grade';
    let e: string;
    if (isKey && (m.target !== 'schools' || c.name === 'year')) e = keyExpr(m, opts, c.name as ConstKey, src);
    else if (mapped) e = columnValue(c, `${src}${q(mapped)}`, m.target, grade);
    else if (c.name === 'task' && fieldCol(m, 'seq')) e = txt(`${src}${q(fieldCol(m, 'seq')!)}`);
    else if (c.name === 'school_id' && m.constants.school_id) e = lit(m.constants.school_id);
    else if (c.name === 'student_id' && personal.length) {
      // The school is one of the hashed parts, as for results (stage.ts).
      const school = fieldCol(m, 'school_id') ? schoolCode(`${src}${q(fieldCol(m, 'school_id')!)}`) : m.constants.school_id ? lit(m.constants.school_id) : `''`;
      // NULL when every personal part is empty: the row is then a `missing_key`, not a shared pseudonym.
      e = participantPseudonymSql(opts.salt, personalParts(personal, src), [`coalesce(${school}, '')`]);
    } else e = 'NULL';
    if (isKey && mapped && c.name === 'grade' && m.target === 'tasks') e = keyExpr(m, opts, 'grade', src);
    select.push(`CAST(${e} AS ${c.type}) AS ${q(c.name)}`);
  }
  const extras = extrasOf(m, m.target, src);
  const nonEmpty = raw.columns.map((c) => `${txt(`${src}${q(c)}`)} IS NOT NULL`).join(' OR ');
  await conn.query({
    type: 'exec',
    sql: `CREATE OR REPLACE TEMP TABLE _imp_stage AS
      SELECT r._row AS _row, ${select.join(', ')}${extras.map((x) => `, ${x.expr} AS ${q(x.name)}`).join('')}
      FROM raw.${q(raw.table)} r WHERE ${nonEmpty}`,
  });
  if (m.target === 'tasks') await collapseSpecRows(conn, extras);
  // «Классы»: «Другое» in the main textbook column means the other textbook's author and title.
  const textbook = m.target === 'class_teaching' ? textbookExpr(m, '') : null;
  if (textbook) await conn.query({ type: 'exec', sql: `UPDATE _imp_stage SET textbook = ${textbook}` });
  const issue = (sql: string) => conn.query({ type: 'exec', sql: `INSERT INTO _imp_issues ${sql}` });
  for (const c of def.columns) {
    const mapped = m.columns.find((x) => x.field === c.name);
    if (c.domain && mapped) {
      await issue(
        `SELECT r._row, ${lit(mapped.header)}, 'domain', ${lit(`«${mapped.header}»: значение «`)} || ${txt(`r.${q(mapped.column)}`)} || '» не из списка допустимых'
         FROM raw.${q(raw.table)} r JOIN _imp_stage s USING (_row) WHERE ${txt(`r.${q(mapped.column)}`)} IS NOT NULL AND s.${q(c.name)} IS NULL`,
      );
    }
  }
  // Key columns that may legitimately be empty: a scale without a grade, a championship without a subject, a municipality-level value.
  const nullable = new Set(['tasks.grade', 'thresholds.grade', 'achievements.subject', 'monitoring.school_id']);
  const keyCols = def.key.filter((k) => !nullable.has(`${m.target}.${k}`));
  await issue(
    `SELECT _row, NULL, 'missing_key', 'Не заполнено: ' || concat_ws(', ', ${keyCols.map((k) => `CASE WHEN ${q(k)} IS NULL THEN ${lit(k)} END`).join(', ')})
     FROM _imp_stage WHERE ${keyCols.map((k) => `${q(k)} IS NULL`).join(' OR ')}`,
  );
  const keyJoin = def.key.map((k) => `t.${q(k)} IS NOT DISTINCT FROM s.${q(k)}`).join(' AND ');
  // «Классы» and school lists complete rows already loaded (write step): not a repeated key.
  const loaded = completesLoaded(m) ? 'false' : `EXISTS (SELECT 1 FROM ${q(m.target)} t WHERE ${keyJoin})`;
  await issue(
    `SELECT _row, NULL, 'duplicate_key', 'Повтор ключа (' || concat_ws(', ', ${def.key.map((k) => `CAST(${q(k)} AS VARCHAR)`).join(', ')}) || ')'
     FROM (SELECT s.*, row_number() OVER (PARTITION BY ${def.key.map(q).join(', ')} ORDER BY _row) AS k FROM _imp_stage s WHERE _row NOT IN ${EXCLUDED}) s
     WHERE k > 1 OR ${loaded}`,
  );
}

const EXCLUDED = `(SELECT "row" FROM _imp_issues WHERE code IN (${EXCLUDING_SQL}))`;

/**
 * A school already in `schools` (e.g. added from a results file with its name only) is completed
 * by a questionnaire or school list loaded later: the file's non-empty values win. Likewise the
 * «Классы» sheet fills an empty textbook of a class already described.
 */
const completesLoaded = (m: Mapping) => m.layout === 'vpr-classes' || m.target === 'schools';

async function completeSchools(conn: Connector, names: string[]): Promise<number> {
  const keyJoin = `t.year IS NOT DISTINCT FROM s.year AND t.school_id = s.school_id`;
  const set = names.filter((n) => n !== 'year' && n !== 'school_id').map((n) => `${q(n)} = coalesce(s.${q(n)}, t.${q(n)})`);
  const [r] = await conn.query({
    type: 'rows',
    sql: `SELECT count(*) AS n FROM _imp_stage s WHERE _row NOT IN ${EXCLUDED} AND EXISTS (SELECT 1 FROM schools t WHERE ${keyJoin})`,
  });
  await conn.query({
    type: 'exec',
    sql: `UPDATE schools t SET ${set.join(', ')} FROM (SELECT * FROM _imp_stage WHERE _row NOT IN ${EXCLUDED}) s WHERE ${keyJoin};
          DELETE FROM _imp_stage s WHERE EXISTS (SELECT 1 FROM schools t WHERE ${keyJoin})`,
  });
  return Number(r?.n ?? 0);
}

/** Writes what stageTable staged (and the questionnaire's counts to `monitoring`). */
export async function writeTable(conn: Connector, raw: RawSource, m: Mapping, opts: ApplyOptions, report: ImportReport) {
  const def = CONTRACT[m.target];
  const extras = extrasOf(m, m.target, 'r.');
  const keyJoin = def.key.map((k) => `t.${q(k)} IS NOT DISTINCT FROM s.${q(k)}`).join(' AND ');
  if (m.layout === 'vpr-classes') {
    // The «Классы» sheet adds textbooks to classes already described (e.g. by a teaching form), without repeating them.
    await conn.query({
      type: 'exec',
      sql: `UPDATE class_teaching t SET textbook = s.textbook FROM _imp_stage s WHERE ${keyJoin} AND t.textbook IS NULL AND s.textbook IS NOT NULL;
            DELETE FROM _imp_stage s WHERE EXISTS (SELECT 1 FROM class_teaching t WHERE ${keyJoin})`,
    });
  }
  await addExtraColumns(conn, m.target, extras);
  const names = [...def.columns.map((c) => c.name), ...extras.map((x) => x.name)];
  const completed = m.target === 'schools' ? await completeSchools(conn, names) : 0;
  const before = await tableCount(conn, `SELECT count(*) AS n FROM ${q(m.target)}`) - completed;
  await conn.query({
    type: 'exec',
    sql: `INSERT INTO ${q(m.target)} (${names.map(q).join(', ')})
      SELECT ${names.map(q).join(', ')} FROM _imp_stage WHERE _row NOT IN ${EXCLUDED} ORDER BY _row`,
  });
  report.written[m.target] = (await tableCount(conn, `SELECT count(*) AS n FROM ${q(m.target)}`)) - before;
  if (m.target === 'tasks' && extras.some((x) => x.name === 'seq')) {
    const relabelled = await relabelLoadedScores(conn);
    if (relabelled) report.written.task_scores = relabelled;
  }

  // The context questionnaire's counts go to `monitoring`, one row per school and code.
  const monitoring = m.columns.filter((c) => c.field.startsWith('monitoring:'));
  if (m.target === 'schools' && monitoring.length) await insertMonitoring(conn, raw, m, opts, monitoring, report, EXCLUDED);
}

export async function applyTable(conn: Connector, raw: RawSource, m: Mapping, opts: ApplyOptions, report: ImportReport) {
  await stageTable(conn, raw, m, opts);
  await writeTable(conn, raw, m, opts, report);
}

async function insertMonitoring(
  conn: Connector,
  raw: RawSource,
  m: Mapping,
  opts: ApplyOptions,
  monitoring: Mapping['columns'],
  report: ImportReport,
  excluded: string,
) {
  const school = fieldCol(m, 'school_id');
  const values = monitoring.map((c) => `(${lit(c.column)}, ${lit(c.field.slice('monitoring:'.length))})`).join(', ');
  const schoolSql = school ? `CASE WHEN lower(${txt(`u.${q(school)}`)}) IN ('итого', 'всего', 'муниципалитет') THEN NULL ELSE ${schoolCode(`u.${q(school)}`)} END` : 'NULL';
  const before = await tableCount(conn, `SELECT count(*) AS n FROM monitoring`);
  await conn.query({
    type: 'exec',
    sql: `INSERT INTO monitoring (year, school_id, code, value)
      SELECT ${keyExpr(m, opts, 'year', 'u.')}, ${schoolSql}, v.code, ${num('u.val')}
      FROM (UNPIVOT (SELECT * FROM raw.${q(raw.table)}) ON ${monitoring.map((c) => q(c.column)).join(', ')} INTO NAME col VALUE val) u
      JOIN (VALUES ${values}) v(col, code) ON v.col = u.col
      WHERE ${num('u.val')} IS NOT NULL AND u._row NOT IN ${excluded}
        -- A questionnaire loaded again adds no second value for the same school and code.
        ${m.target === 'schools' ? `AND NOT EXISTS (SELECT 1 FROM monitoring t WHERE t.year = ${keyExpr(m, opts, 'year', 'u.')} AND t.school_id IS NOT DISTINCT FROM ${schoolSql} AND t.code = v.code)` : ''}
      ORDER BY u._row, v.code`,
  });
  report.written.monitoring = (await tableCount(conn, `SELECT count(*) AS n FROM monitoring`)) - before;
}

export async function applyMonitoringWide(conn: Connector, raw: RawSource, m: Mapping, opts: ApplyOptions, report: ImportReport) {
  const monitoring = m.columns.filter((c) => c.field.startsWith('monitoring:'));
  await conn.query({ type: 'exec', sql: `CREATE OR REPLACE TEMP TABLE _imp_stage AS SELECT _row FROM raw.${q(raw.table)} WHERE false` });
  if (!monitoring.length) return;
  await insertMonitoring(conn, raw, m, opts, monitoring, report, `(SELECT 0 WHERE false)`);
}

