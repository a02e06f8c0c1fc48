/**
 * Probes of issue #14 against the runtime: an opened notebook runs nothing before trust, option
 * queries are one SELECT, cells never reach the storage level, values in Markdown stay text,
 * and chart specs lose navigation and embed options.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { NodeConnector } from '../../../src/db/node-connector';
import { parseNotebook } from '../../../src/notebook/format';
import { NotebookRuntime } from '../../../src/notebook/runtime';

let conn: NodeConnector;
let dir: string;
beforeEach(async () => {
  conn = await NodeConnector.open();
  await conn.query({ type: 'exec', sql: "CREATE TABLE schools AS SELECT * FROM (VALUES ('s1', 'Школа №1'), ('s2', 'Гимназия')) t(school_id, name)" });
  dir = mkdtempSync(join(tmpdir(), 'nb-hostile-'));
});
afterEach(async () => {
  await conn.close();
  rmSync(dir, { recursive: true, force: true });
});

const schools = async () => (await conn.query({ type: 'rows', sql: 'SELECT school_id, name FROM schools ORDER BY 1' })).map((r) => `${r.school_id}:${r.name}`);
const tableExists = async (name: string) =>
  (await conn.query({ type: 'rows', sql: 'SELECT count(*)::INT AS n FROM information_schema.tables WHERE table_name = $1', params: [name] }))[0].n === 1;

const HOSTILE = `---
title: Враждебный
parameters:
  - { name: year, type: select, options_sql: "CREATE TABLE pwned AS SELECT 1 AS x; SELECT 2024" }
---

Итого: \${swap.n}

\`\`\`sql id=swap name=swap
CREATE OR REPLACE TABLE schools AS SELECT 'x' AS school_id, 'подменено' AS name;
SELECT count(*) AS n FROM schools
\`\`\`
`;

test('an untrusted notebook touches nothing: no SQL cell, no option query, no Markdown interpolation', async () => {
  const rt = new NotebookRuntime(conn, parseNotebook(HOSTILE), { trusted: false });
  await rt.runAll();
  await rt.setParam('year', 2023);
  await rt.run(['swap']);
  expect(await schools()).toEqual(['s1:Школа №1', 's2:Гимназия']);
  expect(await tableExists('pwned')).toBe(false);
  for (const [id, s] of rt.states) expect([id, s.status, s.runCount]).toEqual([id, 'idle', 0]);
});

test('option queries are one read-only SELECT even in a trusted notebook', async () => {
  const rt = new NotebookRuntime(conn, parseNotebook(HOSTILE), { trusted: true });
  await rt.runAll();
  expect(await tableExists('pwned')).toBe(false);
  expect(rt.states.get('param:year')!.error).toMatch(/options_sql должен быть одним запросом SELECT/);
  const smuggled = [
    'DROP TABLE schools',
    'SELECT 1; SELECT 2',
    "COPY schools TO '" + join(dir, 'x.csv') + "'",
    'SELECT 1) t; DROP TABLE schools; SELECT * FROM (SELECT 1',
    "SELECT E'\\'; DROP TABLE schools; --'",
    'SELECT 1 /* /* */ ; DROP TABLE schools; /* */ */',
    'SELECT 1 --\n; DROP TABLE schools',
  ];
  for (const bad of smuggled) {
    const nb = parseNotebook(`---\nparameters:\n  - { name: p, type: select, options_sql: ${JSON.stringify(bad)} }\n---\n`);
    const r = new NotebookRuntime(conn, nb);
    await r.runAll();
    expect(r.states.get('param:p')!.status, bad).toBe('error');
  }
  expect(await schools()).toEqual(['s1:Школа №1', 's2:Гимназия']);
  const ok = new NotebookRuntime(conn, parseNotebook('---\nparameters:\n  - { name: p, type: select, options_sql: "WITH s AS (SELECT name FROM schools) SELECT name FROM s ORDER BY 1" }\n---\n'));
  await ok.runAll();
  expect(ok.states.get('param:p')!.result).toEqual({ kind: 'param', value: 'Гимназия', options: ['Гимназия', 'Школа №1'] });
});

