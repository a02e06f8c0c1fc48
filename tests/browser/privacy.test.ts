import { afterAll, beforeAll, expect, test } from 'vitest';
import { inject } from 'vitest';
import { openApp, type AppSession } from './harness';
import { fixture, importFiles, sql, waitReady } from './app-helpers';

let app: AppSession;
beforeAll(async () => {
  app = await openApp();
  await waitReady(app.page);
});
afterAll(async () => app?.close());

test('the built page carries a CSP that allows connections only to its own origin, and loads nothing from elsewhere', async () => {
  const html = await (await fetch(inject('appUrl'))).text();
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
  const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  expect(directives['connect-src']).toEqual(["'self'"]);
  expect(directives['default-src']).toEqual(["'self'"]);
  for (const values of Object.values(directives)) for (const v of values) expect(v).not.toMatch(/^https?:|^\*$/);
  expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
});

test('the page cannot reach another origin', async () => {
  const r = await app.page.evaluate(async () => {
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.effectiveDirective));
    let fetched = 'no error';
    try {
      await fetch('https://example.org/data.csv');
    } catch (e) {
      fetched = String(e);
    }
    await new Promise((ok) => setTimeout(ok, 100));
    return { fetched, violations };
  });
  expect(r.fetched).toMatch(/TypeError/);
  expect(r.violations).toContain('connect-src');
  expect(app.offOrigin).toEqual([]);
});

test('DuckDB has extension auto-install/auto-load off and cannot download anything', async () => {
  const { page } = app;
  expect(
    await sql(page, "SELECT current_setting('autoinstall_known_extensions') AS i, current_setting('autoload_known_extensions') AS l"),
  ).toEqual([{ i: false, l: false }]);
  // INSTALL is a no-op in DuckDB-WASM; reading a remote file and loading an extension must fail without a request.
  const errors = await page.evaluate(async () => {
    const out: string[] = [];
    for (const q of ["SELECT * FROM read_csv('https://example.org/x.csv')", 'INSTALL spatial', 'LOAD spatial']) {
      try {
        await window.msoko!.db.query({ type: 'exec', sql: q });
        out.push('ok');
      } catch (e) {
        out.push((e as Error).message);
      }
    }
    return out;
  });
  expect(errors[0]).toContain('Запрос за пределы приложения запрещён: https://example.org/x.csv');
  expect(errors[2]).toContain('Запрос за пределы приложения запрещён');
  // The engine is still usable afterwards.
  expect(await sql(page, 'SELECT count(*) > 0 AS ok FROM schools')).toEqual([{ ok: true }]);
  expect(app.offOrigin).toEqual([]);
});

test('a full session (start, import, preview, query) makes no off-origin request', async () => {
  const { page } = app;
  await importFiles(page, [fixture('vpr-cp1251.csv'), fixture('vpr-protocol.xlsx'), fixture('scores.parquet'), fixture('teachers.json')]);
  await page.locator('[data-testid="table-item-vpr_cp1251"] .table-name').click();
  await page.getByTestId('profile-Дата').waitFor();
  expect(await sql(page, 'SELECT count(*) AS n FROM teachers')).toEqual([{ n: 3 }]);
  await page.reload();
  await waitReady(page);
  expect(app.offOrigin).toEqual([]);
});
