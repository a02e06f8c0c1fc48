import { afterAll, beforeAll, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { openApp, type AppSession } from './harness';
import { sql, waitReady } from './app-helpers';

let app: AppSession;
beforeAll(async () => {
  app = await openApp();
});
afterAll(async () => app?.close());

test('the app opens and makes no off-origin request', async () => {
  await app.page.getByTestId('app').waitFor();
  expect(await app.page.title()).toBe('МСОКО Workbench');
  expect(app.offOrigin).toEqual([]);
});

test('the demo is stored after start-up; a start that ended before it was stored completes it on the next one', async () => {
  // Rows of the demo's schools table, counted from the committed CSV (header line excluded).
  const schoolRows = readFileSync('datasets/demo/canonical/schools.csv', 'utf8').trim().split('\n').length - 1;
  const { page } = app;
  await waitReady(page);
  const pending = () => page.evaluate(() => window.msoko!.kv.get('app.demoPending'));
  // The first start stores the demo in the background and clears the marker when done.
  await expect.poll(pending, { timeout: 120_000, interval: 250 }).toBeUndefined();
  expect(await page.evaluate(() => window.msoko!.storedTables())).toContain('schools');
  // As if the page had closed during that write: one demo table missing, the marker still set.
  await page.evaluate(async () => {
    await window.msoko!.db.dropTables(['schools']);
    await window.msoko!.kv.set('app.demoPending', true);
  });
  await page.reload();
  await waitReady(page);
  expect(await sql(page, 'SELECT count(*)::INT AS n FROM schools')).toEqual([{ n: schoolRows }]);
  await expect.poll(pending, { timeout: 120_000, interval: 250 }).toBeUndefined();
  expect(await page.evaluate(() => window.msoko!.storedTables())).toContain('schools');
  await page.reload();
  await waitReady(page);
  expect(await sql(page, 'SELECT count(*)::INT AS n FROM schools')).toEqual([{ n: schoolRows }]);
  expect(app.offOrigin).toEqual([]);
});
