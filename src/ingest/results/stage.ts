/**
 * Stage of a results sheet: one typed row per source row in `_imp_stage` (keys, school, class,
 * participant, scores, marks, the absent flag, extra columns, and the school's name and
 * municipality as the file gives them, for schools that must be added).
 */
import { compact, type Connector } from '../../db/connector';
import type { RawSource } from '../read/types';
import { ROLE_PERSONAL, type Mapping } from '../mapping';
import { participantPseudonymSql } from '../pseudonym';
import { bool, classExpr, int, lit, num, pseudonymSql, q, schoolCode, txt } from '../sql';
import { extrasOf, fieldCol, keyExpr, personalParts, tableCount, type ApplyOptions, type ConstKey } from '../tables';

/**
 * Source rows staged per statement (each slice compressed before the next): two of DuckDB's row
 * groups (122 880 rows). A slice that ends inside a row group leaves it partly filled, and the
 * next slice's checkpoint compresses that group again: 250 000-row slices of 8-column rows cost
 * 2.4–2.7 s of checkpoint CPU per 4M rows, 245 760-row ones 1.0–1.1 s (synthetic, one thread).
 */
export const STAGE_ROWS = 2 * 122_880;

const KEY_MISSING_MESSAGES: Record<ConstKey, string> = { year: 'год', procedure: 'процедура', subject: 'предмет', grade: 'класс' };

/** The school name a cell like `edu220001 | Школа №1` carries after the bar. */
const nameAfterBar = (e: string) => `NULLIF(trim(split_part(${txt(e)}, '|', 2)), '')`;

/**
 * `main._imp_stage` from `select(range)`: in the compressed workspace, compressed slice by slice
 * (in source order), since a temporary table stays uncompressed and a million staged rows held so
 * were the import's peak once the raw table was read in parts. School blocks carry their school
 * down the rows: one statement then.
 */
async function writeStage(conn: Connector, raw: RawSource, oneStatement: boolean, select: (range: string) => string, step = STAGE_ROWS) {
  const [b] = await conn.query({ type: 'rows', sql: `SELECT min(_row) AS lo, max(_row) AS hi FROM raw.${q(raw.table)}` });
  const lo = Number(b?.lo ?? 0);
  const hi = oneStatement ? lo : Number(b?.hi ?? 0);
  for (let at = lo; at <= hi; at += step) {
    const range = oneStatement ? '' : ` WHERE r._row >= ${at} AND r._row < ${at + step}`;
    await conn.query({ type: 'exec', sql: at === lo ? `CREATE OR REPLACE TABLE main._imp_stage AS ${select(range)}` : `INSERT INTO main._imp_stage ${select(range)}` });
    await compact(conn);
  }
}

