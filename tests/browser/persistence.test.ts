import { afterAll, beforeAll, expect, test } from 'vitest';
import { openApp, type AppSession } from './harness';
import { DEMO_TABLES, fixture, importFiles, listedTables, notebookIdle, sql, waitReady } from './app-helpers';

let app: AppSession;
beforeAll(async () => {
  // A profile of its own: the test restarts the browser on it.
  app = await openApp({ persistent: true });
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

test('the indicator table a template computed is kept with the fingerprint of its data and reused after a reload; changed data are computed afresh', async () => {
  const own = await openApp({ path: '' });
  try {
    const { page } = own;
    await waitReady(page);
    await page.getByTestId('home-card-pre').getByTestId('home-open').click();
    const stored = () => page.evaluate(() => window.msoko!.storedTables());
    await expect.poll(stored, { timeout: 120_000 }).toEqual(expect.arrayContaining(['indicators', 'indicators_source', 'task_scores']));
    await expect.poll(() => page.evaluate(() => window.msoko!.kv.get('app.demoPending')), { timeout: 120_000 }).toBeUndefined();
    // A value no computation gives, kept as if the app had computed it: only a reused table can show it after the reload.
    const marked = "indicator_id = 'PRE-04' AND school_id IS NULL AND dimension IS NULL";
    await sql(page, `UPDATE indicators SET value = -777 WHERE ${marked}`);
    const [{ n }] = await sql(page, `SELECT count(*) AS n FROM indicators WHERE ${marked}`);
    expect(Number(n)).toBeGreaterThan(0);
    await page.evaluate(() => window.msoko!.db.persistTables(['indicators']));
    const [before] = await sql(page, 'SELECT fingerprint FROM indicators_source');

    await page.getByTestId('nav-home').click();
    await page.reload();
    await waitReady(page);
    expect(await sql(page, `SELECT count(*) FILTER (WHERE value = -777) AS n FROM indicators WHERE ${marked}`)).toEqual([{ n }]);
    expect(await sql(page, 'SELECT fingerprint FROM indicators_source')).toEqual([before]);
    await page.getByTestId('home-card-pre').getByTestId('home-open').click();
    await notebookIdle(page);
    expect(await sql(page, `SELECT count(*) FILTER (WHERE value = -777) AS n FROM indicators WHERE ${marked}`)).toEqual([{ n }]);

    // Data changed after the indicators were kept: the next template computes them again.
    await sql(page, "UPDATE schools SET name = name || ' (изм.)' WHERE school_id = (SELECT min(school_id) FROM schools)");
    await page.getByTestId('nav-home').click();
    await page.getByTestId('home-card-pre').getByTestId('home-open').click();
    await expect
      .poll(async () => (await sql(page, 'SELECT count(*) FILTER (WHERE value = -777) AS n FROM indicators').catch(() => [{ n: -1 }]))[0].n, { timeout: 120_000 })
      .toBe(0);
    expect(await sql(page, 'SELECT fingerprint FROM indicators_source')).not.toEqual([before]);
    expect(own.offOrigin).toEqual([]);
  } finally {
    await own.close();
  }
});
