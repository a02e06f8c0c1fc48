import type { IndicatorContext, IndicatorDef } from '../types';
import {
  DEFAULTS,
  groupedSql,
  isCompulsorySubjectSql,
  lit,
  makeRow,
  meanSql,
  monitoringRatioSql,
  resultsSql,
  sqlRows,
  shareSql,
} from '../sql';
import { schoolTaskTable } from '../stage';

const work = { procedure: 'procedure', subject: 'subject', grade: 'grade' };

/** PREP-03/04: graduates with a certificate whose every main-attempt ГИА result passed. */
function giaPassedSql(ctx: IndicatorContext, id: string, grade: 9 | 11): string {
  const procs = grade === 9 ? "('ОГЭ', 'ГВЭ-9')" : "('ЕГЭ', 'ГВЭ-11')";
  const from = `(SELECT g.year, g.school_id, g.student_id, g.certificate IS TRUE AND coalesce(r.all_passed, FALSE) AS ok
      FROM graduates g
      LEFT JOIN (SELECT year, student_id, bool_and(passed) AS all_passed FROM ${resultsSql(ctx)}
                 WHERE grade = ${grade} AND procedure IN ${procs} AND passed IS NOT NULL GROUP BY year, student_id) r
        USING (year, student_id)
      WHERE g.grade = ${grade})`;
  return shareSql({ id, from, grade: String(grade), condition: 'ok' });
}

function fgSubject(id: string, subject: string): IndicatorDef {
  return {
    id,
    direction: 'PREP',
    title: `Доля успешно справившихся с заданиями: ${subject.toLowerCase()}`,
    reads: { assessment_results: ['procedure', 'subject', 'mark'] },
    compute: (ctx) =>
      sqlRows(shareSql({
          id,
          from: resultsSql(ctx),
          where: `procedure = 'ФГ' AND subject = ${lit(subject)} AND mark IS NOT NULL`,
          ...work,
          condition: `mark >= ${DEFAULTS.passMark}`,
        }),
      ),
  };
}

