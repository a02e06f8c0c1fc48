/**
 * A reload offers the shell as soon as the engine runs, while the stored tables are still being
 * restored (src/app/boot.ts): the data panel lists them from their stored records with the
 * restore's progress, the views work, and a query asked meanwhile waits for the restore instead of
 * seeing a table missing or half restored. The restore is held by the app's test hook
 * (`window.__msokoHoldRestore`), so nothing here depends on timing.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openApp, type AppSession } from './harness';
import { fixture, importFiles, waitReady } from './app-helpers';

let app: AppSession;
beforeAll(async () => {
  app = await openApp({ path: '' });
  await waitReady(app.page);
});
afterAll(async () => app?.close());

declare global {
  interface Window {
    __msokoHoldRestore?: Promise<unknown>;
    __releaseRestore?: () => void;
    __counted?: unknown;
  }
}

test('while stored tables are restored the shell is usable, the tables are listed, and a query waits for them', async () => {
  const { page } = app;
  // vpr-cp1251.csv has 5 data rows (see tests/fixtures/read).
  await importFiles(page, [fixture('vpr-cp1251.csv')]);
  await expect.poll(() => page.evaluate(() => window.msoko!.storedTables()), { timeout: 120_000 }).toContain('vpr_cp1251');
  await expect.poll(() => page.evaluate(() => window.msoko!.kv.get('app.demoPending')), { timeout: 120_000 }).toBeUndefined();

  await page.addInitScript(() => {
    window.__msokoHoldRestore = new Promise<void>((release) => (window.__releaseRestore = release));
  });
  await page.reload();
  await waitReady(page);
  const shell = page.getByTestId('app');
  expect(await shell.getAttribute('data-data')).toBe('restoring');
  expect(await page.getByTestId('restore-progress').innerText()).toMatch(/Восстановление таблиц: 0 из \d+/);
  // Listed from the stored records, with their row counts, before any table is back in the engine.
  expect(await page.getByTestId('table-rows-vpr_cp1251').innerText()).toBe('5');
  await page.getByTestId('nav-help').click();
  await page.getByTestId('help').waitFor();
  await page.getByTestId('nav-home').click();
  await page.getByTestId('home-card-pre').waitFor();

  // Asked while the restore is held: it must wait, then count every row (without the wait the table does not exist yet).
  await page.evaluate(() => {
    void window.msoko!.db.query({ type: 'rows', sql: 'SELECT count(*) AS n FROM vpr_cp1251' }).then(
      (rows) => (window.__counted = rows),
      (e) => (window.__counted = String(e)),
    );
  });
  await page.evaluate(() => new Promise((ok) => setTimeout(ok, 0)));
  expect(await page.evaluate(() => window.__counted)).toBeUndefined();
  await page.evaluate(() => window.__releaseRestore!());
  await page.waitForFunction(() => window.__counted !== undefined, undefined, { timeout: 120_000 });
  expect(await page.evaluate(() => window.__counted)).toEqual([{ n: 5 }]);
  await page.locator('[data-testid=app][data-data=ready]').waitFor({ timeout: 120_000 });
  expect(await page.getByTestId('restore-progress').count()).toBe(0);
  expect(app.errors).toEqual([]);
});
