/**
 * Applies a confirmed Mapping to a raw sheet: pure SQL over the raw table (so a million rows
 * with twenty task columns never pass through JavaScript), filling the canonical tables,
 * unpivoting task columns and answer strings into task_scores, deriving marks from
 * `thresholds`, dropping personal columns, and validating.
 *
 * Representation decisions (src/ingest/README.md):
 * - an absent participant («отсутствовал») is not written to assessment_results; counted as `absent`;
 * - a not-attempted task (X, х, «не пройд.») scores 0 in task_scores; counted as `not_attempted`;
 * - a row with an out-of-range score, a total that disagrees with its task scores, a duplicate
 *   participant or an unknown school code is excluded from the canonical tables and listed in
 *   `import_issues` (file, sheet, row, column, code, message) — never silently dropped;
 * - a journal mark outside 2–5 («нет отметки») is stored as NULL and counted; the row stays.
 */
import { compact, type Connector, type Row } from '../db/connector';
import { CONTRACT, SCHOOL_TYPES, createTableSql, type CanonicalTableName, type ColumnDef } from '../model/contract';
import type { RawSource } from './read/types';
import { ROLE_EXTRA, ROLE_PERSONAL, ROLE_TASK, type Mapping } from './mapping';
import { PERSONAL_HASH_ORDER, SUBJECT_CODES, personalRole } from './synonyms';
import {
  LEVEL_ALIASES,
  SETTLEMENT_ALIASES,
  bool,
  classExpr,
  domainExpr,
  int,
  lit,
  num,
  pseudonymSql,
  q,
  schoolCode,
  txt,
} from './sql';

export const ISSUES_TABLE = 'import_issues';

export const ISSUE_TITLES: Record<string, string> = {
  absent: 'Отсутствовали (не включены в результаты)',
  not_attempted: 'Задание не выполнялось (X, «не пройд.») — 0 баллов',
  task_out_of_range: 'Балл за задание вне диапазона 0…максимум',
  total_out_of_range: 'Первичный балл вне диапазона 0…максимум',
  total_mismatch: 'Первичный балл не равен сумме баллов за задания',
  bad_value: 'Нечисловое значение балла',
  duplicate: 'Повтор участника',
  unknown_school: 'Неизвестный код ОО',
  journal_mark_invalid: 'Отметка по журналу не из 2–5 (оставлена пустой)',
  mark_invalid: 'Отметка не из 2–5 (оставлена пустой)',
  missing_key: 'Не заполнен ключевой столбец',
  missing_constant: 'Не задан год, процедура, предмет или класс',
  domain: 'Значение не из списка допустимых (оставлено пустым)',
  duplicate_key: 'Повтор ключа',
};

/** Issue codes after which the row is excluded from the canonical tables. */
export const EXCLUDING = new Set([
  'task_out_of_range',
  'total_out_of_range',
  'total_mismatch',
  'bad_value',
  'duplicate',
  'unknown_school',
  'missing_key',
  'duplicate_key',
]);

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
  /** Issue counts by code (cells for `not_attempted`, rows otherwise). */
  counts: Record<string, number>;
}

export interface ApplyOptions {
  /** Salt for participant pseudonyms when a file has no participant code. */
  salt: string;
  /** Progress of one sheet, 0…1, with a Russian stage name (task cells are written in chunks). */
  onProgress?: (fraction: number, stage: string) => void;
  /** Task cells per chunk (default CELLS_PER_CHUNK); less memory, more statements. */
  chunkCells?: number;
  /** Constants set by the user: override the mapping and any column. */
  set?: Record<string, string | number>;
}

/** Creates missing canonical tables, and missing contract columns of tables loaded from partial files. */
export async function ensureCanonicalTables(conn: Connector): Promise<void> {
  const present = await conn.query({
    type: 'rows',
    sql: `SELECT table_name AS t, column_name AS c, data_type AS ty FROM information_schema.columns WHERE table_schema = 'main'`,
  });
  const cols = new Map<string, Map<string, string>>();
  for (const r of present) {
    const t = String(r.t);
    if (!cols.has(t)) cols.set(t, new Map());
    cols.get(t)!.set(String(r.c), String(r.ty));
  }
  for (const def of Object.values(CONTRACT)) {
    const have = cols.get(def.name);
    if (!have) {
      await conn.query({ type: 'exec', sql: createTableSql(def.name, def.columns, false) });
      continue;
    }
    for (const c of def.columns) {
      const type = have.get(c.name);
      if (!type) await conn.query({ type: 'exec', sql: `ALTER TABLE ${q(def.name)} ADD COLUMN ${q(c.name)} ${c.type}` });
      // A table read straight from a file named like a canonical table has inferred types: bring them to the contract's.
      else if (type !== c.type)
        await conn.query({ type: 'exec', sql: `ALTER TABLE ${q(def.name)} ALTER COLUMN ${q(c.name)} SET DATA TYPE ${c.type} USING TRY_CAST(${q(c.name)} AS ${c.type})` });
    }
  }
  await conn.query({ type: 'exec', sql: createTableSql(REFERENCE_TABLE, CONTRACT.thresholds.columns, false).replace('CREATE TABLE', 'CREATE TABLE IF NOT EXISTS') });
  await conn.query({
    type: 'exec',
    sql: `CREATE TABLE IF NOT EXISTS ${ISSUES_TABLE} (file VARCHAR, sheet VARCHAR, "row" INTEGER, "column" VARCHAR, code VARCHAR, message VARCHAR, excluded BOOLEAN)`,
  });
}

