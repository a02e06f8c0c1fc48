import { afterAll, beforeAll, expect, test } from 'vitest';
import { openApp, type AppSession } from './harness';
import { DEMO_TABLES, fixture, importFiles, listedTables, sql, waitReady } from './app-helpers';

let app: AppSession;
beforeAll(async () => {
  app = await openApp();
  await waitReady(app.page);
});
afterAll(async () => app?.close());

const snapshot = async () => ({
  cp1251: await sql(app.page, 'SELECT * FROM vpr_cp1251 ORDER BY "Класс", "Пол"'),
  raw: await sql(app.page, 'SELECT * FROM raw.vpr_cp1251 ORDER BY _row'),
  types: await sql(app.page, "SELECT column_name, data_type FROM information_schema.columns WHERE table_name IN ('vpr_cp1251', 'scores') ORDER BY table_name, ordinal_position"),
  scores: await sql(app.page, 'SELECT * FROM scores ORDER BY 1'),
  demo: await sql(app.page, 'SELECT (SELECT count(*) FROM schools) AS s, (SELECT count(*) FROM assessment_results) AS a'),
});

test('imported files, the demo tables and stored notebook state survive a reload and a browser restart; «clear» wipes them', async () => {
  const { page } = app;
  await importFiles(page, [fixture('vpr-cp1251.csv'), fixture('scores.parquet')]);
  await page.evaluate(() => window.msoko!.kv.set('notebook.test', { cells: ['SELECT 1'], title: 'Мой блокнот' }));
  const before = await snapshot();
  expect(before.cp1251.length).toBe(5);
  const tablesBefore = (await listedTables(page)).filter((t) => [...DEMO_TABLES, 'vpr_cp1251', 'scores'].includes(t));
  expect(tablesBefore.length).toBe(DEMO_TABLES.length + 2);

  await page.reload();
  await waitReady(page);
  expect(await listedTables(page)).toEqual(expect.arrayContaining(tablesBefore));
  expect(await snapshot()).toEqual(before);
  expect(await page.evaluate(() => window.msoko!.kv.get('notebook.test'))).toEqual({ cells: ['SELECT 1'], title: 'Мой блокнот' });
  expect(await page.getByTestId('table-rows-vpr_cp1251').innerText()).toBe('5');

  await app.restart();
  await waitReady(app.page);
  expect(await snapshot()).toEqual(before);

  app.page.once('dialog', (d) => void d.accept());
  await app.page.getByTestId('clear-data').click();
  await app.page.waitForURL(app.url);
  await app.page.waitForFunction(() => !document.querySelector('[data-testid="table-item-vpr_cp1251"]') && document.querySelector('[data-engine=ready]'));
  await waitReady(app.page);
  const after = await listedTables(app.page);
  expect(after).not.toContain('vpr_cp1251');
  expect(after).not.toContain('scores');
  expect(after).toEqual(expect.arrayContaining(DEMO_TABLES));
  expect(await app.page.evaluate(() => window.msoko!.kv.get('notebook.test'))).toBeUndefined();
  expect(await sql(app.page, 'SELECT (SELECT count(*) FROM schools) AS s, (SELECT count(*) FROM assessment_results) AS a')).toEqual(before.demo);
  expect(app.offOrigin).toEqual([]);
});
