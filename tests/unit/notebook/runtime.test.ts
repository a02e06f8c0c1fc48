import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { NodeConnector } from '../../../src/db/node-connector';
import { parseNotebook } from '../../../src/notebook/format';
import { loadDataFile } from '../../../src/notebook/headless';
import type { NotebookData } from '../../../src/notebook/model';
import { NotebookRuntime } from '../../../src/notebook/runtime';
import { formatValue } from '../../../src/notebook/values';

// Independent reading of the fixture: plain TypeScript over the CSV lines.
const csv = readFileSync('tests/fixtures/notebook/data/assessment_results.csv', 'utf8').trim().split('\n').slice(1);
const raw = csv.map((l) => {
  const [year, , subject, school_id, mark] = l.split(',');
  return { year: Number(year), subject, school_id, mark: Number(mark) };
});

let conn: NodeConnector;
beforeEach(async () => {
  conn = await NodeConnector.open();
  await loadDataFile(conn, 'assessment_results.csv', readFileSync('tests/fixtures/notebook/data/assessment_results.csv'));
});
afterEach(async () => conn.close());

const demo = () => parseNotebook(readFileSync('notebooks/examples/demo.md', 'utf8'));
const counts = (rt: NotebookRuntime) => Object.fromEntries([...rt.states].map(([id, s]) => [id, s.runCount]));
const rowsOf = (rt: NotebookRuntime, id: string) => {
  const r = rt.states.get(id)!.result!;
  if (r.kind !== 'table') throw new Error(`${id} is ${r.kind}`);
  return r.rows();
};

function expectedBySchool(subject: string, from: number, to: number, minN: number) {
  const sel = raw.filter((r) => r.subject === subject && r.year >= from && r.year <= to);
  const schools = [...new Set(sel.map((r) => r.school_id))].sort();
  return schools
    .map((school_id) => {
      const g = sel.filter((r) => r.school_id === school_id);
      const mean = g.reduce((a, r) => a + r.mark, 0) / g.length;
      return { school_id, n: g.length, mean_mark: Math.round(mean * 100) / 100, low_share: g.filter((r) => r.mark < 3).length / g.length };
    })
    .filter((g) => g.n >= minN);
}

