import { afterAll, beforeAll, expect, test } from 'vitest';
import { openApp, type AppSession } from './harness';
import { fixture, importFiles, listedTables, sql, waitReady } from './app-helpers';

let app: AppSession;
beforeAll(async () => {
  app = await openApp();
  await waitReady(app.page);
});
afterAll(async () => app?.close());

test('opens with the demo municipality already loaded', async () => {
  const { page } = app;
  expect(await page.title()).toBe('МСОКО Workbench');
  await page.getByTestId('table-list').waitFor();
  const names = await listedTables(page);
  expect(names).toEqual(expect.arrayContaining(['schools', 'assessment_results']));
  // The panel's counts are the tables' real row counts.
  for (const name of ['schools', 'assessment_results']) {
    const [{ n }] = await sql(page, `SELECT count(*) AS n FROM ${name}`);
    expect(Number(n)).toBeGreaterThan(0);
    expect(await page.getByTestId(`table-item-${name}`).getAttribute('data-rows')).toBe(String(n));
  }
  await page.getByTestId('notebook').waitFor();
  expect(app.offOrigin).toEqual([]);
});

test('the connector gives plain values, binds parameters, returns Arrow and lists tables', async () => {
  const r = await app.page.evaluate(async () => {
    const db = window.msoko!.db;
    const rows = await db.query({
      type: 'rows',
      sql: "SELECT 1::BIGINT AS a, 2.5::DECIMAL(5,2) AS b, DATE '2024-03-01' AS d, TIMESTAMP '2024-03-01 10:20:30' AS ts, 'x' AS s, NULL AS n, true AS t",
    });
    const bound = await db.query({ type: 'rows', sql: 'SELECT $1::INTEGER + 1 AS v, $2 AS s', params: [41, "O'Brien"] });
    const arrow = await db.query({ type: 'arrow', sql: 'SELECT range AS i FROM range(5)' });
    await db.query({ type: 'exec', sql: 'CREATE TABLE conn_t1 AS SELECT 1 AS x; CREATE TABLE conn_t2 AS SELECT 2 AS y' });
    const tables = (await db.listTables()).filter((t) => t.name.startsWith('conn_t'));
    const csv = new TextDecoder().decode(await db.exportTable('SELECT 1 AS a, 2.5 AS b', 'csv'));
    const parquet = await db.exportTable('conn_t1', 'parquet');
    const magic = new TextDecoder().decode(parquet.slice(0, 4));
    return { rows, bound, n: arrow.numRows, sum: [...arrow.getChild('i')!].reduce((a: number, b) => a + Number(b), 0), tables, csv, magic };
  });
  expect(r.rows).toEqual([{ a: 1, b: 2.5, d: '2024-03-01', ts: '2024-03-01T10:20:30.000Z', s: 'x', n: null, t: true }]);
  expect(r.bound).toEqual([{ v: 42, s: "O'Brien" }]);
  expect([r.n, r.sum]).toEqual([5, 10]);
  expect(r.tables).toEqual([
    { name: 'conn_t1', rowCount: 1, columns: [{ name: 'x', type: 'INTEGER' }], kind: 'table' },
    { name: 'conn_t2', rowCount: 1, columns: [{ name: 'y', type: 'INTEGER' }], kind: 'table' },
  ]);
  expect(r.csv.trim().split('\n')).toEqual(['a;b', '1;2.5']);
  expect(r.magic).toBe('PAR1');
  expect(app.offOrigin).toEqual([]);
});

test('a long query is cancelled from the UI; the engine restarts with every loaded table restored', async () => {
  const { page } = app;
  await importFiles(page, [fixture('marks.tsv')]);
  const before = await sql(page, 'SELECT (SELECT count(*) FROM marks) AS m, (SELECT count(*) FROM schools) AS s');
  await page.evaluate(() => {
    const w = window as unknown as { cancelled: Promise<string> };
    w.cancelled = window
      .msoko!.db.query({ type: 'rows', sql: 'SELECT sum(hash(i)) AS h FROM range(5000000000) t(i)' })
      .then(() => 'finished', (e: Error) => e.message);
  });
  await page.getByTestId('cancel-query').click({ timeout: 30_000 });
  expect(await page.evaluate(() => (window as unknown as { cancelled: Promise<string> }).cancelled)).toBe('Запрос отменён.');
  await page.getByTestId('notice').waitFor();
  expect(await page.getByTestId('notice').innerText()).toContain('Запрос отменён');
  expect(await sql(page, 'SELECT (SELECT count(*) FROM marks) AS m, (SELECT count(*) FROM schools) AS s')).toEqual(before);
  expect(await sql(page, 'SELECT "Балл" AS b FROM marks ORDER BY 1')).toEqual([{ b: 9 }, { b: 14.5 }, { b: 19.25 }]);
  await page.getByTestId('notebook').waitFor();
  expect(app.offOrigin).toEqual([]);
});

test('when the engine runs out of memory it is restarted and the loaded tables are restored', async () => {
  const { page } = app;
  const before = await sql(page, 'SELECT (SELECT count(*) FROM marks) AS m, (SELECT count(*) FROM schools) AS s');
  const message = await page.evaluate(async () => {
    const db = window.msoko!.db;
    await db.query({ type: 'exec', sql: "SET memory_limit = '250MB'" });
    return db
      .query({ type: 'rows', sql: 'SELECT count(DISTINCT x) AS n FROM (SELECT repeat(i::VARCHAR, 100) AS x FROM range(5000000) t(i))' })
      .then(() => 'finished', (e: Error) => e.message);
  });
  expect(message).toBe(
    'Сбой движка базы данных (вероятно, не хватило памяти). База перезапущена, загруженные таблицы восстановлены. ' +
      'Для данных такого объёма используйте запуск без браузера: npm run import и npm run indicators (см. README, раздел «Command line (Node, native DuckDB)»).',
  );
  await page.getByText('База данных перезапущена после сбоя').waitFor();
  expect(await sql(page, 'SELECT (SELECT count(*) FROM marks) AS m, (SELECT count(*) FROM schools) AS s')).toEqual(before);
  // The fresh engine has the default memory limit again.
  expect(await sql(page, "SELECT current_setting('memory_limit') <> '238.4 MiB' AS reset")).toEqual([{ reset: true }]);
  expect(app.offOrigin).toEqual([]);
});

test('the result grid shows a 1,000,000-row result by rendering only the visible rows', async () => {
  const { page } = app;
  const n = await page.evaluate(() => window.msoko!.showResult('SELECT i AS n, i * 0.5 AS half FROM range(1000000) t(i)'));
  expect(n).toBe(1_000_000);
  const grid = page.locator('[data-testid=result-dialog] [data-testid=result-table]');
  expect(await grid.getAttribute('data-rows')).toBe('1000000');
  expect(await grid.locator('.rt-row').count()).toBeLessThan(100);
  await grid.locator('.rt-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
  const last = grid.locator('.rt-row[data-row="999999"]');
  await last.waitFor();
  expect((await last.innerText()).split('\n').map((s) => s.trim().replace(/\u00a0/g, ' '))).toEqual(['1000000', '999 999', '499 999,5']);
  expect(await grid.locator('.rt-row').count()).toBeLessThan(100);
  expect(await page.locator('[data-testid=result-dialog] [data-testid=result-rowcount]').innerText()).toMatch(/^1\s000\s000 строк, 2 столбца$/);
  await page.getByTestId('result-dialog-close').click();
  expect(app.offOrigin).toEqual([]);
});
