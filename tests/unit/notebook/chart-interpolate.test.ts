import { afterEach, beforeEach, expect, test } from 'vitest';
import { NodeConnector } from '../../../src/db/node-connector';
import { analyzeChart } from '../../../src/notebook/analyze';
import { parseNotebook } from '../../../src/notebook/format';
import { mapChartText } from '../../../src/notebook/interpolate';
import { NotebookRuntime } from '../../../src/notebook/runtime';

let conn: NodeConnector;
beforeEach(async () => {
  conn = await NodeConnector.open();
  await conn.query({ type: 'exec', sql: "CREATE TABLE t AS SELECT * FROM (VALUES ('Математика', 5, 0.81), ('Математика', 6, 0.72), ('Русский язык', 5, 0.9)) v(subject, grade, share)" });
});
afterEach(async () => conn.close());

const spec = {
  title: { text: 'Доля — ${subject}, ${grade} класс', subtitle: '${year}' },
  empty: 'Нет данных: ${subject}, ${grade} класс',
  transform: [{ calculate: "'${subject}'", as: 'c' }, { filter: 'datum.x > ${grade}' }],
  mark: { type: 'bar', tooltip: true },
  encoding: {
    x: { field: '${subject}', type: 'quantitative', title: 'Доля, ${subject}', axis: { labelExpr: '${grade}' } },
    tooltip: [{ field: 'share', title: 'Доля (${grade} класс)' }],
  },
  data: { values: [{ title: '${secret}' }] },
};

test('analysis: names in titles, subtitles, axis/tooltip titles and the empty line; never in expressions, fields or data', () => {
  expect(analyzeChart(JSON.stringify(spec), 'rows').sort()).toEqual(['grade', 'rows', 'subject', 'year']);
  expect(analyzeChart('{ "title": "${a.b|pct} и ${ c }" }').sort()).toEqual(['a', 'c']);
  // Not JSON: only the data attribute (evaluation reports the JSON error).
  expect(analyzeChart('{ "title": "${a}" ', 'rows')).toEqual(['rows']);
});

test('mapChartText changes only text fields and leaves expressions, fields and inline data as written', () => {
  const out = mapChartText(spec, (s) => s.toUpperCase()) as typeof spec;
  expect(out.title).toEqual({ text: 'ДОЛЯ — ${SUBJECT}, ${GRADE} КЛАСС', subtitle: '${YEAR}' });
  expect(out.empty).toBe('НЕТ ДАННЫХ: ${SUBJECT}, ${GRADE} КЛАСС');
  expect(out.encoding.x.title).toBe('ДОЛЯ, ${SUBJECT}');
  expect(out.encoding.tooltip[0].title).toBe('ДОЛЯ (${GRADE} КЛАСС)');
  expect(out.encoding.x.field).toBe('${subject}');
  expect(out.encoding.x.axis.labelExpr).toBe('${grade}');
  expect(out.transform).toEqual(spec.transform);
  expect(out.data).toEqual(spec.data);
});

const notebook = (title: string) =>
  parseNotebook(`---
title: t
parameters:
  - { name: subject, type: select, options_sql: "SELECT DISTINCT subject FROM t ORDER BY 1", default: Математика }
  - { name: grade, type: select, options_sql: "SELECT DISTINCT grade FROM t WHERE subject = $subject ORDER BY 1", default: 5 }
  - { name: year, type: number, default: 2024 }
  - { name: note, type: text, default: "" }
---

\`\`\`sql id=rows name=rows
SELECT * FROM t WHERE subject = $subject AND grade = CAST($grade AS INTEGER)
\`\`\`

\`\`\`vega-lite id=chart data=rows
{ "title": ${JSON.stringify(title)}, "empty": "Нет данных: \${subject}, \${grade} класс",
  "mark": "bar", "encoding": { "x": { "field": "share", "type": "quantitative", "title": "Доля, \${subject}" } } }
\`\`\`

\`\`\`vega-lite id=plain data=rows
{ "title": "Без параметров", "mark": "bar" }
\`\`\`
`);

const chartSpec = (rt: NotebookRuntime, id = 'chart') => {
  const r = rt.states.get(id)!.result!;
  if (r.kind !== 'chart') throw new Error(`${id} is ${r.kind}`);
  return r.spec as { title: string; empty: string; encoding: { x: { title: string } }; data: { values: unknown[] } };
};

test('a chart title carries the chosen parameters and re-renders when one changes; other charts do not', async () => {
  const rt = new NotebookRuntime(conn, notebook('Средний результат — ${subject}, ${grade} класс, ${year}'));
  await rt.runAll();
  for (const [id, s] of rt.states) expect(s.status, `${id}: ${s.error}`).toBe('done');
  expect(rt.units.get('chart')!.deps.map((d) => rt.units.get(d)!.name).sort()).toEqual(['grade', 'rows', 'subject', 'year']);
  expect(chartSpec(rt).title).toBe('Средний результат — Математика, 5 класс, 2024');
  expect(chartSpec(rt).encoding.x.title).toBe('Доля, Математика');
  expect(chartSpec(rt).data.values).toHaveLength(1);

  const plainRuns = rt.states.get('plain')!.runCount;
  const chartRuns = rt.states.get('chart')!.runCount;
  await rt.setParam('year', 2023);
  expect(chartSpec(rt).title).toBe('Средний результат — Математика, 5 класс, 2023');
  expect(rt.states.get('chart')!.runCount).toBe(chartRuns + 1);
  expect(rt.states.get('plain')!.runCount).toBe(plainRuns);

  // The grade options depend on the subject: 6 exists for Математика only.
  await rt.setParam('grade', 6);
  expect(chartSpec(rt).title).toBe('Средний результат — Математика, 6 класс, 2023');
  await rt.setParam('subject', 'Русский язык');
  expect(rt.states.get('param:grade')!.result).toEqual({ kind: 'param', value: 5, options: [5] });
  expect(chartSpec(rt).title).toBe('Средний результат — Русский язык, 5 класс, 2023');
});

test('interpolated values are plain text: no markup escaping, no line breaks, no code', async () => {
  const rt = new NotebookRuntime(conn, notebook('Заметка: ${note}|${note|num:1}'));
  await rt.setParam('note', 'a <b>*x*</b>\n\u2028[y](http://z) ${subject}');
  await rt.runAll();
  // Shown as text by Vega (SVG text): kept verbatim except for the line breaks; `${…}` inside a value is not expanded.
  expect(chartSpec(rt).title.startsWith('Заметка: a <b>*x*</b> [y](http://z) ${subject}|')).toBe(true);
});

test('an unknown name in a chart title is an error on the cell, in Russian', async () => {
  const rt = new NotebookRuntime(conn, notebook('Итог: ${nope}'));
  await rt.runAll();
  expect(rt.states.get('chart')!.status).toBe('error');
  expect(rt.states.get('chart')!.error).toContain('Неизвестное имя «nope»');
  expect(rt.states.get('plain')!.status).toBe('done');
});