describe('the demo notebook', () => {
  test('runs every cell and shows values computed independently', async () => {
    const rt = new NotebookRuntime(conn, demo());
    await rt.runAll();
    for (const [id, s] of rt.states) expect(s.status, `${id}: ${s.error}`).toBe('done');

    const math = raw.filter((r) => r.subject === 'Математика');
    const low = math.filter((r) => r.mark < 3).length / math.length;
    const mean = math.reduce((a, r) => a + r.mark, 0) / math.length;
    const [overall] = rowsOf(rt, 'overall');
    expect(overall.n).toBe(math.length);
    expect(overall.low_share).toBeCloseTo(low, 12);
    expect(overall.mean_mark).toBeCloseTo(mean, 12);

    const bySchool = rowsOf(rt, 'by_school');
    const exp = expectedBySchool('Математика', 2023, 2024, 5);
    expect(bySchool.map((r) => r.school_id)).toEqual(exp.map((r) => r.school_id));
    bySchool.forEach((r, i) => {
      expect(r.n).toBe(exp[i].n);
      expect(r.mean_mark).toBeCloseTo(exp[i].mean_mark, 10);
      expect(r.low_share).toBeCloseTo(exp[i].low_share, 12);
    });

    const intro = rt.states.get('intro')!.result;
    expect(intro).toEqual({
      kind: 'md',
      text: `# Результаты по предмету «Математика», 2023–2024 гг.\n\nДоля отметок «2»: ${formatValue(low, 'pct')}, средняя отметка ${formatValue(mean, 'num:2')}, всего работ ${math.length}.`,
    });

    const chart = rt.states.get('chart')!.result!;
    expect(chart.kind).toBe('chart');
    if (chart.kind === 'chart') expect((chart.spec.data as { values: unknown[] }).values).toEqual(bySchool);

    const means = exp.map((r) => r.mean_mark);
    const [spread] = rowsOf(rt, 'spread');
    expect(spread.schools).toBe(exp.length);
    expect(spread.min).toBe(Math.min(...means));
    expect(spread.max).toBe(Math.max(...means));
  });

  test('a parameter change re-runs exactly its dependants', async () => {
    const rt = new NotebookRuntime(conn, demo());
    await rt.runAll();
    const before = counts(rt);
    expect(Object.values(before).every((n) => n === 1)).toBe(true);

    await rt.setParam('min_n', 13);
    const kept = expectedBySchool('Математика', 2023, 2024, 13);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(expectedBySchool('Математика', 2023, 2024, 5).length);
    const afterMinN = counts(rt);
    const rerun = Object.keys(afterMinN).filter((id) => afterMinN[id] !== before[id]).sort();
    expect(rerun).toEqual(['by_school', 'chart', 'outro', 'param:min_n', 'spread'].sort());
    expect(rowsOf(rt, 'by_school').map((r) => [r.school_id, r.n])).toEqual(kept.map((r) => [r.school_id, r.n]));

    await rt.setParam('min_n', 5);
    await rt.setParam('subject', 'Русский язык');
    const afterSubject = counts(rt);
    const rerun2 = Object.keys(afterSubject).filter((id) => afterSubject[id] !== afterMinN[id] + (['by_school', 'chart', 'outro', 'param:min_n', 'spread'].includes(id) ? 1 : 0)).sort();
    expect(rerun2).toEqual(['by_school', 'chart', 'intro', 'outro', 'overall', 'param:subject', 'spread'].sort());
    expect(rowsOf(rt, 'by_school').map((r) => r.n)).toEqual(expectedBySchool('Русский язык', 2023, 2024, 5).map((r) => r.n));

    await rt.setParam('years', [2024, 2024]);
    expect(rowsOf(rt, 'overall')[0].n).toBe(raw.filter((r) => r.subject === 'Русский язык' && r.year === 2024).length);
  });

  test('editing a cell re-runs that cell and the cells downstream of it, nothing else', async () => {
    const rt = new NotebookRuntime(conn, demo());
    await rt.runAll();
    const before = counts(rt);
    const cell = rt.notebook.cells.find((c) => c.id === 'by_school')!;
    const changed = rt.updateCell('by_school', cell.source.replace('ORDER BY school_id', 'ORDER BY school_id DESC'));
    expect(changed.sort()).toEqual(['by_school', 'chart', 'outro', 'spread']);
    expect(rt.states.get('chart')!.status).toBe('stale');
    await rt.run(['by_school']);
    const after = counts(rt);
    expect(Object.keys(after).filter((id) => after[id] !== before[id]).sort()).toEqual(['by_school', 'chart', 'outro', 'spread']);
    expect(rowsOf(rt, 'by_school').map((r) => r.school_id)).toEqual(expectedBySchool('Математика', 2023, 2024, 5).map((r) => r.school_id).reverse());
  });
});

function nb(cells: string, front = ''): NotebookData {
  return parseNotebook(`---\ntitle: t\n${front}---\n\n${cells}`);
}

