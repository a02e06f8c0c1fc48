/**
 * The TAL…PRE direction templates in the real app: opening one on the demo municipality computes
 * the indicator table in the browser (DuckDB-WASM) and every cell finishes without an error.
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
  expect(app.offOrigin).toEqual([]);
}, 900_000);
