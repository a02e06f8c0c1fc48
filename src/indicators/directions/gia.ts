import type { IndicatorDef, IndicatorRow } from '../types';
import {
  DEFAULTS,
  indicatorsTableSql,
  inList,
  NON_MEASURE_DIMENSIONS,
  hasTable,
  isCompulsorySubjectSql,
  lit,
  makeRow,
  meanSql,
  resultsSql,
  sqlRows,
  shareSql,
  groupedSql,
} from '../sql';
import { schoolTaskTable } from '../stage';
import { schoolMeans } from '../analysis/school-means';
import { factorAnalysis } from '../analysis/factors';
import { factorRows } from '../analysis/factor-rows';
import { schoolClusters } from '../analysis/clusters';
import { spearman } from '../stats';
import { groupBy, num, query } from '../analysis/common';
import { breathe } from '../yield';

const work = { procedure: 'procedure', subject: 'subject', grade: 'grade' };

export const GIA_BANDS = ['< мин.', 'мин.–60', '61–80', '81–99', '100'] as const;

export const indicators: IndicatorDef[] = [
  {
    id: 'GIA-01',
    direction: 'GIA',
    title: 'Средний балл по ОО в разрезе типов и видов учреждений; значимость различий; рейтинг ОО',
    reads: { assessment_results: ['primary_score'] },
    // The means are SQL the engine inserts; intervals, tests, ranks and clusters come from JavaScript.
    compute: async (ctx) => {
      const sql = [meanSql({ id: 'GIA-01', from: resultsSql(ctx), ...work, expr: 'score' })];
      if (hasTable(ctx, 'schools')) {
        sql.push(
          meanSql({
            id: 'GIA-01',
            from: `(SELECT r.*, s.school_type FROM ${resultsSql(ctx)} r JOIN schools s ON s.year = r.year AND s.school_id = r.school_id)`,
            ...work,
            perSchool: false,
            dimension: { name: 'school_type', expr: 'school_type' },
            expr: 'score',
          }),
        );
      }
      const rows: IndicatorRow[] = [];
      for (const m of await schoolMeans(ctx)) {
        // A turn for the page now and then: four rows for each of ≈100k school × work means on a
        // regional set were one stretch of the tab's main thread (the catalogue's longest block, 160 ms).
        await breathe();
        const key = { year: m.year, procedure: m.procedure, subject: m.subject, grade: m.grade, school_id: m.school_id, denominator: m.n };
        rows.push(makeRow('GIA-01', key, { dimension: 'ci_low', value: m.ci_low }));
        rows.push(makeRow('GIA-01', key, { dimension: 'ci_high', value: m.ci_high }));
        rows.push(makeRow('GIA-01', key, { dimension: 'welch_p', value: m.welch_p }));
        rows.push(makeRow('GIA-01', key, { dimension: 'rank', dimension_value: m.reliable ? null : 'ненадёжно (n < порога)', value: m.rank }));
      }
      // Clusters of schools by their result profile over all procedures of the year.
      for (const c of await schoolClusters(ctx)) {
        const label = new Map(c.centroids.map((x) => [x.cluster, x.label]));
        for (const s of c.schools) rows.push(makeRow('GIA-01', { year: c.year, school_id: s.school_id, dimension: 'cluster', dimension_value: label.get(s.cluster), value: s.cluster }));
        for (const x of c.centroids)
          c.features.forEach((f, i) => rows.push(makeRow('GIA-01', { year: c.year, dimension: `cluster_profile|${f}`, dimension_value: String(x.cluster), denominator: x.n, value: x.values[i] })));
      }
      return { sql, rows };
    },
  },
  {
    id: 'GIA-02',
    direction: 'GIA',
    title: 'Распределение учащихся по уровням подготовки',
    reads: { assessment_results: ['procedure', 'subject', 'grade'] },
    compute: async (ctx) => {
      const res = resultsSql(ctx);
      const marks = shareSql({
          id: 'GIA-02',
          from: `(SELECT r.*, m.v FROM ${res} r CROSS JOIN (VALUES (2), (3), (4), (5)) m(v)
                  WHERE r.mark BETWEEN 2 AND 5 AND NOT (r.procedure = 'ЕГЭ' AND r.test_score IS NOT NULL))`,
          ...work,
          dimension: { name: 'mark', expr: 'CAST(v AS VARCHAR)' },
          condition: 'mark = v',
        });
      const bandOf = `CASE WHEN test_score < min_test THEN ${lit(GIA_BANDS[0])}
          WHEN test_score < ${DEFAULTS.egeMiddleFrom} THEN ${lit(GIA_BANDS[1])}
          WHEN test_score < coalesce(high_from, ${DEFAULTS.highFrom}) THEN ${lit(GIA_BANDS[2])}
          WHEN test_score < 100 THEN ${lit(GIA_BANDS[3])} ELSE ${lit(GIA_BANDS[4])} END`;
      const bands = shareSql({
          id: 'GIA-02',
          from: `(SELECT r.*, b.v, ${bandOf} AS band FROM ${res} r CROSS JOIN (VALUES ${GIA_BANDS.map((b) => `(${lit(b)})`).join(', ')}) b(v)
                  WHERE r.procedure = 'ЕГЭ' AND r.test_score IS NOT NULL AND r.min_test IS NOT NULL)`,
          ...work,
          dimension: { name: 'band', expr: 'v' },
          condition: 'band = v',
        });
      return sqlRows(marks, bands);
    },
  },
  {
    id: 'GIA-03',
    direction: 'GIA',
    title: 'Доля участников, не набравших минимального количества баллов ЕГЭ, ОГЭ (без пересдачи)',
    reads: { assessment_results: ['procedure'] },
    compute: (ctx) =>
      sqlRows(
        shareSql({
          id: 'GIA-03',
          from: resultsSql(ctx, { includeRetakes: false }),
          where: "procedure IN ('ЕГЭ', 'ОГЭ')",
          ...work,
          base: 'passed IS NOT NULL',
          condition: 'NOT passed',
        }),
      ),
  },
  {
    id: 'GIA-04',
    direction: 'GIA',
    title: 'Число и % высокобалльников; соотношение с победителями олимпиад муниципального уровня',
    reads: { assessment_results: ['procedure', 'test_score'] },
    compute: async (ctx) => {
      const res = `(SELECT * FROM ${resultsSql(ctx)} WHERE procedure = 'ЕГЭ' AND test_score IS NOT NULL)`;
      const high = 'test_score >= coalesce(high_from, ' + DEFAULTS.highFrom + ')';
      const sql = [shareSql({ id: 'GIA-04', from: res, ...work, condition: high })];
      const pooled = shareSql({ id: 'GIA-04', from: res, procedure: "'ЕГЭ'", dimension: { name: 'pooled', expr: "'все предметы'" }, distinct: 'student_id', condition: high });
      sql.push(pooled);
      if (!hasTable(ctx, 'achievements')) return { sql, rows: [makeRow('GIA-04', { dimension: 'missing', dimension_value: 'achievements.stage, achievements.status' })] };
      const olymp = shareSql({
        id: 'GIA-04',
        from: 'achievements',
        where: "kind = 'олимпиада' AND stage = 'муниципальный'",
        dimension: { name: 'olympiad_municipal', expr: "'победители и призёры'" },
        distinct: 'student_id',
        condition: "status IN ('победитель', 'призёр')",
      });
      sql.push(olymp);
      // Spearman across schools: high-scorer share vs municipal-stage winner share. JavaScript gets
      // one value per school and year of each (the rank test's p needs the t distribution).
      const bySchoolYear = async (shares: string) =>
        new Map((await query(ctx, `SELECT year, school_id, value FROM (${shares}) WHERE school_id IS NOT NULL`)).map((r) => [`${r.year}|${r.school_id}`, num(r.value)]));
      const hs = await bySchoolYear(pooled);
      const ol = await bySchoolYear(olymp);
      const rows: IndicatorRow[] = [];
      for (const [year, keys] of groupBy([...hs.keys()], (k) => k.split('|')[0])) {
        const both = keys.filter((k) => ol.has(k));
        const r = spearman(both.map((k) => hs.get(k) ?? null), both.map((k) => ol.get(k) ?? null));
        rows.push(makeRow('GIA-04', { year: Number(year), procedure: 'ЕГЭ', dimension: 'spearman_schools', denominator: r.n, value: Number.isFinite(r.rho) ? r.rho : null }));
        rows.push(makeRow('GIA-04', { year: Number(year), procedure: 'ЕГЭ', dimension: 'spearman_p', denominator: r.n, value: Number.isFinite(r.p) ? r.p : null }));
      }
      return { sql, rows };
    },
  },
  {
    id: 'GIA-05',
    direction: 'GIA',
    title: 'Доля участников экзамена по выбору от общего количества выпускников',
    reads: { assessment_results: ['procedure', 'subject'], graduates: ['grade'] },
    compute: (ctx) =>
      sqlRows(
        // A school that sat the exam but where nobody chose a subject offered that year has a true 0 (a row, not a gap).
        `WITH exam AS (SELECT year, procedure, subject, grade, school_id, student_id FROM ${resultsSql(ctx)}
                       WHERE (procedure = 'ОГЭ' AND grade = 9) OR (procedure = 'ЕГЭ' AND grade = 11)),
        p AS (SELECT * FROM exam WHERE NOT ${isCompulsorySubjectSql()}),
        num AS (SELECT year, procedure, subject, grade, CASE WHEN GROUPING(school_id) = 0 THEN school_id END AS school_id,
                  GROUPING(school_id) AS muni, count(DISTINCT (school_id, student_id)) AS n
                FROM p GROUP BY GROUPING SETS ((year, procedure, subject, grade), (year, procedure, subject, grade, school_id))
                HAVING GROUPING(school_id) = 1 OR school_id IS NOT NULL),
        keys AS (SELECT year, procedure, subject, grade, school_id, muni FROM num
                 UNION
                 SELECT w.year, w.procedure, w.subject, w.grade, e.school_id, 0 AS muni
                 FROM (SELECT DISTINCT year, procedure, subject, grade FROM p) w
                 JOIN (SELECT DISTINCT year, procedure, grade, school_id FROM exam WHERE school_id IS NOT NULL) e USING (year, procedure, grade)),
        den AS (SELECT year, grade, CASE WHEN GROUPING(school_id) = 0 THEN school_id END AS school_id, GROUPING(school_id) AS muni, count(*) AS d
                FROM graduates GROUP BY GROUPING SETS ((year, grade), (year, grade, school_id)))
        SELECT 'GIA-05' AS indicator_id, k.year, k.procedure, k.subject, k.grade, k.school_id, NULL AS dimension, NULL AS dimension_value,
          CAST(coalesce(n, 0) AS DOUBLE) AS numerator, CAST(d AS DOUBLE) AS denominator, CASE WHEN d > 0 THEN coalesce(n, 0) / d END AS value
        FROM keys k
        LEFT JOIN num ON num.year = k.year AND num.procedure = k.procedure AND num.subject = k.subject AND num.grade = k.grade
          AND num.muni = k.muni AND num.school_id IS NOT DISTINCT FROM k.school_id
        LEFT JOIN den ON den.year = k.year AND den.grade = k.grade AND den.muni = k.muni
          AND den.school_id IS NOT DISTINCT FROM k.school_id`,
      ),
  },
  {
    id: 'GIA-06',
    direction: 'GIA',
    title: 'Коэффициент решаемости заданий по каждому разделу предмета',
    reads: { task_scores: ['task', 'score'] },
    // Per school × task on a regional set this is ≈800k rows: summed per school first (sums add
    // up exactly to the municipal ones), and inserted by the engine without passing through JS.
    // All three breakdowns read the run's one pass over the task rows (stage.ts, shared with PREP-19).
    compute: async (ctx) => {
      const st = await schoolTaskTable(ctx);
      // A score above the task's maximum (specification) is a data error: left out of the rate
      // (rates above 1 otherwise) and reported per task as `above_max|task` (value = rows left out).
      const by = (name: string, expr: string) =>
        groupedSql({
          id: 'GIA-06',
          from: `(SELECT year, procedure, subject, grade, school_id, ${expr} AS _d, sum(score_ok) AS score, sum(n_ok * max_score) AS max_score
                  FROM ${st} t WHERE ${expr} IS NOT NULL AND max_score > 0 AND n_ok > 0 GROUP BY ALL)`,
          ...work,
          dimension: { name, expr: '_d' },
          numerator: 'sum(score)',
          denominator: 'sum(max_score)',
        });
      const aboveMax = `SELECT * FROM (${groupedSql({
        id: 'GIA-06',
        from: `(SELECT * FROM ${st} t WHERE max_score > 0 AND n_scored > 0)`,
        ...work,
        dimension: { name: 'above_max|task', expr: 'task' },
        numerator: 'sum(n_above)',
        denominator: 'sum(n_scored)',
        value: 'sum(n_above)',
      })}) WHERE value > 0`;
      return { sql: [by('task', 'task'), by('section', 'section'), aboveMax] };
    },
  },
  {
    id: 'GIA-07',
    direction: 'GIA',
    title: 'Выполнение заданий каждой части КИМ в разрезе факторов',
    reads: { task_scores: ['task', 'score'], assessment_results: ['class'] },
    // ≈40 % of the demo catalogue's time, its statistics in JavaScript and no cache shared with
    // another indicator: natively it runs beside the others on a second connection (lanes.ts).
    sideBySide: true,
    // Rows (groups, tests, ICC, design effects, clustered and adjusted comparisons): analysis/factor-rows.ts.
    compute: async (ctx) => factorRows(await factorAnalysis(ctx)),
  },
  {
    id: 'GIA-08',
    direction: 'GIA',
    title: 'Сопоставление с результатами предыдущих лет',
    reads: {},
    // Each change is one row minus another: natively it runs once GIA-07 is done while the others go on (lanes.ts).
    rowByRow: true,
    dependsOn: [
      ...Array.from({ length: 21 }, (_, i) => `PREP-${String(i + 1).padStart(2, '0')}`),
      ...Array.from({ length: 7 }, (_, i) => `GIA-0${i + 1}`),
    ],
    // A row per value that has one the year before: about a million on a regional set, so the
    // engine inserts them itself. The join matches on one hash of the key besides the year (the
    // seven IS NOT DISTINCT FROM conditions stay and decide): 2–3× faster than hashing them all.
    compute: async (ctx) => ({
      sql: [
        `WITH src AS (SELECT *, hash(indicator_id, procedure, subject, grade, school_id, dimension, dimension_value) AS _key
                      FROM ${indicatorsTableSql(ctx)}
                      WHERE (indicator_id LIKE 'PREP-%' OR indicator_id LIKE 'GIA-%') AND indicator_id <> 'GIA-08'
                        AND coalesce(dimension, '') NOT IN ('missing', 'error') AND value IS NOT NULL AND year IS NOT NULL
                        AND split_part(coalesce(dimension, ''), '|', 1) NOT IN ${inList(NON_MEASURE_DIMENSIONS)})
        SELECT 'GIA-08' AS indicator_id, cur.year, cur.procedure, cur.subject, cur.grade, cur.school_id,
          cur.indicator_id || CASE WHEN cur.dimension IS NULL THEN '' ELSE '|' || cur.dimension END AS dimension,
          cur.dimension_value, prev.value AS numerator, cur.value AS denominator, cur.value - prev.value AS value
        FROM src cur JOIN src prev ON prev._key = cur._key AND prev.year = cur.year - 1 AND prev.indicator_id = cur.indicator_id
          AND prev.procedure IS NOT DISTINCT FROM cur.procedure AND prev.subject IS NOT DISTINCT FROM cur.subject
          AND prev.grade IS NOT DISTINCT FROM cur.grade AND prev.school_id IS NOT DISTINCT FROM cur.school_id
          AND prev.dimension IS NOT DISTINCT FROM cur.dimension AND prev.dimension_value IS NOT DISTINCT FROM cur.dimension_value`,
      ],
    }),
  },
];