describe('errors stay on the cell', () => {
  test('a cycle is an error on the cells in it; the rest runs', async () => {
    const rt = new NotebookRuntime(conn, nb('```sql id=a name=a\nSELECT * FROM b\n```\n\n```sql id=b name=b\nSELECT * FROM a\n```\n\n```sql id=c name=c\nSELECT 1 AS one\n```\n'));
    await rt.runAll();
    expect(rt.states.get('a')!.error).toMatch(/^Циклическая зависимость: /);
    expect(rt.states.get('b')!.error).toMatch(/^Циклическая зависимость: /);
    expect(rt.states.get('c')!.status).toBe('done');
    expect(rowsOf(rt, 'c')).toEqual([{ one: 1 }]);
  });

  test('unknown names, SQL errors (in Russian) and blocked dependants', async () => {
    const rt = new NotebookRuntime(conn, nb('<!-- cell id=m -->\nЗначение ${nothing.x}\n\n```sql id=p name=p\nSELECT $missing AS v\n```\n\n```sql id=s name=s\nSELECT no_such_column FROM assessment_results\n```\n\n```sql id=d name=d\nSELECT * FROM s\n```\n\n```sql id=t name=t\nSELECT * FROM no_such_table\n```\n\n```sql id=u name=u\nSELEC 1\n```\n'));
    await rt.runAll();
    expect(rt.states.get('m')!.error).toBe('Неизвестное имя «nothing»');
    expect(rt.states.get('p')!.error).toBe('Неизвестный параметр $missing');
    expect(rt.states.get('s')!.error).toMatch(/^Столбец «no_such_column» не найден/);
    expect(rt.states.get('d')!.error).toMatch(/^Не выполнена: ячейка «s»/);
    expect(rt.states.get('t')!.error).toMatch(/^Таблица «no_such_table» не найдена/);
    expect(rt.states.get('u')!.error).toMatch(/^Синтаксическая ошибка SQL/);
  });

  test('a cell may not take the name of a data table', async () => {
    const rt = new NotebookRuntime(conn, nb('```sql id=a name=Assessment_Results\nSELECT 1 AS x\n```\n'));
    await rt.runAll();
    expect(rt.states.get('a')!.error).toBe('Имя ячейки «Assessment_Results» совпадает с таблицей данных: выберите другое имя');
    const [{ n }] = await conn.query({ type: 'rows', sql: 'SELECT count(*) AS n FROM assessment_results' });
    expect(n).toBe(raw.length);
  });

  test('a cell may not be named like the table it reads', async () => {
    const rt = new NotebookRuntime(conn, nb('```sql id=a name=assessment_results\nSELECT * FROM assessment_results\n```\n'));
    await rt.runAll();
    expect(rt.states.get('a')!.error).toMatch(/ссылается сама на себя/);
    const [{ n }] = await conn.query({ type: 'rows', sql: 'SELECT count(*) AS n FROM assessment_results' });
    expect(n).toBe(raw.length);
  });
});

test('parameters are bound, never spliced: a value with quotes cannot inject SQL', async () => {
  const evil = "ОО-01'; DROP TABLE assessment_results; --";
  const rt = new NotebookRuntime(
    conn,
    nb("```sql id=q name=q\nSELECT $school_id AS echoed, (SELECT count(*) FROM assessment_results WHERE school_id = $school_id) AS n, '$school_id' AS literal\n```\n", "parameters:\n  - { name: school_id, type: text, default: x }\n"),
  );
  rt.paramValues.set('school_id', evil);
  await rt.runAll();
  expect(rt.states.get('q')!.error).toBeUndefined();
  expect(rowsOf(rt, 'q')).toEqual([{ echoed: evil, n: 0, literal: '$school_id' }]);
  await rt.setParam('school_id', 'ОО-01');
  expect(rowsOf(rt, 'q')[0].n).toBe(raw.filter((r) => r.school_id === 'ОО-01').length);
  const [{ n }] = await conn.query({ type: 'rows', sql: 'SELECT count(*) AS n FROM assessment_results' });
  expect(n).toBe(raw.length);
});

describe('parameters', () => {
  test('select options come from SQL; an unknown default falls back to the first option; param cells work', async () => {
    const rt = new NotebookRuntime(
      conn,
      nb(
        "```param id=p name=school_id\ntype: select\nlabel: Школа\noptions_sql: SELECT DISTINCT school_id FROM assessment_results ORDER BY 1\ndefault: Нет такой\n```\n\n```sql id=q name=q\nSELECT count(*) AS n FROM assessment_results WHERE school_id = $school_id AND $flag\n```\n",
        'parameters:\n  - { name: flag, type: checkbox, default: true }\n',
      ),
    );
    await rt.runAll();
    const schools = [...new Set(raw.map((r) => r.school_id))].sort();
    expect(rt.states.get('p')!.result).toEqual({ kind: 'param', value: schools[0], options: schools });
    expect(rowsOf(rt, 'q')[0].n).toBe(raw.filter((r) => r.school_id === schools[0]).length);
    await rt.setParam('flag', false);
    expect(rowsOf(rt, 'q')[0].n).toBe(0);
  });
});

