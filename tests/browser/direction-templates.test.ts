/**
 * The TAL…PRE direction templates in the real app: opening one on the demo municipality computes
 * the indicator table in the browser (DuckDB-WASM) and every cell finishes without an error.
 * Then the PREP template's dependent parameters: choosing ОГЭ offers grade 9 only, a chart title
 * names the chosen work and a chart with no rows says so, naming it.
 */
import { afterEach, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, type AppSession } from './harness';
import { notebookIdle as idle } from './app-helpers';

let app: AppSession | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

// The intro heading once its cells ran ("…, <year> год").
const TITLES: Record<string, string> = {
  tal: 'Выявление и поддержка талантов, 20',
  car: 'Самоопределение и профессиональная ориентация, 20',
  mgr: 'Эффективность руководителей ОО, 20',
  ped: 'Профессиональное развитие педагогов, 20',
  upb: 'Воспитание и социализация, 20',
  pre: 'Качество дошкольного образования, 20',
};
const SUMMARY_ID: Record<string, string> = { tal: 'TAL-09', car: 'CAR-08', mgr: 'MGR-03', ped: 'PED-13', upb: 'UPB-03', pre: 'PRE-04' };

test('the six direction templates open on the demo municipality with every cell done', async () => {
  app = await openApp();
  const { page } = app;
  await page.locator('[data-testid=notebook][data-ready=true]').waitFor({ timeout: 120_000 });
  await idle(page);
  for (const name of Object.keys(TITLES)) {
    await page.getByTestId('nb-picker').selectOption(`template:${name}`);
    await page.locator('[data-testid=nb-readonly]').waitFor({ state: 'attached' });
    // The indicator table is computed first (tens of seconds in DuckDB-WASM), then the cells run.
    await page.waitForFunction(
      (title) => {
        const cells = [...document.querySelectorAll('[data-testid=cell]')];
        return (
          cells.length > 10 &&
          (cells[0].textContent ?? '').includes(title) &&
          cells.every((c) => ['done', 'error'].includes(c.getAttribute('data-status') ?? ''))
        );
      },
      TITLES[name],
      { timeout: 600_000, polling: 1000 },
    );
    await idle(page);
    const statuses = await page
      .locator('[data-testid=cell]')
      .evaluateAll((cells) => cells.map((c) => [c.getAttribute('data-cell-id'), c.getAttribute('data-status')]));
    expect(statuses.filter(([, s]) => s !== 'done'), name).toEqual([]);
    const title = await page.locator('[data-testid=cell][data-cell-id=intro]').textContent();
    expect(title).toContain(TITLES[name]);
    const summary = await page.locator('[data-testid=cell][data-cell-id=summary] [data-testid=cell-table]').textContent();
    expect(summary).toContain(SUMMARY_ID[name]);
  }
  await dependentParameters(page);
  expect(app.offOrigin).toEqual([]);
}, 900_000);

const chartText = (page: Page, cell: string) => page.locator(`[data-testid=cell][data-cell-id=${cell}] [data-testid=cell-chart] svg`).first().textContent();

async function dependentParameters(page: Page) {
  await page.getByTestId('nb-picker').selectOption('template:prep');
  await page.locator('[data-testid=nb-readonly]').waitFor({ state: 'attached' });
  await page.locator('[data-testid=cell][data-cell-id=ranking_chart] [data-testid=cell-chart] svg').waitFor({ timeout: 600_000 });
  await idle(page);
  const year = await page.getByTestId('param-year-input').first().inputValue();
  const grades = () => page.getByTestId('param-grade-input').first().locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  expect(await grades()).toContain('5');
  expect(await chartText(page, 'ranking_chart')).toContain(`ВПР, Математика, 5 класс, ${year}`);

  // ОГЭ is written in grade 9 only: the grade list follows the procedure, and the work's charts re-render.
  await page.getByTestId('param-procedure-input').first().selectOption('ОГЭ');
  await page.waitForFunction(() => {
    const sel = document.querySelector('[data-testid=param-grade-input]') as HTMLSelectElement | null;
    return !!sel && [...sel.options].map((o) => o.value).join() === '9';
  }, undefined, { timeout: 120_000 });
  await idle(page);
  expect(await page.getByTestId('param-grade-input').first().inputValue()).toBe('9');
  await page.waitForFunction(() => (document.querySelector('[data-cell-id=ranking_chart] svg')?.textContent ?? '').includes('ОГЭ'), undefined, { timeout: 120_000 });
  expect(await chartText(page, 'ranking_chart')).toContain(`Доля справившихся с работой по ОО — ОГЭ, Математика, 9 класс, ${year}`);
  // No journal marks for ОГЭ in the demo: an explicit empty state naming the combination, not empty axes.
  expect(await chartText(page, 'journal_chart')).toContain(`Нет данных: ОГЭ, Математика, 9 класс, ${year}`);
}