/** Known importer roles kept as extra columns under a stable English name. */
const EXTRA_NAMES = new Set([
  'gender',
  'school_name',
  'municipality',
  'textbook',
  'textbook_other',
  'student_number',
  'exam_point',
  'auditorium',
  'pass_flag',
  'subject_code',
  'kes',
  'kt',
  'seq',
  'settlement_size',
  'transport',
  'oge_code',
  'ege_code',
]);

interface Extra {
  name: string;
  expr: string;
}

function extrasOf(m: Mapping, target: CanonicalTableName, src = ''): Extra[] {
  const contract = new Set(CONTRACT[target].columns.map((c) => c.name));
  const out: Extra[] = [];
  const seen = new Set<string>();
  for (const c of m.columns) {
    let name: string | null = null;
    if (c.field === ROLE_EXTRA) name = c.header.trim() || c.column;
    else if (EXTRA_NAMES.has(c.field)) name = c.field;
    if (!name || contract.has(name) || seen.has(name.toLowerCase()) || name === '_row') continue;
    seen.add(name.toLowerCase());
    const e = `${src}${q(c.column)}`;
    out.push({ name, expr: c.field === 'gender' ? `lower(${txt(e)})` : txt(e) });
  }
  return out;
}

async function addExtraColumns(conn: Connector, table: string, extras: Extra[]) {
  for (const x of extras) await conn.query({ type: 'exec', sql: `ALTER TABLE ${q(table)} ADD COLUMN IF NOT EXISTS ${q(x.name)} VARCHAR` });
}

/** Personal columns in the order `pseudonymize` hashes them: surname, name, patronymic, document series, number. */
function personalParts(personal: Mapping['columns'], src: string): string[] {
  return PERSONAL_HASH_ORDER.map((role) => {
    const c = personal.find((p) => personalRole(p.header) === role);
    return c ? `${src}${q(c.column)}` : `''`;
  });
}

const fieldCol = (m: Mapping, field: string): string | null => m.columns.find((c) => c.field === field)?.column ?? null;

type ConstKey = 'year' | 'procedure' | 'subject' | 'grade';

/** Value expression of a key field: a user-set constant, else the column, else the mapping's constant. */
function keyExpr(m: Mapping, opts: ApplyOptions, key: ConstKey, src = ''): string {
  const set = opts.set?.[key];
  const isInt = key === 'year' || key === 'grade';
  if (set !== undefined && set !== '') return isInt ? `CAST(${lit(Number(set))} AS INTEGER)` : lit(String(set));
  const col = fieldCol(m, key);
  const constant = m.constants[key];
  const constSql = constant == null ? 'NULL' : isInt ? `CAST(${lit(Number(constant))} AS INTEGER)` : lit(String(constant));
  if (col) {
    const e = `${src}${q(col)}`;
    if (key === 'grade') return `coalesce(TRY_CAST(regexp_extract(${txt(e)}, '^(\\d+)', 1) AS INTEGER), ${constSql})`;
    return `coalesce(${isInt ? int(e) : txt(e)}, ${constSql})`;
  }
  if (key === 'subject') {
    const code = fieldCol(m, 'subject_code');
    if (code) {
      const cases = Object.entries(SUBJECT_CODES).map(([k, v]) => `WHEN ${lit(k)} THEN ${lit(v)}`).join(' ');
      return `coalesce(CASE ${txt(`${src}${q(code)}`)} ${cases} END, ${constSql})`;
    }
  }
  return constSql;
}

/** Task cells per chunk of the unpivot: bounds the temporary tables of a million-row sheet. */
const CELLS_PER_CHUNK = 2_000_000;

/** Reference scales shipped with the app (datasets/reference), used where `thresholds` has no row. */
export const REFERENCE_TABLE = 'reference_thresholds';
const THRESHOLD_COLS = CONTRACT.thresholds.columns.map((c) => q(c.name)).join(', ');
const SCALES = `(SELECT ${THRESHOLD_COLS} FROM thresholds UNION ALL
  SELECT ${THRESHOLD_COLS} FROM ${REFERENCE_TABLE} r WHERE NOT EXISTS (SELECT 1 FROM thresholds t WHERE t.year = r.year
    AND t.procedure = r.procedure AND t.subject = r.subject AND t.grade IS NOT DISTINCT FROM r.grade))`;

async function hasColumn(conn: Connector, table: string, column: string): Promise<boolean> {
  const rows = await conn.query({
    type: 'rows',
    sql: `SELECT 1 FROM information_schema.columns WHERE table_schema = 'main' AND table_name = $1 AND column_name = $2`,
    params: [table, column],
  });
  return rows.length > 0;
}

async function tableCount(conn: Connector, sql: string): Promise<number> {
  const [r] = await conn.query({ type: 'rows', sql });
  return Number(r?.n ?? 0);
}