describe('TypeScript cells', () => {
  const tsNb = () =>
    nb(
      [
        '```sql id=base name=base\nSELECT school_id, mark FROM assessment_results WHERE year = $year ORDER BY school_id, mark\n```',
        "```ts id=t name=t\nconst n: number = base.length;\nconst fives = await sql`SELECT count(*) AS c FROM base WHERE mark = ${5} AND school_id <> ${\"x'y\"}`;\nreturn [{ n, fives: fives[0].c, mean: stats.mean(base.map((r) => Number(r.mark))), arrowRows: tables.base.numRows, year }];\n```",
        '```ts id=m name=m\nreturn md`Строк: ${t[0].n}`;\n```',
        '```ts id=v name=v\nreturn vl({ mark: "bar" }, base);\n```',
        '```sql id=back name=back\nSELECT n * 2 AS twice FROM t\n```',
        "```ts id=big name=big\nreturn Array.from({ length: 12000 }, (_, i) => ({ i, label: i % 2 ? 'нечёт' : \"чёт'\" }));\n```",
        "```sql id=bigsum name=bigsum\nSELECT count(*) AS n, sum(i) AS s, count(*) FILTER (WHERE label = 'чёт''') AS even FROM big\n```",
      ].join('\n\n') + '\n',
      'parameters:\n  - { name: year, type: number, default: 2023 }\n',
    );

  test('read other cells, query with bound values, use stats; results are tables, Markdown, charts', async () => {
    const rt = new NotebookRuntime(conn, tsNb());
    await rt.runAll();
    for (const [id, s] of rt.states) expect(s.status, `${id}: ${s.error}`).toBe('done');
    const y = raw.filter((r) => r.year === 2023);
    expect(rowsOf(rt, 't')).toEqual([
      { n: y.length, fives: y.filter((r) => r.mark === 5).length, mean: y.reduce((a, r) => a + r.mark, 0) / y.length, arrowRows: y.length, year: 2023 },
    ]);
    expect(rt.states.get('m')!.result).toEqual({ kind: 'md', text: `Строк: ${y.length}` });
    const v = rt.states.get('v')!.result!;
    expect(v.kind === 'chart' && (v.spec.data as { values: unknown[] }).values.length).toBe(y.length);
    expect(rowsOf(rt, 'back')).toEqual([{ twice: 2 * y.length }]);
    // A larger TS table goes through the Arrow staging path, which leaves nothing behind.
    expect(rowsOf(rt, 'bigsum')).toEqual([{ n: 12000, s: (12000 * 11999) / 2, even: 6000 }]);
    const tables = await conn.listTables();
    expect(tables.map((t) => t.name)).toEqual(['assessment_results']);
  });

  test('an untrusted notebook runs no cell at all until trusted', async () => {
    const rt = new NotebookRuntime(conn, tsNb(), { trusted: false });
    await rt.runAll();
    for (const [id, s] of rt.states) expect([id, s.status, s.runCount]).toEqual([id, 'idle', 0]);
    await rt.trust();
    expect(rt.states.get('base')!.status).toBe('done');
    expect(rt.states.get('t')!.status).toBe('done');
  });
});

test('cancel stops a long cell, keeps the notebook and earlier results, and the next run works', async () => {
  const rt = new NotebookRuntime(conn, nb('```sql id=a name=a\nSELECT 1 AS one\n```\n\n```ts id=slow name=slow\nawait new Promise((r) => setTimeout(r, 30000));\nreturn 1;\n```\n\n```sql id=after name=after\nSELECT 2 AS two\n```\n'));
  const running = rt.runAll();
  while (rt.states.get('slow')!.status !== 'running') await new Promise((r) => setTimeout(r, 10));
  await rt.cancel();
  await running;
  expect(rt.states.get('slow')!.status).toBe('cancelled');
  expect(rt.states.get('slow')!.error).toBe('Выполнение отменено');
  expect(rt.states.get('a')!.status).toBe('done');
  expect(rt.states.get('after')!.status).toBe('cancelled');
  expect(rt.notebook.cells).toHaveLength(3);
  await rt.run(['after']);
  expect(rowsOf(rt, 'after')).toEqual([{ two: 2 }]);
});

test('Markdown number formats follow Russian conventions', () => {
  expect(formatValue(0.1234, 'pct')).toBe('12,3\u00a0%');
  expect(formatValue(1234567.8, 'int')).toBe('1\u00a0234\u00a0568');
  expect(formatValue(3.14159, 'num:1')).toBe('3,1');
  expect(formatValue(2024)).toBe('2024');
  expect(formatValue(2.5)).toBe('2,5');
  expect(formatValue(null, 'pct')).toBe('—');
});
