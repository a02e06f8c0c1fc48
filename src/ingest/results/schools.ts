/**
 * Schools of a results sheet. Codes of other systems resolve to loaded schools; a school still
 * unknown is never a reason to drop its participants: it is added to `schools` from the file
 * (code, and name and municipality where the file has them) and listed as `school_added`.
 */
import type { Connector, Row } from '../../db/connector';
import type { Mapping } from '../mapping';
import { EXCLUDING_SQL } from '../rules';
import { lit, q, txt } from '../sql';
import { fieldHeader, issueInto, tableCount } from '../tables';

/**
 * School codes differ between systems (`sch22NNNN`, `edu22NNNN`, the exam centre's code). A code
 * not in `schools` is replaced by the school whose ОГЭ/ЕГЭ code or digits match, when exactly one does.
 */
export async function resolveSchools(conn: Connector) {
  if (!(await tableCount(conn, `SELECT count(*) AS n FROM schools`))) return;
  const cols = (await conn.query({ type: 'rows', sql: `SELECT column_name AS c FROM information_schema.columns WHERE table_name = 'schools' AND table_schema = 'main'` })).map(
    (r: Row) => String(r.c),
  );
  const alt = ['oge_code', 'ege_code'].filter((c) => cols.includes(c));
  const codes = [
    `SELECT DISTINCT school_id, school_id AS code FROM schools`,
    `SELECT DISTINCT school_id, regexp_replace(school_id, '^[A-Za-z]+', '') AS code FROM schools`,
    ...alt.map((c) => `SELECT DISTINCT school_id, ${txt(q(c))} AS code FROM schools`),
  ];
  // The sheet's unknown codes are resolved once each (`_imp_school_fix`: the code itself if it is
  // another system's code, else its digits) and the stage updated by an equality join. One UPDATE
  // with a correlated lookup per stage row was planned as a cross product of the rows and the
  // codes: a million-row sheet imported with the schools already loaded took minutes
  // (tests/unit/ingest/results/schools.test.ts checks the plans).
  await conn.query({
    type: 'exec',
    sql: `CREATE OR REPLACE TEMP TABLE _imp_school_xw AS
      SELECT code, any_value(school_id) AS school_id FROM (${codes.join(' UNION ')}) WHERE code IS NOT NULL GROUP BY code HAVING count(DISTINCT school_id) = 1;
    CREATE OR REPLACE TEMP TABLE _imp_school_fix AS
      SELECT u.school_id AS code, coalesce(d.school_id, r.school_id) AS school_id
      FROM (SELECT DISTINCT school_id FROM _imp_stage WHERE school_id IS NOT NULL
              AND school_id NOT IN (SELECT school_id FROM schools WHERE school_id IS NOT NULL)) u
      LEFT JOIN _imp_school_xw d ON d.code = u.school_id
      LEFT JOIN _imp_school_xw r ON r.code = regexp_replace(u.school_id, '^[A-Za-z]+', '')
      WHERE coalesce(d.school_id, r.school_id) IS NOT NULL;
    UPDATE _imp_stage s SET school_id = f.school_id FROM _imp_school_fix f WHERE s.school_id = f.code`,
  });
}

/**
 * `_imp_new_schools`: schools of the sheet's rows not excluded so far (a duplicate's school has its
 * first row) with no row in `schools` for the work's year; name and
 * municipality from the file, else (with settlement and school type) from the school's latest row of another year.
 */
export async function findNewSchools(conn: Connector, m: Mapping) {
  await conn.query({
    type: 'exec',
    sql: `CREATE OR REPLACE TEMP TABLE _imp_new_schools AS
      SELECT n.year, n.school_id, coalesce(n.name, o.name) AS name, coalesce(n.municipality, o.municipality) AS municipality,
             o.settlement_type, o.school_type, n.first_row
      FROM (SELECT year, school_id, mode(_school_name) AS name, mode(_municipality) AS municipality, min(_row) AS first_row
            FROM _imp_stage WHERE school_id IS NOT NULL AND NOT _absent AND year IS NOT NULL
              AND _row NOT IN (SELECT "row" FROM _imp_issues WHERE code IN (${EXCLUDING_SQL}))
            GROUP BY year, school_id) n
      LEFT JOIN (SELECT school_id, arg_max(name, year) AS name, arg_max(municipality, year) AS municipality,
                        arg_max(settlement_type, year) AS settlement_type, arg_max(school_type, year) AS school_type FROM schools GROUP BY school_id) o
        ON o.school_id = n.school_id
      WHERE NOT EXISTS (SELECT 1 FROM schools s WHERE s.school_id = n.school_id AND s.year = n.year)`,
  });
  await issueInto(
    conn,
    `SELECT first_row, ${lit(fieldHeader(m, 'school_id'))}, 'school_added',
            'Добавлена ОО ' || school_id || coalesce(' «' || name || '»', '') || ' (' || year || ' год): её не было в справочнике ОО'
     FROM _imp_new_schools`,
  );
}

/** Adds the schools found by `findNewSchools`; returns how many. */
export async function addNewSchools(conn: Connector): Promise<number> {
  const n = await tableCount(conn, `SELECT count(*) AS n FROM _imp_new_schools`);
  if (n) {
    await conn.query({
      type: 'exec',
      sql: `INSERT INTO schools (year, school_id, name, municipality, settlement_type, school_type)
            SELECT year, school_id, name, municipality, settlement_type, school_type FROM _imp_new_schools ORDER BY first_row`,
    });
  }
  return n;
}