/** Runs one mapping; the canonical tables and `import_issues` must exist (ensureCanonicalTables). */
export async function applyMapping(conn: Connector, raw: RawSource, m: Mapping, opts: ApplyOptions): Promise<ImportReport> {
  await ensureCanonicalTables(conn);
  const report: ImportReport = {
    file: raw.file,
    sheet: raw.sheet,
    layout: m.layout,
    target: m.target,
    rowsRead: raw.rowCount,
    written: {},
    excludedRows: 0,
    counts: {},
  };
  await conn.query({ type: 'exec', sql: `DROP TABLE IF EXISTS _imp_issues; CREATE TEMP TABLE _imp_issues ("row" INTEGER, "column" VARCHAR, code VARCHAR, message VARCHAR)` });
  if (m.layout === 'unknown') return report;
  if (m.target === 'assessment_results') await applyResults(conn, raw, m, opts, report);
  else if (m.layout === 'monitoring-wide') await applyMonitoringWide(conn, raw, m, opts, report);
  else await applyTable(conn, raw, m, opts, report);

  await conn.query({
    type: 'exec',
    sql: `INSERT INTO ${ISSUES_TABLE} SELECT ${lit(raw.file)}, ${lit(raw.sheet)}, "row", "column", code, message,
            code IN (${[...EXCLUDING].map(lit).join(', ')}) FROM _imp_issues ORDER BY "row", code`,
  });
  const counts = await conn.query({ type: 'rows', sql: `SELECT code, count(*) AS n FROM _imp_issues GROUP BY code ORDER BY code` });
  for (const r of counts) report.counts[String(r.code)] = Number(r.n);
  report.excludedRows = await tableCount(
    conn,
    `SELECT count(DISTINCT "row") AS n FROM _imp_issues WHERE code IN (${[...EXCLUDING].map(lit).join(', ')})`,
  );
  return report;
}

const KEY_MISSING_MESSAGES: Record<ConstKey, string> = {
  year: 'год',
  procedure: 'процедура',
  subject: 'предмет',
  grade: 'класс',
};