export async function stageResults(conn: Connector, raw: RawSource, m: Mapping, opts: ApplyOptions): Promise<void> {
  const src = 'r.';
  const col = (f: string) => {
    const c = fieldCol(m, f);
    return c ? `${src}${q(c)}` : null;
  };
  // The school row of a block may spread over the first cells: «<name> (eduNNNNNN)» | «Кол-во участников: N».
  const first = `concat_ws(' ', ${raw.columns.slice(0, 2).map((c) => `${src}${q(c)}`).join(', ')})`;
  const grade = keyExpr(m, opts, 'grade', src);

  let schoolExpr = col('school_id') ? schoolCode(col('school_id')!) : 'NULL';
  const blockSchool = `regexp_extract(${txt(first)}, '\\(([A-Za-zА-Яа-я]*\\d+)\\)', 1)`;
  const blockName = `NULLIF(trim(regexp_extract(${txt(first)}, '^(.*?)\\s*\\([A-Za-zА-Яа-я]*\\d+\\)', 1)), '')`;
  // Two substring tests instead of a regular expression on every row of the sheet (a million-row
  // file: the stage's filter was its largest step); trimming cannot change whether they match.
  const spaced = `replace(${first}, chr(160), ' ')`;
  const isBlockRow = `coalesce(contains(${spaced}, 'Кол-во участников') OR contains(${spaced}, 'Количество участников'), false)`;
  if (m.schoolBlocks) schoolExpr = `coalesce(${schoolExpr}, ${schoolCode('_blk_school')})`;
  const nameExpr = `coalesce(${col('school_name') ? `coalesce(${nameAfterBar(col('school_name')!)}, ${txt(col('school_name')!)})` : 'NULL'}, ${col('school_id') ? nameAfterBar(col('school_id')!) : 'NULL'}${m.schoolBlocks ? ', _blk_name' : ''})`;
  const muniExpr = col('municipality') ? `coalesce(${nameAfterBar(col('municipality')!)}, ${txt(col('municipality')!)})` : 'NULL';

  const personal = m.columns.filter((c) => c.field === ROLE_PERSONAL);
  let studentExpr = col('student_id') ? txt(col('student_id')!) : null;
  // The school is one of the parts: the same person in two schools' files is two participants, as with codes.
  // NULL when every personal part is empty (hashing nothing would merge such pupils): listed as `participant_missing`.
  if (!studentExpr && personal.length) studentExpr = participantPseudonymSql(opts.salt, personalParts(personal, src), [`coalesce(${schoolExpr}, '')`]);
  if (!studentExpr) studentExpr = pseudonymSql(opts.salt, [lit(raw.file), lit(raw.sheet ?? ''), `CAST(r._row AS VARCHAR)`]);

  const absentCols = ['variant', 'primary_score', 'mark'].map(col).filter((c): c is string => !!c);
  const absentExpr = absentCols.length ? `(${absentCols.map((c) => `coalesce(lower(${txt(c)}) LIKE 'отсутств%', false)`).join(' OR ')})` : 'false';
  const markCol = col('mark');
  const journalCol = col('journal_mark');
  const extras = extrasOf(m, 'assessment_results', src);
  const nonEmpty = raw.columns.map((c) => `${txt(`${src}${q(c)}`)} IS NOT NULL`).join(' OR ');
  const mark = (c: string | null) => (c ? `(CASE WHEN ${int(c)} BETWEEN 2 AND 5 THEN ${int(c)} END)` : 'NULL');
  const blocks = m.schoolBlocks
    ? `coalesce(last_value(CASE WHEN ${isBlockRow} THEN NULLIF(${blockSchool}, '') END IGNORE NULLS) OVER w, ${lit(m.firstSchool ?? null)}) AS _blk_school,
       last_value(CASE WHEN ${isBlockRow} THEN ${blockName} END IGNORE NULLS) OVER w AS _blk_name`
    : 'NULL AS _blk_school, NULL AS _blk_name';

  const select = (range: string) => `
      WITH b AS (
        SELECT r.*, ${blocks}, ${isBlockRow} AS _is_block
        FROM raw.${q(raw.table)} r${range}
        ${m.schoolBlocks ? 'WINDOW w AS (ORDER BY r._row ROWS UNBOUNDED PRECEDING)' : ''}
      )
      SELECT r._row AS _row,
        CAST(${keyExpr(m, opts, 'year', src)} AS INTEGER) AS year,
        CAST(${keyExpr(m, opts, 'procedure', src)} AS VARCHAR) AS procedure,
        CAST(${keyExpr(m, opts, 'subject', src)} AS VARCHAR) AS subject,
        CAST(${grade} AS INTEGER) AS grade,
        CAST(${schoolExpr} AS VARCHAR) AS school_id,
        CAST(${nameExpr} AS VARCHAR) AS _school_name,
        CAST(${muniExpr} AS VARCHAR) AS _municipality,
        CAST(${col('class') ? classExpr(col('class')!, grade) : 'NULL'} AS VARCHAR) AS class,
        CAST(${studentExpr} AS VARCHAR) AS student_id,
        CAST(${col('variant') ? txt(col('variant')!) : 'NULL'} AS VARCHAR) AS variant,
        CAST(${col('primary_score') ? num(col('primary_score')!) : 'NULL'} AS DOUBLE) AS primary_score,
        CAST(${col('primary_score') ? txt(col('primary_score')!) : 'NULL'} AS VARCHAR) AS _ps_raw,
        CAST(${col('test_score') ? num(col('test_score')!) : 'NULL'} AS DOUBLE) AS test_score,
        CAST(${mark(markCol)} AS INTEGER) AS mark,
        CAST(${markCol ? txt(markCol) : 'NULL'} AS VARCHAR) AS _mark_raw,
        CAST(${mark(journalCol)} AS INTEGER) AS journal_mark,
        CAST(${journalCol ? txt(journalCol) : 'NULL'} AS VARCHAR) AS _jm_raw,
        CAST(coalesce(${col('retake') ? bool(col('retake')!) : 'NULL'}, ${m.constants.retake == null ? 'NULL' : m.constants.retake ? 'true' : 'false'}) AS BOOLEAN) AS retake,
        ${absentExpr} AS _absent
        ${extras.map((x) => `, ${x.expr} AS ${q(x.name)}`).join('')}
      FROM b r
      WHERE NOT r._is_block AND (${nonEmpty})`;
  await writeStage(conn, raw, !!m.schoolBlocks, select, opts.stageRows);

  for (const key of ['year', 'procedure', 'subject', 'grade'] as const) {
    const n = await tableCount(conn, `SELECT count(*) AS n FROM _imp_stage WHERE ${key} IS NULL AND NOT _absent`);
    if (!n) continue;
    await conn.query({
      type: 'exec',
      sql: `INSERT INTO _imp_issues SELECT min(_row), NULL, 'missing_constant',
              ${lit(`Не задан ${KEY_MISSING_MESSAGES[key]}: укажите его при подтверждении сопоставления (строк: ${n})`)} FROM _imp_stage WHERE ${key} IS NULL AND NOT _absent`,
    });
  }
}