export const indicators: IndicatorDef[] = [
  {
    id: 'PREP-01',
    direction: 'PREP',
    title: 'Доля учащихся 1–4 классов, достигших базового уровня предметной подготовки',
    reads: { monitoring: ['code', 'value'] },
    monitoringCodes: ['noo_base_level', 'noo_students'],
    compute: (ctx) => sqlRows(monitoringRatioSql('PREP-01', 'noo_base_level', 'noo_students')),
  },
  {
    id: 'PREP-02',
    direction: 'PREP',
    title: 'Доля учащихся 1–4 классов — отличников',
    reads: { monitoring: ['code', 'value'] },
    monitoringCodes: ['noo_excellent', 'noo_students'],
    compute: (ctx) => sqlRows(monitoringRatioSql('PREP-02', 'noo_excellent', 'noo_students')),
  },
  {
    id: 'PREP-03',
    direction: 'PREP',
    title: 'Доля выпускников 9 кл., успешно сдавших ГИА и получивших аттестат',
    reads: { graduates: ['grade', 'certificate'], assessment_results: ['procedure', 'mark'] },
    compute: (ctx) => sqlRows(giaPassedSql(ctx, 'PREP-03', 9)),
  },
  {
    id: 'PREP-04',
    direction: 'PREP',
    title: 'Доля выпускников 11 кл., успешно сдавших ГИА и получивших аттестат',
    reads: { graduates: ['grade', 'certificate'], assessment_results: ['procedure', 'test_score'] },
    compute: (ctx) => sqlRows(giaPassedSql(ctx, 'PREP-04', 11)),
  },
  {
    id: 'PREP-05',
    direction: 'PREP',
    title: 'Доля выпускников 9 кл. с аттестатом с отличием',
    reads: { graduates: ['grade', 'honors'] },
    compute: (ctx) => sqlRows(shareSql({ id: 'PREP-05', from: 'graduates', where: 'grade = 9', grade: '9', condition: 'honors IS TRUE' })),
  },
  {
    id: 'PREP-06',
    direction: 'PREP',
    title: 'Доля выпускников 11 кл. с аттестатом с отличием и медалью',
    reads: { graduates: ['grade', 'honors', 'medal'] },
    compute: (ctx) =>
      sqlRows(shareSql({ id: 'PREP-06', from: 'graduates', where: 'grade = 11', grade: '11', condition: 'honors IS TRUE AND medal IS TRUE' })),
  },
  {
    id: 'PREP-07',
    direction: 'PREP',
    title: 'Доля выпускников 11 кл., получивших на ЕГЭ по русскому языку ≥ 70 баллов',
    reads: { graduates: ['grade'], assessment_results: ['procedure', 'subject', 'test_score'] },
    compute: (ctx) =>
      sqlRows(shareSql({
          id: 'PREP-07',
          from: `(SELECT g.year, g.school_id, g.student_id, coalesce(e.best >= ${DEFAULTS.prep07From}, FALSE) AS ok
            FROM graduates g LEFT JOIN (SELECT year, student_id, max(test_score) AS best FROM ${resultsSql(ctx)}
              WHERE procedure = 'ЕГЭ' AND subject = 'Русский язык' GROUP BY ALL) e USING (year, student_id)
            WHERE g.grade = 11)`,
          procedure: "'ЕГЭ'",
          subject: "'Русский язык'",
          grade: '11',
          condition: 'ok',
        }),
      ),
  },
  {
    id: 'PREP-08',
    direction: 'PREP',
    title: 'Доля выпускников 11 кл., получивших на ЕГЭ по предметам по выбору ≥70, ≥80, ≥90, 100 баллов',
    reads: { graduates: ['grade'], assessment_results: ['procedure', 'subject', 'test_score'] },
    compute: (ctx) => {
      const res = resultsSql(ctx);
      const bands = DEFAULTS.prep08Bands.map((b) => `(${b})`).join(', ');
      return sqlRows(shareSql({
          id: 'PREP-08',
          from: `(SELECT g.year, g.school_id, g.student_id, s.subject, b.band, coalesce(e.best >= b.band, FALSE) AS ok
            FROM graduates g
            JOIN (SELECT DISTINCT year, subject FROM ${res} WHERE procedure = 'ЕГЭ' AND NOT ${isCompulsorySubjectSql()}) s USING (year)
            CROSS JOIN (VALUES ${bands}) b(band)
            LEFT JOIN (SELECT year, student_id, subject, max(test_score) AS best FROM ${res} WHERE procedure = 'ЕГЭ' GROUP BY ALL) e
              USING (year, student_id, subject)
            WHERE g.grade = 11)`,
          procedure: "'ЕГЭ'",
          subject: 'subject',
          grade: '11',
          dimension: { name: 'band', expr: 'CAST(band AS VARCHAR)' },
          condition: 'ok',
        }),
      );
    },
  },
  {
    id: 'PREP-09',
    direction: 'PREP',
    title: 'Доля обучающихся, в отношении которых проводилась оценка функциональной грамотности',
    reads: { assessment_results: ['procedure', 'student_id'], monitoring: ['code', 'value'] },
    compute: async (ctx) => {
      const [{ n }] = await ctx.conn.query({ type: 'rows', sql: "SELECT count(*) AS n FROM monitoring WHERE code LIKE 'students\\_grade\\_%' ESCAPE '\\'" });
      if (!Number(n)) return [makeRow('PREP-09', { dimension: 'missing', dimension_value: 'monitoring.code=students_grade_N' })];
      // A school reporting pupils of a grade assessed that year, none of them assessed, has a true 0.
      return sqlRows(
        `WITH f AS (SELECT year, grade, school_id, student_id FROM ${resultsSql(ctx)} WHERE procedure = 'ФГ'),
        num AS (SELECT year, grade, CASE WHEN GROUPING(school_id) = 0 THEN school_id END AS school_id, GROUPING(school_id) AS muni,
                  count(DISTINCT (school_id, student_id)) AS n
                FROM f GROUP BY GROUPING SETS ((year, grade), (year, grade, school_id))
                HAVING GROUPING(school_id) = 1 OR school_id IS NOT NULL),
        den AS (SELECT year, school_id, CAST(regexp_extract(code, 'students_grade_([0-9]+)', 1) AS INTEGER) AS grade, value AS d
                FROM monitoring WHERE regexp_matches(code, '^students_grade_[0-9]+$')),
        den_m AS (SELECT year, grade, coalesce(sum(d) FILTER (WHERE school_id IS NOT NULL), max(d) FILTER (WHERE school_id IS NULL)) AS d
                  FROM den GROUP BY year, grade),
        keys AS (SELECT year, grade, school_id, muni FROM num
                 UNION
                 SELECT den.year, den.grade, den.school_id, 0 AS muni FROM den
                 JOIN (SELECT DISTINCT year, grade FROM f) w USING (year, grade)
                 WHERE den.school_id IS NOT NULL AND den.d > 0)
        SELECT 'PREP-09' AS indicator_id, k.year, 'ФГ' AS procedure, NULL AS subject, k.grade, k.school_id,
          NULL AS dimension, NULL AS dimension_value, CAST(coalesce(n, 0) AS DOUBLE) AS numerator, CAST(coalesce(ds.d, dm.d) AS DOUBLE) AS denominator,
          CASE WHEN coalesce(ds.d, dm.d) > 0 THEN coalesce(n, 0) / coalesce(ds.d, dm.d) END AS value
        FROM keys k
        LEFT JOIN num ON num.year = k.year AND num.grade = k.grade AND num.muni = k.muni AND num.school_id IS NOT DISTINCT FROM k.school_id
        LEFT JOIN den ds ON k.muni = 0 AND ds.year = k.year AND ds.grade = k.grade AND ds.school_id = k.school_id
        LEFT JOIN den_m dm ON k.muni = 1 AND dm.year = k.year AND dm.grade = k.grade`,
      );
    },
  },
  fgSubject('PREP-10', 'Читательская грамотность'),
  fgSubject('PREP-11', 'Математическая грамотность'),
  fgSubject('PREP-12', 'Естественно-научная грамотность'),
  fgSubject('PREP-13', 'Финансовая грамотность'),
  {
    id: 'PREP-14',
    direction: 'PREP',
    title: 'Доля участников оценочной процедуры, не преодолевших минимальный порог',
    reads: { assessment_results: ['procedure', 'subject', 'grade'] },
    compute: (ctx) =>
      sqlRows(shareSql({ id: 'PREP-14', from: resultsSql(ctx), ...work, base: 'passed IS NOT NULL', condition: 'NOT passed' })),
  },
  {
    id: 'PREP-15',
    direction: 'PREP',
    title: 'Доля участников процедуры в параллели, успешно справившихся с заданиями',
    reads: { assessment_results: ['procedure', 'subject', 'grade'] },
    compute: (ctx) => sqlRows(shareSql({ id: 'PREP-15', from: resultsSql(ctx), ...work, base: 'passed IS NOT NULL', condition: 'passed' })),
  },
  {
    id: 'PREP-16',
    direction: 'PREP',
    title: 'Доля участников, подтвердивших итоги промежуточной аттестации',
    reads: { assessment_results: ['mark', 'journal_mark'] },
    compute: (ctx) =>
      sqlRows(shareSql({ id: 'PREP-16', from: resultsSql(ctx), ...work, where: 'mark IS NOT NULL AND journal_mark IS NOT NULL', condition: 'mark = journal_mark' }),
      ),
  },
  {
    id: 'PREP-17',
    direction: 'PREP',
    title: 'Доля участников, понизивших / повысивших отметку относительно журнальной',
    reads: { assessment_results: ['mark', 'journal_mark'] },
    compute: async (ctx) => {
      const part = (label: string, cond: string) =>
        shareSql({
            id: 'PREP-17',
            from: resultsSql(ctx),
            ...work,
            where: 'mark IS NOT NULL AND journal_mark IS NOT NULL',
            dimension: { name: 'direction', expr: lit(label) },
            condition: cond,
          });
      return sqlRows(part('понизили', 'mark < journal_mark'), part('повысили', 'mark > journal_mark'));
    },
  },
  {
    id: 'PREP-18',
    direction: 'PREP',
    title: 'Доля отметок «5» (ОГЭ, ВПР) и высокобалльников 81–100 (ЕГЭ)',
    reads: { assessment_results: ['procedure', 'subject', 'grade'] },
    compute: (ctx) => sqlRows(shareSql({ id: 'PREP-18', from: resultsSql(ctx), ...work, base: 'top IS NOT NULL', condition: 'top' })),
  },
  {
    id: 'PREP-19',
    direction: 'PREP',
    title: 'Метапредметные результаты: средняя решаемость метапредметных заданий',
    reads: { task_scores: ['task', 'score'], tasks: ['metasubject'] },
    // The mean of score / max_score over task rows, from the run's per school × task sums (stage.ts):
    // max_score is one value per task, so Σ score / max_score = (Σ score) / max_score.
    compute: async (ctx) =>
      sqlRows(
        groupedSql({
          id: 'PREP-19',
          from: await schoolTaskTable(ctx),
          ...work,
          where: 'metasubject IS TRUE AND max_score > 0',
          numerator: null,
          denominator: 'sum(n_scored)',
          value: 'CASE WHEN sum(n_scored) > 0 THEN sum(score_all / max_score) / sum(n_scored) END',
        }),
      ),
  },
  {
    id: 'PREP-20',
    direction: 'PREP',
    title: 'Удовлетворённость качеством образования участников образовательных отношений',
    reads: { monitoring: ['code', 'value'] },
    monitoringCodes: ['survey_satisfied', 'survey_respondents'],
    compute: (ctx) => sqlRows(monitoringRatioSql('PREP-20', 'survey_satisfied', 'survey_respondents')),
  },
  {
    id: 'PREP-21',
    direction: 'PREP',
    title: 'Успеваемость, качество знаний, СОУ',
    reads: { assessment_results: ['mark'] },
    compute: async (ctx) => {
      const metric = (label: string, numerator: string) =>
        groupedSql({
            id: 'PREP-21',
            from: resultsSql(ctx),
            ...work,
            where: 'mark BETWEEN 2 AND 5',
            dimension: { name: 'metric', expr: lit(label) },
            numerator,
            denominator: 'count(*)',
          });
      return sqlRows(
        metric('успеваемость', 'count(*) FILTER (WHERE mark >= 3)'),
        metric('качество', 'count(*) FILTER (WHERE mark >= 4)'),
        metric('СОУ', 'sum(CASE mark WHEN 5 THEN 100 WHEN 4 THEN 64 WHEN 3 THEN 36 ELSE 16 END)'),
      );
    },
  },
];
