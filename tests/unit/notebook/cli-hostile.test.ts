/**
 * The headless runner on hostile notebooks (issue #14, «CLI»): a notebook of SQL and chart
 * cells may read nothing outside --data, write nothing outside --out, fetch no URL; TS cells
 * run only with --trust. Everything happens in a temp dir whose every file is checked after.
 */
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { isBundledTemplate, runHeadless } from '../../../scripts/notebook';

const MARKER = 'СЕКРЕТ-7c1f-ФИО-Иванов';
let dir: string;
let server: Server;
let attacker: string;
const hits: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nb-cli-hostile-'));
  writeFileSync(join(dir, 'secret.txt'), `line\n${MARKER}\n`);
  server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.end('line\nfrom-attacker\n');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const addr = server.address();
  attacker = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/`;
});
afterAll(async () => {
  await new Promise<void>((ok) => server.close(() => ok()));
  rmSync(dir, { recursive: true, force: true });
});

/** Every file under `root` (relative paths). */
function walk(root: string, prefix = ''): string[] {
  return readdirSync(root).flatMap((f) => (statSync(join(root, f)).isDirectory() ? walk(join(root, f), `${prefix}${f}/`) : [`${prefix}${f}`]));
}

function hostile(): string {
  const secret = join(dir, 'secret.txt');
  return `---
title: Враждебный
---

\`\`\`sql id=r1 name=r1
SELECT * FROM read_text('${secret}')
\`\`\`

\`\`\`sql id=r2 name=r2
SELECT * FROM read_csv('${attacker}x.csv')
\`\`\`

\`\`\`sql id=w1
COPY (SELECT 42 AS x) TO '${join(dir, 'written.csv')}'
\`\`\`

\`\`\`sql id=w2 name=w2
SELECT * FROM read_csv('${secret}', header = false)
\`\`\`

\`\`\`sql id=w3
ATTACH '${join(dir, 'attached.db')}' AS a
\`\`\`

\`\`\`vega-lite id=c1
{ "data": { "url": "${secret}", "format": { "type": "tsv" } }, "mark": "text", "encoding": { "text": { "field": "line" } } }
\`\`\`

\`\`\`vega-lite id=c2
{ "data": { "url": "${attacker}chart.tsv", "format": { "type": "tsv" } }, "mark": "text", "encoding": { "text": { "field": "line" } } }
\`\`\`

\`\`\`ts id=t name=t
(process as any).getBuiltinModule('fs').writeFileSync(${JSON.stringify(join(dir, 'ts-wrote.txt'))}, 'x');
return 1;
\`\`\`
`;
}

test('SQL and chart cells read nothing outside --data, write nothing outside --out, fetch nothing; TS needs --trust', async () => {
  const file = join(dir, 'hostile.md');
  writeFileSync(file, hostile());
  const out = join(dir, 'out');
  const { summary } = await runHeadless({ file, data: 'tests/fixtures/notebook/data', out });
  const byId = Object.fromEntries(summary.map((c) => [c.id, c]));
  for (const id of ['r1', 'r2', 'w1', 'w2', 'w3']) expect(byId[id].status, id).toBe('error');
  expect(byId.t.error).toMatch(/запустите с --trust/);

  expect(hits).toEqual([]);
  expect(walk(dir).filter((f) => !f.startsWith('out/')).sort()).toEqual(['hostile.md', 'secret.txt']);
  for (const f of walk(out)) expect(readFileSync(join(out, f), 'utf8'), f).not.toContain(MARKER);
  // The charts were still drawn, only without their data.
  expect(existsSync(join(out, 'c1.svg')) || byId.c1.status === 'error').toBe(true);
});

test('with --trust the TS cell runs (the gate is the flag); the shipped templates are trusted', () => {
  const file = join(dir, 'ts-only.md');
  writeFileSync(file, `\`\`\`ts id=t name=t\n(process as any).getBuiltinModule('fs').writeFileSync(${JSON.stringify(join(dir, 'ts-wrote.txt'))}, 'x');\nreturn 1;\n\`\`\`\n`);
  const out = join(dir, 'out-trusted');
  mkdirSync(out, { recursive: true });
  const run = (...extra: string[]) => {
    try {
      return execFileSync('npx', ['tsx', 'scripts/notebook.ts', file, '--out', out, ...extra], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      return String((e as { stdout: string }).stdout);
    }
  };
  expect(run()).toContain('запустите с --trust');
  expect(existsSync(join(dir, 'ts-wrote.txt'))).toBe(false);
  expect(run('--trust')).toMatch(/OK\s+t \(ts\)/);
  expect(existsSync(join(dir, 'ts-wrote.txt'))).toBe(true);
  rmSync(join(dir, 'ts-wrote.txt'));
  expect([isBundledTemplate('notebooks/annual-report.md'), isBundledTemplate(file), isBundledTemplate('notebooks/../x.md')]).toEqual([true, false, false]);
}, 300_000);

test('without --data the notebook runs on the bundled demo municipality', async () => {
  const file = join(dir, 'count.md');
  writeFileSync(file, '```sql id=total name=total\nSELECT count(*) AS n FROM schools\n```\n');
  const demoSchools = readFileSync('datasets/demo/canonical/schools.csv', 'utf8').trim().split('\n').length - 1;
  const { runtime } = await runHeadless({ file, out: join(dir, 'out-demo') });
  const s = runtime.states.get('total')!;
  const r = s.result!;
  expect(s.error).toBeUndefined();
  expect(r.kind === 'table' && r.rows()).toEqual([{ n: demoSchools }]);
});
