/**
 * The home page (issue #13): the app opens on it, lists the templates as cards with the data
 * they need and whether the demo covers them, shows the data status, and opens a template in
 * the notebook view; help documents the canonical tables from the contract.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CONTRACT } from '../../src/model/contract';
import { openApp, type AppSession } from './harness';
import { notebookIdle, sql, waitReady } from './app-helpers';

let app: AppSession;
beforeAll(async () => {
  app = await openApp({ path: '' });
  await waitReady(app.page);
});
afterAll(async () => app?.close());

test('the app lands on the home page with template cards and the data status of the demo', async () => {
  const { page } = app;
  await page.getByTestId('home').waitFor();
  expect(await page.getByTestId('notebook').count()).toBe(0);
  // The demo needs no pseudonymisation key: none is made or shown until the user's own file is mapped.
  expect(await page.getByTestId('salt-value').count()).toBe(0);
  const [truth] = await sql(
    page,
    `SELECT count(DISTINCT (year, procedure, subject, grade)) AS works, count(DISTINCT school_id) AS schools, count(*) AS n, min(year) AS y0, max(year) AS y1 FROM assessment_results`,
  );
  const status = await page.getByTestId('home-data-status').innerText();
  const int = (n: unknown) => Number(n).toLocaleString('ru-RU');
  expect(status).toContain('Демонстрационные данные');
  expect(status).toContain(`${truth!.y0}–${truth!.y1}`);
  expect(status).toContain(`${int(truth!.works)} работ`);
  expect(status).toContain(`${int(truth!.schools)} ОО`);
  expect(status).toContain(`${int(truth!.n)} результат`);
  const perYear = await sql(page, `SELECT year, count(DISTINCT (school_id, student_id)) AS p FROM assessment_results GROUP BY year ORDER BY year`);
  const lines = await page.getByTestId('home-data-years').locator('li').allInnerTexts();
  expect(lines.length).toBe(perYear.length);
  perYear.forEach((y, i) => expect(lines[i]).toMatch(new RegExp(`^${y.year}: .* ${int(y.p).replace(/\s/g, '\\s')} участник`)));
  const gia = page.getByTestId('home-card-gia');
  await expect(gia.locator('h3').innerText()).resolves.toMatch(/ГИА/);
  expect(await gia.innerText()).toContain(CONTRACT.assessment_results.title);
  expect(await gia.getByTestId('home-card-coverage').innerText()).toBe('Загруженные данные покрывают шаблон');
  expect(app.offOrigin).toEqual([]);
});

test('a card opens its template in the notebook view; Back returns home', async () => {
  const { page } = app;
  await page.getByTestId('home-card-gia').getByTestId('home-open').click();
  await page.getByTestId('notebook').waitFor();
  expect(page.url()).toMatch(/#\/notebook$/);
  // While the indicators and cells are computed the reader sees «…», never a raw `${…}`.
  await page.locator('.nb-md').first().waitFor();
  expect(await page.getByTestId('notebook').innerText()).not.toContain('${');
  await notebookIdle(page);
  expect(await page.getByTestId('notebook').innerText()).not.toContain('${');
  await expect(page.getByTestId('nb-title').innerText()).resolves.toMatch(/ГИА/);
  await page.goBack();
  await page.getByTestId('home').waitFor();
  expect(await page.getByTestId('notebook').isHidden()).toBe(true);
  expect(app.offOrigin).toEqual([]);
});

test('help documents every canonical table and the indicator catalogue', async () => {
  const { page } = app;
  await page.getByTestId('nav-help').click();
  const tables = await page.getByTestId('help-tables').innerText();
  for (const t of Object.values(CONTRACT)) expect(tables).toContain(t.title);
  await page.getByTestId('catalogue-OBJ').locator('summary').click();
  expect(await page.getByTestId('catalogue-OBJ').innerText()).toContain('OBJ-02');
  expect(app.offOrigin).toEqual([]);
});

test('a template reads as a report: code hidden until the toggle, a sticky parameter bar and an outline of its headings', async () => {
  const { page } = app;
  await page.getByTestId('nav-home').click();
  await page.getByTestId('home-card-obj').getByTestId('home-open').click();
  await expect.poll(() => page.getByTestId('nb-title').innerText()).toMatch(/[Оо]бъективност/);
  await notebookIdle(page);
  const host = page.getByTestId('notebook-host');
  await expect(host.getAttribute('data-report')).resolves.toBe('true');
  // The notebook says which data its numbers come from (the same line as the home page's).
  await expect.poll(() => page.getByTestId('notebook-data').innerText()).toMatch(/^Демонстрационные данные: \d{4}–\d{4} годы, \d+ работ/);
  const editors = page.locator('.nb-editor');
  expect(await editors.count()).toBeGreaterThan(0);
  expect(await editors.first().isVisible()).toBe(false);
  // Code hidden: no Monaco editor is built (nor Monaco loaded) for a report.
  expect(await page.locator('.monaco-editor').count()).toBe(0);
  const headings = await page.locator('.nb-md h1, .nb-md h2').allInnerTexts();
  const outline = await page.getByTestId('outline').locator('a').allInnerTexts();
  expect(outline).toEqual(headings.filter((h) => h.trim()).map((h) => h.trim()));
  expect(await page.getByTestId('nb-params').evaluate((el) => getComputedStyle(el).position)).toBe('sticky');
  await page.getByTestId('code-toggle').click();
  await expect(host.getAttribute('data-report')).resolves.toBe('false');
  expect(await editors.first().isVisible()).toBe(true);
  await page.locator('.monaco-editor').first().waitFor();
  await page.getByTestId('code-toggle').click();
  await expect(host.getAttribute('data-report')).resolves.toBe('true');
  expect(app.offOrigin).toEqual([]);
});

test('helper queries marked report=false (the annual report\'s catalogue) are left out of the report view', async () => {
  const { page } = app;
  await page.getByTestId('nav-home').click();
  await page.getByTestId('home-card-annual-report').getByTestId('home-open').click();
  // The notebook view is remounted on the chosen notebook: wait for it before waiting for its cells.
  await expect.poll(() => page.getByTestId('nb-title').innerText()).toMatch(/Ежегодный отчёт/);
  await notebookIdle(page);
  const helpers = page.locator('[data-testid=cell][data-report=false]');
  await expect.poll(() => helpers.count()).toBe(3);
  expect(await helpers.first().isVisible()).toBe(false);
  await page.getByTestId('code-toggle').click();
  expect(await helpers.first().isVisible()).toBe(true);
  await page.getByTestId('code-toggle').click();
  expect(await helpers.first().isVisible()).toBe(false);
  expect(app.offOrigin).toEqual([]);
});

test('Ctrl+K opens the command palette, which opens a template; H shows the keyboard shortcuts', async () => {
  const { page } = app;
  await page.getByTestId('nav-home').click();
  await page.keyboard.press('Control+k');
  await page.getByTestId('palette-input').fill('низк');
  const first = page.getByTestId('palette').locator('li').first();
  await expect(first.innerText()).resolves.toMatch(/Открыть шаблон: .*[Нн]изк/);
  await page.keyboard.press('Enter');
  await page.getByTestId('notebook').waitFor();
  await expect.poll(() => page.getByTestId('nb-title').innerText()).toMatch(/[Нн]изк/);
  await notebookIdle(page);
  await page.locator('body').click({ position: { x: 5, y: 400 } });
  await page.keyboard.press('h');
  const help = await page.getByTestId('shortcuts').innerText();
  expect(help).toContain('Shift+Enter');
  expect(help).toContain('Ctrl+K');
  await page.getByTestId('shortcuts-close').click();
  expect(app.offOrigin).toEqual([]);
});