test('SQL and TS cells of a trusted notebook cannot reach the storage level', async () => {
  const out = join(dir, 'out.csv');
  const statements = [
    `COPY schools TO '${out}'`,
    `SELECT 1; COPY (SELECT * FROM schools) TO '${out}' (FORMAT csv)`,
    `ATTACH '${join(dir, 'other.db')}' AS other`,
    'INSTALL httpfs',
    'LOAD httpfs',
    'SET enable_external_access = true',
    `EXPORT DATABASE '${dir}'`,
    "PRAGMA memory_limit = '1GB'",
    'CALL checkpoint()',
  ];
  const cells = statements.map((s, i) => `\`\`\`sql id=s${i}\n${s}\n\`\`\``).join('\n\n');
  const ts = "```ts id=t name=t\nawait sql`COPY schools TO '" + out + "'`;\nreturn 1;\n```";
  const rt = new NotebookRuntime(conn, parseNotebook(`${cells}\n\n${ts}\n\n\`\`\`sql id=fine name=fine\nSELECT count(*) AS n FROM schools\n\`\`\`\n`));
  await rt.runAll();
  statements.forEach((s, i) => {
    expect(rt.states.get(`s${i}`)!.status, s).toBe('error');
    expect(rt.states.get(`s${i}`)!.error, s).toMatch(/в блокноте запрещена/);
  });
  expect(rt.states.get('t')!.error).toMatch(/COPY в блокноте запрещена/);
  expect(rt.states.get('fine')!.status, rt.states.get('fine')!.error).toBe('done');
  expect(existsSync(out)).toBe(false);
  expect(existsSync(join(dir, 'other.db'))).toBe(false);
  expect((await conn.query({ type: 'rows', sql: 'SELECT database_name FROM duckdb_databases() WHERE NOT internal ORDER BY 1' })).map((r) => r.database_name)).not.toContain('other');
});

test('values interpolated into Markdown and md`` stay text; chart specs lose href and usermeta', async () => {
  const text = `Значение: \${v.s}

\`\`\`sql id=v name=v
SELECT '<img src=x onerror=alert(1)>](http://127.0.0.1:9/leak)' AS s
\`\`\`

\`\`\`ts id=t name=t
return md\`из TS: \${v[0].s}\`;
\`\`\`

\`\`\`vega-lite id=c data=v
{ "mark": { "type": "point", "href": "http://127.0.0.1:9/a" }, "usermeta": { "embedOptions": { "ast": false } },
  "encoding": { "x": { "field": "s" }, "href": { "field": "s" } } }
\`\`\`
`;
  const rt = new NotebookRuntime(conn, parseNotebook(text));
  await rt.runAll();
  const md = rt.states.get(rt.notebook.cells[0].id)!.result as { kind: 'md'; text: string };
  expect(md.text).toBe('Значение: \\<img src=x onerror=alert(1)\\>\\](http://127.0.0.1:9/leak)');
  expect((rt.states.get('t')!.result as { text: string }).text).toBe('из TS: \\<img src=x onerror=alert(1)\\>\\](http://127.0.0.1:9/leak)');
  const spec = (rt.states.get('c')!.result as { spec: Record<string, unknown> }).spec;
  expect(spec.usermeta).toBeUndefined();
  expect(spec.mark).toEqual({ type: 'point' });
  expect(spec.encoding).toEqual({ x: { field: 's' } });
  // Data keep their values verbatim.
  expect((spec.data as { values: unknown[] }).values).toEqual([{ s: '<img src=x onerror=alert(1)>](http://127.0.0.1:9/leak)' }]);
});

test('the exported HTML report forbids requests, forms, <base> and plugins, and drops form controls', async () => {
  const { renderHtml } = await import('../../../src/export/report/html');
  const html = renderHtml({
    title: 'Отчёт',
    date: '2025-01-01',
    blocks: [{ kind: 'html', html: '<form action="http://127.0.0.1:9/"><input name="x"><button>Отправить</button></form><b>текст</b>' }],
  });
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1];
  const d = Object.fromEntries(csp.split(';').map((x) => x.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));
  expect([d['default-src'], d['form-action'], d['base-uri'], d['object-src']]).toEqual(["'none'", "'none'", "'none'", "'none'"]);
  const body = html.slice(html.indexOf('<main>'));
  expect(body).not.toMatch(/<(form|input|button)\b/i);
  expect(body).toContain('<b>текст</b>');
});
