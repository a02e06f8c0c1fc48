import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { NodeConnector } from '../../../src/db/node-connector';
import { reportCells } from '../../../src/export/report/notebook-cells';
import { emptyStateText } from '../../../src/notebook/empty-state';
import { parseNotebook } from '../../../src/notebook/format';
import { loadDataFile } from '../../../src/notebook/headless';
import { NotebookRuntime } from '../../../src/notebook/runtime';
import { cellSummary } from '../../../src/notebook/cell-summary';

let conn: NodeConnector;
beforeEach(async () => {
  conn = await NodeConnector.open();
  await loadDataFile(conn, 'assessment_results.csv', readFileSync('tests/fixtures/notebook/data/assessment_results.csv'));
});
afterEach(async () => conn.close());

// The fixture has no grade 11: the chosen combination is empty. `factor` (fixed choices) chooses an
// analysis and `school` = «все» filters nothing, so neither is named.
const NOTEBOOK = `---
title: Пусто
parameters:
  - { name: year, type: select, options_sql: "SELECT DISTINCT year FROM assessment_results ORDER BY 1 DESC" }
  - { name: grade, type: select, options_sql: "SELECT 11 AS g", default: 11 }
  - { name: factor, type: select, options: [textbook, settlement_type], default: textbook }
  - { name: school, type: select, options_sql: "SELECT 'все' AS s", default: все }
---

\`\`\`sql id=work name=work
SELECT * FROM assessment_results WHERE year = CAST($year AS INTEGER) AND CAST($grade AS INTEGER) = 11 AND false
\`\`\`

\`\`\`sql id=by_school name=by_school
SELECT school_id, count(*) AS n FROM work WHERE $school = 'все' OR CAST(school_id AS VARCHAR) = $school GROUP BY 1
\`\`\`

\`\`\`sql id=other name=other
SELECT 1 AS x WHERE false
\`\`\`

\`\`\`vega-lite id=chart data=by_school
{ "title": "Число участников — \${grade} класс", "mark": "bar" }
\`\`\`
`;

test('an empty result names the values it was asked for, through the cells it reads', async () => {
  const rt = new NotebookRuntime(conn, parseNotebook(NOTEBOOK));
  await rt.runAll();
  const year = Math.max(...readFileSync('tests/fixtures/notebook/data/assessment_results.csv', 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[0])));
  expect(emptyStateText(rt, 'by_school')).toBe(`Нет данных: ${year}, 11 класс`);
  expect(emptyStateText(rt, 'other')).toBe('Нет данных');
  // The report says the same where the table would be.
  const cells = reportCells(rt);
  expect(cells.find((c) => c.id === 'by_school')!.output).toEqual({ kind: 'text', text: `*Нет данных: ${year}, 11 класс*` });
});

test('a collapsed chart shows its drawn title, or «…» for values not yet known — never raw ${…}', async () => {
  const rt = new NotebookRuntime(conn, parseNotebook(NOTEBOOK));
  const chart = rt.notebook.cells.find((c) => c.id === 'chart')!;
  expect(cellSummary(chart)).toBe('График: Число участников — … класс');
  expect(cellSummary(chart, 'Число участников — 11 класс')).toBe('График: Число участников — 11 класс');
});
