import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { analyzeMarkdown, analyzeSql, analyzeTs, bindSql } from '../../../src/notebook/analyze';
import { parseNotebook } from '../../../src/notebook/format';
import { NotebookRuntime } from '../../../src/notebook/runtime';
import type { Connector } from '../../../src/db/connector';

const noConnector = {} as Connector;

test('golden fixture: dependencies of every cell kind', () => {
  const nb = parseNotebook(readFileSync('tests/fixtures/notebook/deps.md', 'utf8'));
  const expected = JSON.parse(readFileSync('tests/fixtures/notebook/deps.expected.json', 'utf8')) as Record<string, string[]>;
  const rt = new NotebookRuntime(noConnector, nb);
  const actual: Record<string, string[]> = {};
  for (const u of rt.units.values()) {
    expect(u.error, u.id).toBeUndefined();
    actual[u.id] = u.deps.map((d) => rt.units.get(d)!.name!);
  }
  expect(actual).toEqual(expected);
});

test('SQL: strings, comments and qualified columns are not table references', () => {
  const a = analyzeSql(`SELECT t.base, 'cell_a', "Cell_B" -- cell_c
    FROM cell_d /* cell_e */ JOIN read_csv('x') ON $p = $q AND E'cell_f' <> $$cell_g$$ WHERE $p > 1`);
  expect(a.tables.sort()).toEqual(['and', 'cell_b', 'cell_d', 'from', 'join', 'on', 'select', 't', 'where'].sort());
  expect(a.params).toEqual(['p', 'q']);
});

test('SQL binding rewrites $name to positional parameters and never splices values', () => {
  const b = bindSql("SELECT '$a' AS lit, $a AS x, $b AS y, $a AS z -- $b", (n) => (n === 'a' ? { values: ["'; DROP TABLE t; --"] } : n === 'b' ? { values: [2] } : undefined));
  expect(b.sql).toBe("SELECT '$a' AS lit, $1 AS x, $2 AS y, $1 AS z -- $b");
  expect(b.params).toEqual(["'; DROP TABLE t; --", 2]);
  expect(b.missing).toEqual([]);
  expect(bindSql('SELECT $nope', () => undefined).missing).toEqual(['nope']);
});

test('TS: free identifiers, sql template tables; not properties, keys, locals, strings or comments', () => {
  const a = analyzeTs(`
    const x: number = 1; // alpha
    let y = beta.gamma + delta;
    const q = await sql\`SELECT * FROM epsilon WHERE v = \${zeta}\`;
    const o = { eta: 1, theta };
    return "iota" + x + y + o + q;`);
  expect(a.error).toBeUndefined();
  expect(a.refs).toEqual(expect.arrayContaining(['beta', 'delta', 'zeta', 'theta', 'sql']));
  for (const n of ['alpha', 'gamma', 'eta', 'iota', 'x', 'y', 'q', 'o', 'epsilon']) expect(a.refs).not.toContain(n);
  expect(a.tables).toContain('epsilon');
});

test('TS syntax errors are reported in Russian', () => {
  expect(analyzeTs('const = ;').error).toMatch(/^Ошибка синтаксиса TypeScript/);
});

test('Markdown: ${name.column|format} references', () => {
  expect(analyzeMarkdown('A ${low.value|pct} b ${ year } c ${x.y.z} $notref {nor}')).toEqual(['low', 'year', 'x']);
});