async function applyResults(conn: Connector, raw: RawSource, m: Mapping, opts: ApplyOptions, report: ImportReport) {
  const src = 'r.';
  const col = (f: string) => {
    const c = fieldCol(m, f);
    return c ? `${src}${q(c)}` : null;
  };
  // The school row of a block may spread over the first cells: «<name> (eduNNNNNN)» | «Кол-во участников: N».
  const first = `concat_ws(' ', ${raw.columns.slice(0, 2).map((c) => `${src}${q(c)}`).join(', ')})`;
  const grade = keyExpr(m, opts, 'grade', src);

  let schoolExpr = col('school_id') ? schoolCode(col('school_id')!) : 'NULL';
  // «Индивидуальные результаты»: a row «<name> (eduNNNNNN) | Кол-во участников: N» opens each school's block.
  const blockSchool = `regexp_extract(${txt(first)}, '\\(([A-Za-zА-Яа-я]*\\d+)\\)', 1)`;
  const isBlockRow = `coalesce(regexp_matches(${txt(first)}, 'Кол-во участников|Количество участников'), false)`;
  if (m.schoolBlocks) schoolExpr = `coalesce(${schoolExpr}, ${schoolCode('_blk_school')})`;

  const personal = m.columns.filter((c) => c.field === ROLE_PERSONAL);
  let studentExpr = col('student_id') ? txt(col('student_id')!) : null;
  if (!studentExpr && personal.length) studentExpr = pseudonymSql(opts.salt, personalParts(personal, src));
  if (!studentExpr) studentExpr = pseudonymSql(opts.salt, [lit(raw.file), lit(raw.sheet ?? ''), `CAST(r._row AS VARCHAR)`]);

  const absentCols = ['variant', 'primary_score', 'mark'].map(col).filter((c): c is string => !!c);
  const absentExpr = absentCols.length
    ? `(${absentCols.map((c) => `coalesce(lower(${txt(c)}) LIKE 'отсутств%', false)`).join(' OR ')})`
    : 'false';
  const markCol = col('mark');
  const journalCol = col('journal_mark');
  const extras = extrasOf(m, 'assessment_results', src);
  const nonEmpty = raw.columns.map((c) => `${txt(`${src}${q(c)}`)} IS NOT NULL`).join(' OR ');

  await conn.query({
    type: 'exec',
    sql: `CREATE OR REPLACE TEMP TABLE _imp_stage AS
      WITH b AS (
        SELECT r.*, ${m.schoolBlocks ? `coalesce(last_value(CASE WHEN ${isBlockRow} THEN NULLIF(${blockSchool}, '') END IGNORE NULLS) OVER (ORDER BY r._row ROWS UNBOUNDED PRECEDING), ${lit(m.firstSchool ?? null)})` : 'NULL'} AS _blk_school,
               ${isBlockRow} AS _is_block
        FROM raw.${q(raw.table)} r
      )
      SELECT r._row AS _row,
        CAST(${keyExpr(m, opts, 'year', src)} AS INTEGER) AS year,
        CAST(${keyExpr(m, opts, 'procedure', src)} AS VARCHAR) AS procedure,
        CAST(${keyExpr(m, opts, 'subject', src)} AS VARCHAR) AS subject,
        CAST(${grade} AS INTEGER) AS grade,
        CAST(${schoolExpr} AS VARCHAR) AS school_id,
        CAST(${col('class') ? classExpr(col('class')!, grade) : 'NULL'} AS VARCHAR) AS class,
        CAST(${studentExpr} AS VARCHAR) AS student_id,
        CAST(${col('variant') ? txt(col('variant')!) : 'NULL'} AS VARCHAR) AS variant,
        CAST(${col('primary_score') ? num(col('primary_score')!) : 'NULL'} AS DOUBLE) AS primary_score,
        CAST(${col('primary_score') ? txt(col('primary_score')!) : 'NULL'} AS VARCHAR) AS _ps_raw,
        CAST(${col('test_score') ? num(col('test_score')!) : 'NULL'} AS DOUBLE) AS test_score,
        CAST(${markCol ? `(CASE WHEN ${int(markCol)} BETWEEN 2 AND 5 THEN ${int(markCol)} END)` : 'NULL'} AS INTEGER) AS mark,
        CAST(${markCol ? txt(markCol) : 'NULL'} AS VARCHAR) AS _mark_raw,
        CAST(${journalCol ? `(CASE WHEN ${int(journalCol)} BETWEEN 2 AND 5 THEN ${int(journalCol)} END)` : 'NULL'} AS INTEGER) AS journal_mark,
        CAST(${journalCol ? txt(journalCol) : 'NULL'} AS VARCHAR) AS _jm_raw,
        CAST(coalesce(${col('retake') ? bool(col('retake')!) : 'NULL'}, ${m.constants.retake == null ? 'NULL' : m.constants.retake ? 'true' : 'false'}) AS BOOLEAN) AS retake,
        ${absentExpr} AS _absent
        ${extras.map((x) => `, ${x.expr} AS ${q(x.name)}`).join('')}
      FROM b r
      WHERE NOT r._is_block AND (${nonEmpty})`,
  });

  for (const key of ['year', 'procedure', 'subject', 'grade'] as const) {
    const n = await tableCount(conn, `SELECT count(*) AS n FROM _imp_stage WHERE ${key} IS NULL AND NOT _absent`);
    if (n) {
      await conn.query({
        type: 'exec',
        sql: `INSERT INTO _imp_issues SELECT min(_row), NULL, 'missing_constant',
                ${lit(`Не задан ${KEY_MISSING_MESSAGES[key]}: укажите его при подтверждении сопоставления (строк: ${n})`)} FROM _imp_stage WHERE ${key} IS NULL AND NOT _absent`,
      });
    }
  }

  // Task cells, long form: wide task columns, then part-1 characters and part-2 `score(max)` pairs.
  // Built per chunk of source rows (a million participants × twenty tasks never sit in one
  // temporary table): pass 1 validates the cells and sums them per row, pass 2 — once the rows
  // to exclude are known — writes task_scores.
  const taskCols = m.columns.filter((c) => c.field === ROLE_TASK && c.task);
  const p1 = fieldCol(m, 'part1');
  const p2 = fieldCol(m, 'part2');
  const hasSeq = taskCols.some((c) => c.sequential) && (await hasColumn(conn, 'tasks', 'seq'));
  const cellsSql = (lo: number, hi: number) => {
    const rows = `(SELECT * FROM raw.${q(raw.table)} WHERE _row >= ${lo} AND _row < ${hi})`;
    const parts: string[] = [];
    if (taskCols.length) {
      const values = taskCols
        .map((c, i) => `(${lit(c.column)}, ${lit(c.task!)}, ${c.max == null ? 'NULL' : lit(c.max)}, ${lit(c.level ?? null)}, ${i}, ${c.sequential ? 'true' : 'false'})`)
        .join(', ');
      parts.push(`SELECT u._row, t.task, u.val, CAST(t.mx AS DOUBLE) AS mx, NULL AS part, t.ord AS ord, t.sq AS sq
        FROM (UNPIVOT (SELECT _row, ${taskCols.map((c) => q(c.column)).join(', ')} FROM ${rows})
              ON ${taskCols.map((c) => q(c.column)).join(', ')} INTO NAME col VALUE val) u
        JOIN (VALUES ${values}) t(col, task, mx, lvl, ord, sq) ON t.col = u.col`);
    }
    const p1len = p1 ? `coalesce(length(${txt(`s.${q(p1)}`)}), 0)` : '0';
    if (p1) {
      parts.push(`SELECT _row, CAST(i AS VARCHAR) AS task, substr(s, i, 1) AS val, NULL AS mx, '1' AS part, 1000 + i AS ord, false AS sq
        FROM (SELECT _row, s, unnest(range(1, length(s) + 1)) AS i FROM (SELECT _row, ${txt(q(p1))} AS s FROM ${rows}) WHERE s IS NOT NULL)`);
    }
    if (p2) {
      const re = `'([^()]*)\\((\\d+)\\)'`;
      parts.push(`SELECT _row, CAST(n1 + k AS VARCHAR) AS task, trim(sc) AS val, CAST(mx AS DOUBLE) AS mx, '2' AS part, 2000 + k AS ord, false AS sq
        FROM (SELECT _row, n1, unnest(regexp_extract_all(s2, ${re}, 1)) AS sc, unnest(regexp_extract_all(s2, ${re}, 2)) AS mx,
                     unnest(range(1, len(regexp_extract_all(s2, ${re}, 1)) + 1)) AS k
              FROM (SELECT s._row, ${p1len} AS n1, ${txt(`s.${q(p2)}`)} AS s2 FROM ${rows} s) WHERE s2 IS NOT NULL)`);
    }
    // `балл за N` counts tasks in sequence; the КИМ spec's `Порядковый номер` (kept as tasks.seq) gives the printed number.
    const cells = parts.length ? parts.join('\nUNION ALL\n') : `SELECT NULL::INTEGER AS _row, NULL::VARCHAR AS task, NULL::VARCHAR AS val, NULL::DOUBLE AS mx, NULL::VARCHAR AS part, 0 AS ord, false AS sq WHERE false`;
    return `CREATE OR REPLACE TEMP TABLE _imp_cells AS
      WITH c0 AS (${cells}),
      c AS (
        SELECT c0._row, ${hasSeq ? 'coalesce(sq.task, c0.task)' : 'c0.task'} AS task, trim(replace(c0.val, chr(160), ' ')) AS val, c0.mx, c0.part, c0.ord
        FROM c0 ${
          hasSeq
            ? `JOIN _imp_stage s0 ON s0._row = c0._row
               LEFT JOIN tasks sq ON c0.sq AND sq.year = s0.year AND sq.procedure = s0.procedure AND sq.subject = s0.subject
                 AND sq.grade IS NOT DISTINCT FROM s0.grade AND CAST(sq.seq AS VARCHAR) = c0.task`
            : ''
        }
      )
      SELECT _row, task, ord, part, mx, not_attempted, score,
        -- The text is kept only where a message needs it.
        CASE WHEN not_attempted OR score IS NULL OR score < 0 OR score > mx THEN val END AS val,
        CASE WHEN part = '1' THEN val IN ('+', '-') END AS pm
      FROM (SELECT c._row, c.task, c.ord, c.part, c.val,
        coalesce(c.mx, spec.max_score) AS mx,
        (upper(c.val) IN ('X', 'Х') OR lower(c.val) LIKE 'не пройд%') AS not_attempted,
        CASE WHEN upper(c.val) IN ('X', 'Х') OR lower(c.val) LIKE 'не пройд%' THEN 0
             WHEN c.val = '+' THEN 1 WHEN c.val = '-' AND c.part = '1' THEN 0
             ELSE TRY_CAST(replace(c.val, ',', '.') AS DOUBLE) END AS score
      FROM c
      JOIN (SELECT * FROM _imp_stage WHERE _row >= ${lo} AND _row < ${hi}) s ON s._row = c._row
      LEFT JOIN tasks spec ON spec.year = s.year AND spec.procedure = s.procedure AND spec.subject = s.subject
        AND spec.grade IS NOT DISTINCT FROM s.grade AND spec.task = c.task
      WHERE NULLIF(c.val, '') IS NOT NULL AND NOT s._absent)`;
  };
  // Column titles and task levels by cell ordinal (part-1 and part-2 strings share one title each).
  const names = [
    ...taskCols.map((c, i) => `(${i}, ${lit(c.header)}, ${lit(c.level ?? null)})`),
    ...(p1 ? [`(1000, ${lit(m.columns.find((c) => c.column === p1)!.header)}, NULL)`] : []),
    ...(p2 ? [`(2000, ${lit(m.columns.find((c) => c.column === p2)!.header)}, NULL)`] : []),
  ];
  await conn.query({
    type: 'exec',
    sql: `CREATE OR REPLACE TEMP TABLE _imp_colnames AS SELECT * FROM (${names.length ? `VALUES ${names.join(', ')}` : 'SELECT 0, NULL::VARCHAR, NULL::VARCHAR WHERE false'}) v(ord, col, lvl)`,
  });
  const colOf = (c: string) => `(SELECT col FROM _imp_colnames n WHERE n.ord = CASE WHEN ${c}.ord >= 2000 THEN 2000 WHEN ${c}.ord >= 1000 THEN 1000 ELSE ${c}.ord END)`;

  const issue = (sql: string) => conn.query({ type: 'exec', sql: `INSERT INTO _imp_issues ${sql}` });
  await issue(`SELECT _row, NULL, 'absent', 'Участник отсутствовал: не включён в результаты' FROM _imp_stage WHERE _absent`);

  const [bounds] = await conn.query({ type: 'rows', sql: `SELECT min(_row) AS lo, max(_row) AS hi FROM _imp_stage` });
  const firstRow = Number(bounds?.lo ?? 0);
  const lastRow = Number(bounds?.hi ?? -1);
  const cellsPerRow = Math.max(1, taskCols.length + (p1 ? 40 : 0) + (p2 ? 10 : 0));
  const step = Math.max(1, Math.floor((opts.chunkCells ?? CELLS_PER_CHUNK) / cellsPerRow));
  const chunks: [number, number][] = [];
  for (let lo = firstRow; lo <= lastRow; lo += step) chunks.push([lo, lo + step]);
  const progress = (done: number, stage: string) => opts.onProgress?.(done / Math.max(1, 2 * chunks.length), stage);

  await conn.query({
    type: 'exec',
    sql: `CREATE OR REPLACE TEMP TABLE _imp_rowsum (_row INTEGER, task_sum DOUBLE, n BIGINT, n_max BIGINT, max_sum DOUBLE);
      CREATE OR REPLACE TEMP TABLE _imp_taskmax (year INTEGER, procedure VARCHAR, subject VARCHAR, grade INTEGER, task VARCHAR, ord INTEGER, pm BOOLEAN, mx DOUBLE, part VARCHAR, lvl VARCHAR)`,
  });
  for (const [i, [lo, hi]] of chunks.entries()) {
    progress(i, 'Проверка баллов за задания');
    await conn.query({ type: 'exec', sql: cellsSql(lo, hi) });
    await issue(`SELECT _row, ${colOf('c')}, 'not_attempted', 'Задание ' || task || ' не выполнялось («' || val || '»): 0 баллов' FROM _imp_cells c WHERE not_attempted`);
    await issue(`SELECT _row, ${colOf('c')}, 'bad_value', 'Балл за задание ' || task || ' не число: «' || val || '»' FROM _imp_cells c WHERE score IS NULL`);
    await issue(
      `SELECT _row, ${colOf('c')}, 'task_out_of_range', 'Балл за задание ' || task || ' (' || val || ') вне диапазона 0…' || coalesce(regexp_replace(CAST(mx AS VARCHAR), '\\.0$', ''), '∞')
       FROM _imp_cells c WHERE score < 0 OR score > mx`,
    );
    await conn.query({
      type: 'exec',
      sql: `INSERT INTO _imp_rowsum SELECT _row, sum(score), count(*), count(mx), sum(mx) FROM _imp_cells GROUP BY _row;
        INSERT INTO _imp_taskmax SELECT s.year, s.procedure, s.subject, s.grade, c.task, min(c.ord), bool_and(c.pm), max(c.mx), any_value(c.part), any_value(n.lvl)
        FROM _imp_cells c JOIN _imp_stage s USING (_row) LEFT JOIN _imp_colnames n ON n.ord = c.ord
        GROUP BY s.year, s.procedure, s.subject, s.grade, c.task`,
    });
  }
  const psHeader = m.columns.find((c) => c.field === 'primary_score')?.header ?? null;
  await issue(
    `SELECT s._row, ${lit(psHeader)}, 'bad_value', 'Первичный балл не число: «' || s._ps_raw || '»'
     FROM _imp_stage s WHERE NOT s._absent AND s._ps_raw IS NOT NULL AND s.primary_score IS NULL`,
  );
  await issue(
    `SELECT s._row, ${lit(psHeader)}, 'total_out_of_range', 'Первичный балл ' || s._ps_raw || ' вне диапазона 0…' || coalesce(regexp_replace(CAST(t.max_sum AS VARCHAR), '\\.0$', ''), '∞')
     FROM _imp_stage s LEFT JOIN _imp_rowsum t USING (_row)
     WHERE NOT s._absent AND (s.primary_score < 0 OR (t.n = t.n_max AND s.primary_score > t.max_sum))`,
  );
  await issue(
    `SELECT s._row, ${lit(psHeader)}, 'total_mismatch', 'Первичный балл ' || s._ps_raw || ' не равен сумме баллов за задания ' || regexp_replace(CAST(t.task_sum AS VARCHAR), '\\.0$', '')
     FROM _imp_stage s JOIN _imp_rowsum t USING (_row)
     WHERE NOT s._absent AND s.primary_score IS NOT NULL AND t.task_sum IS NOT NULL AND abs(s.primary_score - t.task_sum) > 1e-9
       AND s.primary_score >= 0 AND NOT (t.n = t.n_max AND s.primary_score > t.max_sum)`,
  );
  if (journalCol) {
    await issue(
      `SELECT _row, ${lit(m.columns.find((c) => c.field === 'journal_mark')!.header)}, 'journal_mark_invalid',
              'Отметка по журналу «' || _jm_raw || '» не из 2–5: оставлена пустой'
       FROM _imp_stage WHERE NOT _absent AND _jm_raw IS NOT NULL AND journal_mark IS NULL`,
    );
  }
  if (markCol) {
    await issue(
      `SELECT _row, ${lit(m.columns.find((c) => c.field === 'mark')!.header)}, 'mark_invalid', 'Отметка «' || _mark_raw || '» не из 2–5: оставлена пустой'
       FROM _imp_stage WHERE NOT _absent AND _mark_raw IS NOT NULL AND mark IS NULL`,
    );
  }
  // School codes are checked only once a schools table is loaded; codes of other systems resolve through it.
  const knownSchools = await tableCount(conn, `SELECT count(*) AS n FROM schools`);
  if (knownSchools) {
    await resolveSchools(conn);
    await issue(
      `SELECT _row, ${lit(m.columns.find((c) => c.field === 'school_id')?.header ?? null)}, 'unknown_school', 'Неизвестный код ОО «' || coalesce(school_id, '') || '»'
       FROM _imp_stage WHERE NOT _absent AND (school_id IS NULL OR school_id NOT IN (SELECT school_id FROM schools WHERE school_id IS NOT NULL))`,
    );
  }
  await issue(
    `SELECT _row, NULL, 'duplicate', 'Повтор участника ' || student_id || ' (' || concat_ws(', ', year, procedure, subject, grade || ' класс') || ')'
     FROM (SELECT s.*, row_number() OVER (PARTITION BY year, procedure, subject, grade, student_id ORDER BY _row) AS k
           FROM _imp_stage s WHERE NOT _absent AND _row NOT IN (SELECT "row" FROM _imp_issues WHERE code IN (${[...EXCLUDING].map(lit).join(', ')})))
     WHERE k > 1`,
  );
  await issue(
    `SELECT s._row, NULL, 'duplicate', 'Участник ' || s.student_id || ' уже загружен из другого файла'
     FROM _imp_stage s JOIN assessment_results a ON a.year = s.year AND a.procedure = s.procedure AND a.subject = s.subject
       AND a.grade IS NOT DISTINCT FROM s.grade AND a.student_id = s.student_id
     WHERE NOT s._absent AND s._row NOT IN (SELECT "row" FROM _imp_issues WHERE code IN (${[...EXCLUDING].map(lit).join(', ')}))`,
  );

  await conn.query({
    type: 'exec',
    sql: `CREATE OR REPLACE TEMP TABLE _imp_excluded AS SELECT DISTINCT "row" AS _row FROM _imp_issues WHERE code IN (${[...EXCLUDING].map(lit).join(', ')})`,
  });
  const excluded = `(SELECT _row FROM _imp_excluded)`;
  await addExtraColumns(conn, 'assessment_results', extras);
  const derived = markCol
    ? 's.mark'
    : `CASE WHEN s.primary_score IS NULL OR th.mark3_from IS NULL THEN NULL
            WHEN th.mark5_from IS NOT NULL AND s.primary_score >= th.mark5_from THEN 5
            WHEN th.mark4_from IS NOT NULL AND s.primary_score >= th.mark4_from THEN 4
            WHEN s.primary_score >= th.mark3_from THEN 3 ELSE 2 END`;
  const before = await tableCount(conn, `SELECT count(*) AS n FROM assessment_results`);
  await conn.query({
    type: 'exec',
    sql: `INSERT INTO assessment_results (year, procedure, subject, grade, school_id, class, student_id, variant, primary_score, test_score, mark, journal_mark, retake${extras.map((x) => `, ${q(x.name)}`).join('')})
      SELECT s.year, s.procedure, s.subject, s.grade, s.school_id, s.class, s.student_id, s.variant, s.primary_score, s.test_score,
             ${derived}, s.journal_mark, s.retake${extras.map((x) => `, s.${q(x.name)}`).join('')}
      FROM _imp_stage s
      LEFT JOIN (SELECT * FROM ${SCALES} QUALIFY row_number() OVER (PARTITION BY year, procedure, subject, grade) = 1) th
        ON th.year = s.year AND th.procedure = s.procedure AND th.subject = s.subject AND (th.grade IS NULL OR th.grade = s.grade)
      WHERE NOT s._absent AND s._row NOT IN ${excluded}
      ORDER BY s._row`,
  });
  await compact(conn);
  report.written.assessment_results = (await tableCount(conn, `SELECT count(*) AS n FROM assessment_results`)) - before;

  const tsBefore = await tableCount(conn, `SELECT count(*) AS n FROM task_scores`);
  for (const [i, [lo, hi]] of chunks.entries()) {
    progress(chunks.length + i, 'Запись баллов за задания');
    // A single chunk is still in _imp_cells from the first pass.
    if (chunks.length > 1) await conn.query({ type: 'exec', sql: cellsSql(lo, hi) });
    await conn.query({
      type: 'exec',
      sql: `INSERT INTO task_scores (year, procedure, subject, grade, school_id, student_id, task, score)
        SELECT s.year, s.procedure, s.subject, s.grade, s.school_id, s.student_id, c.task, c.score
        FROM _imp_cells c JOIN _imp_stage s USING (_row)
        WHERE s._row NOT IN ${excluded}
        ORDER BY c._row, c.ord`,
    });
    await compact(conn);
  }
  report.written.task_scores = (await tableCount(conn, `SELECT count(*) AS n FROM task_scores`)) - tsBefore;

  // Task maxima named by the file (headers `1 (1б)`, part-2 `score(max)`, part-1 `+/-`) go to `tasks` unless already there.
  const tBefore = await tableCount(conn, `SELECT count(*) AS n FROM tasks`);
  await conn.query({
    type: 'exec',
    sql: `INSERT INTO tasks (year, procedure, subject, grade, task, max_score, part, level)
      SELECT year, procedure, subject, grade, task, mx, part, level FROM (
        SELECT year, procedure, subject, grade, task, min(ord) AS ord,
          CASE WHEN any_value(part) = '1' AND bool_and(pm) THEN 1
               WHEN any_value(part) = '1' THEN NULL ELSE max(mx) END AS mx,
          any_value(part) AS part, any_value(lvl) AS level
        FROM _imp_taskmax GROUP BY year, procedure, subject, grade, task) n
      WHERE (mx IS NOT NULL OR level IS NOT NULL OR part IS NOT NULL) AND year IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.year = n.year AND t.procedure = n.procedure AND t.subject = n.subject
                        AND t.grade IS NOT DISTINCT FROM n.grade AND t.task = n.task)
      ORDER BY year, procedure, subject, grade, ord`,
  });
  const tAdded = (await tableCount(conn, `SELECT count(*) AS n FROM tasks`)) - tBefore;
  if (tAdded) report.written.tasks = tAdded;
  await conn.query({ type: 'exec', sql: `DROP TABLE IF EXISTS _imp_cells; DROP TABLE IF EXISTS _imp_rowsum; DROP TABLE IF EXISTS _imp_taskmax; DROP TABLE IF EXISTS _imp_excluded` });
}

