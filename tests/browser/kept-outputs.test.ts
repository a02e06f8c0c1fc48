/**
 * A reload shows each cell's last output before the engine has run it, marked as kept, and only
 * while the stored tables it was computed from are unchanged (src/notebook/kept-outputs.ts). The
 * restore is held by the app's test hook (`window.__msokoHoldRestore`), so the cells cannot run
 * until the test lets them; nothing here depends on timing.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { openApp, type AppSession } from './harness';
import { notebookIdle, waitReady } from './app-helpers';
import { cell, openTrusted } from './notebook-helpers';

declare global {
  interface Window {
    __msokoHoldRestore?: Promise<unknown>;
    __releaseRestore?: () => void;
  }
}

// Three schools; the second file has the same rows, columns and types with one score changed.
const FIRST = 'school,score\nА,10\nБ,30\nВ,20\n';
const CHANGED = 'school,score\nА,10\nБ,31\nВ,20\n';

const NOTEBOOK = `---
title: Сохранённые результаты
---

\`\`\`sql id=q name=kept_scores
SELECT school, score FROM kept_src ORDER BY school
\`\`\`

\`\`\`vega-lite id=ch data=kept_scores
{ "mark": "bar", "encoding": { "x": { "field": "school", "type": "nominal" }, "y": { "field": "score", "type": "quantitative" } } }
\`\`\`

\`\`\`sql id=total name=kept_total
SELECT sum(score) AS total FROM kept_scores
\`\`\`
`;

let app: AppSession;
beforeAll(async () => {
  app = await openApp({ path: '#/notebook' });
  await waitReady(app.page);
});
afterAll(async () => app?.close());

type Hook = { loadData(fileName: string, text: string): Promise<string> };
const loadData = (page: Page, text: string) =>
  page.evaluate((t) => (window as unknown as { __msoko: { notebook: Hook } }).__msoko.notebook.loadData('kept_src.csv', t), text);

/** Keys of the kept outputs of this file's notebook (cells q, ch, total) in the app's IndexedDB. */
const keptKeys = (page: Page) =>
  page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const req = indexedDB.open('msoko-workbench');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const keys = req.result.transaction('kv').objectStore('kv').getAllKeys();
          keys.onsuccess = () => {
            resolve((keys.result as string[]).filter((k) => k.startsWith('kept.') && /\.(q|ch|total)$/.test(k)));
            req.result.close();
          };
        };
      }),
  );

/** Reloads with the restore held, and waits until the notebook has looked up its kept outputs. */
async function reloadHeld(page: Page) {
  await page.reload();
  await page.locator('[data-testid=notebook][data-kept=checked]').waitFor({ timeout: 120_000 });
}

async function release(page: Page) {
  await page.evaluate(() => window.__releaseRestore!());
  await page.locator('[data-testid=app][data-data=ready]').waitFor({ timeout: 120_000 });
  await notebookIdle(page);
}

/** How many bars the chart inside `scope` draws (Vega's SVG paths). */
const barCount = (page: Page, scope: string) => page.locator(`${scope} .mark-rect path`).count();

test('a reload shows the kept outputs, marked, until the engine has run the cells; then the fresh ones without the mark', async () => {
  const { page } = app;
  await loadData(page, FIRST);
  await openTrusted(page, NOTEBOOK);
  await notebookIdle(page);
  await expect.poll(() => keptKeys(page).then((k) => k.length), { timeout: 60_000 }).toBe(3);
  // A reload while the demo is still being stored loads the demo again, and shows nothing kept (src/app/boot.ts).
  await expect.poll(() => page.evaluate(() => window.msoko!.kv.get('app.demoPending')), { timeout: 120_000 }).toBeUndefined();

  await page.addInitScript(() => {
    window.__msokoHoldRestore = new Promise<void>((release) => (window.__releaseRestore = release));
  });
  await reloadHeld(page);
  // The restore is held: no cell has run, yet each shows its kept output under the mark.
  // The engine may still be starting: the notebook does not wait for it.
  expect(['starting', 'restoring']).toContain(await page.getByTestId('app').getAttribute('data-data'));
  for (const id of ['q', 'ch', 'total']) {
    expect(await cell(page, id).getAttribute('data-status')).not.toBe('done');
    expect(await cell(page, id).getByTestId('kept-mark').innerText()).toBe('Сохранённый результат — проверяется…');
  }
  await cell(page, 'ch').locator('[data-testid=cell-kept] .mark-rect path').first().waitFor({ timeout: 60_000 });
  expect(await barCount(page, '[data-cell-id=ch] [data-testid=cell-kept]')).toBe(3);
  // 10 + 30 + 20, the kept table's single value; no export or chart actions on a kept output.
  expect(await cell(page, 'total').getByTestId('cell-kept').innerText()).toContain('60');
  expect(await cell(page, 'q').getByTestId('build-chart').count()).toBe(0);
  expect(await cell(page, 'ch').getByTestId('chart-export').count()).toBe(0);

  await release(page);
  for (const id of ['q', 'ch', 'total']) {
    expect(await cell(page, id).getAttribute('data-status')).toBe('done');
    expect(await cell(page, id).getByTestId('cell-kept').count()).toBe(0);
    expect(await cell(page, id).getByTestId('kept-mark').count()).toBe(0);
  }
  await cell(page, 'ch').locator('[data-testid=cell-chart] .mark-rect path').first().waitFor({ timeout: 60_000 });
  expect(await barCount(page, '[data-cell-id=ch] [data-testid=cell-chart]')).toBe(3);
  expect(await cell(page, 'total').getByTestId('cell-output').innerText()).toContain('60');
  expect(app.offOrigin).toEqual([]);
  expect(app.errors).toEqual([]);
});

test('after the table changed (same rows and columns, one value different), a reload shows no kept output', async () => {
  const { page } = app;
  // The stored table changes under the notebook, which does not run again: its kept outputs still describe the first file.
  await loadData(page, CHANGED);
  await reloadHeld(page);
  expect(['starting', 'restoring']).toContain(await page.getByTestId('app').getAttribute('data-data'));
  expect(await page.getByTestId('cell-kept').count()).toBe(0);
  expect(await page.getByTestId('kept-mark').count()).toBe(0);

  await release(page);
  // 10 + 31 + 20 from the changed table.
  expect(await cell(page, 'total').getByTestId('cell-output').innerText()).toContain('61');
  expect(app.offOrigin).toEqual([]);
  expect(app.errors).toEqual([]);
});