/**
 * School codes differ between systems (`sch22NNNN`, `edu22NNNN`, the exam centre's code). A code
 * not in `schools` is replaced by the school whose ОГЭ/ЕГЭ code or digits match, when exactly one does.
 */
async function resolveSchools(conn: Connector) {
  const cols = (await conn.query({ type: 'rows', sql: `SELECT column_name AS c FROM information_schema.columns WHERE table_name = 'schools' AND table_schema = 'main'` })).map(
    (r: Row) => String(r.c),
  );
  const alt = ['oge_code', 'ege_code'].filter((c) => cols.includes(c));
  const codes = [
    `SELECT DISTINCT school_id, school_id AS code FROM schools`,
    `SELECT DISTINCT school_id, regexp_replace(school_id, '^[A-Za-z]+', '') AS code FROM schools`,
    ...alt.map((c) => `SELECT DISTINCT school_id, ${txt(q(c))} AS code FROM schools`),
  ];
  await conn.query({
    type: 'exec',
    sql: `CREATE OR REPLACE TEMP TABLE _imp_school_xw AS
      SELECT code, any_value(school_id) AS school_id FROM (${codes.join(' UNION ')}) WHERE code IS NOT NULL GROUP BY code HAVING count(DISTINCT school_id) = 1;
      UPDATE _imp_stage s SET school_id = x.school_id FROM _imp_school_xw x
      WHERE s.school_id NOT IN (SELECT school_id FROM schools WHERE school_id IS NOT NULL)
        AND x.code = coalesce((SELECT code FROM _imp_school_xw WHERE code = s.school_id), regexp_replace(s.school_id, '^[A-Za-z]+', ''))`,
  });
}

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

/** Any other target: one source row → one canonical row (КИМ spec, context questionnaire, «Классы», canonical files). */
async function applyTable(conn: Connector, raw: RawSource, m: Mapping, opts: ApplyOptions, report: ImportReport) {
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
    else if (c.name === 'student_id' && personal.length) e = pseudonymSql(opts.salt, personalParts(personal, src));
    else e = 'NULL';
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
  const excluded = `(SELECT "row" FROM _imp_issues WHERE code IN (${[...EXCLUDING].map(lit).join(', ')}))`;
  const keyJoin = def.key.map((k) => `t.${q(k)} IS NOT DISTINCT FROM s.${q(k)}`).join(' AND ');
  if (m.layout === 'vpr-classes') {
    // The «Классы» sheet adds textbooks to classes already described (e.g. by a teaching form), without repeating them.
    await conn.query({
      type: 'exec',
      sql: `UPDATE class_teaching t SET textbook = s.textbook FROM _imp_stage s WHERE ${keyJoin} AND t.textbook IS NULL AND s.textbook IS NOT NULL;
            DELETE FROM _imp_stage s WHERE EXISTS (SELECT 1 FROM class_teaching t WHERE ${keyJoin})`,
    });
  }
  await issue(
    `SELECT _row, NULL, 'duplicate_key', 'Повтор ключа (' || concat_ws(', ', ${def.key.map((k) => `CAST(${q(k)} AS VARCHAR)`).join(', ')}) || ')'
     FROM (SELECT s.*, row_number() OVER (PARTITION BY ${def.key.map(q).join(', ')} ORDER BY _row) AS k FROM _imp_stage s WHERE _row NOT IN ${excluded}) s
     WHERE k > 1 OR EXISTS (SELECT 1 FROM ${q(m.target)} t WHERE ${keyJoin})`,
  );
  await addExtraColumns(conn, m.target, extras);
  const names = [...def.columns.map((c) => c.name), ...extras.map((x) => x.name)];
  const before = await tableCount(conn, `SELECT count(*) AS n FROM ${q(m.target)}`);
  await conn.query({
    type: 'exec',
    sql: `INSERT INTO ${q(m.target)} (${names.map(q).join(', ')})
      SELECT ${names.map(q).join(', ')} FROM _imp_stage WHERE _row NOT IN ${excluded} ORDER BY _row`,
  });
  report.written[m.target] = (await tableCount(conn, `SELECT count(*) AS n FROM ${q(m.target)}`)) - before;

  // The context questionnaire's counts go to `monitoring`, one row per school and code.
  const monitoring = m.columns.filter((c) => c.field.startsWith('monitoring:'));
  if (m.target === 'schools' && monitoring.length) await insertMonitoring(conn, raw, m, opts, monitoring, report, excluded);
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
      ORDER BY u._row, v.code`,
  });
  report.written.monitoring = (await tableCount(conn, `SELECT count(*) AS n FROM monitoring`)) - before;
}

async function applyMonitoringWide(conn: Connector, raw: RawSource, m: Mapping, opts: ApplyOptions, report: ImportReport) {
  const monitoring = m.columns.filter((c) => c.field.startsWith('monitoring:'));
  await conn.query({ type: 'exec', sql: `CREATE OR REPLACE TEMP TABLE _imp_stage AS SELECT _row FROM raw.${q(raw.table)} WHERE false` });
  if (!monitoring.length) return;
  await insertMonitoring(conn, raw, m, opts, monitoring, report, `(SELECT 0 WHERE false)`);
}

