/** Helpers for browser tests that drive the app shell (import, tables, queries). */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Row } from '../../src/db/connector';

export const READ_FIXTURES = join(__dirname, '../fixtures/read');
export const fixture = (name: string) => join(READ_FIXTURES, name);

/** Waits until the engine has started and the startup tables are listed. */
export async function waitReady(page: Page): Promise<void> {
  await page.locator('[data-testid=app][data-engine=ready]').waitFor({ timeout: 120_000 });
}

/**
 * Imports files through the file input and waits until every one has finished (done or error).
 * The mapping step's dialog (src/ui/import) is dismissed unless `keepMappingDialog`.
 */
export async function importFiles(page: Page, paths: string[], opts: { keepMappingDialog?: boolean } = {}): Promise<void> {
  await page.getByTestId('import-input').setInputFiles(paths);
  for (const p of paths) {
    const name = p.split('/').pop()!;
    await page.locator(`[data-testid="import-progress-${name}"][data-status=done], [data-testid="import-progress-${name}"][data-status=error]`).last().waitFor({ timeout: 120_000 });
  }
  if (!opts.keepMappingDialog && (await page.getByTestId('mapping-dialog').count())) await page.getByTestId('mapping-cancel').click();
}

/** The demo tables every fresh start has (whatever the bundled set, these two are in it). */
export const DEMO_TABLES = ['schools', 'assessment_results'];

/** Runs SQL through the app's connector (plain rows). */
export function sql(page: Page, query: string): Promise<Row[]> {
  return page.evaluate((q) => window.msoko!.db.query({ type: 'rows', sql: q }), query);
}

/** Names of the tables listed in the data panel. */
export async function listedTables(page: Page): Promise<string[]> {
  const ids = await page.locator('[data-testid^="table-item-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!));
  return ids.map((id) => id.replace(/^table-item-/, ''));
}

/** Waits until the notebook has finished running every cell (the notebook's test hook). */
export async function notebookIdle(page: Page): Promise<void> {
  await page.waitForFunction(() => !!(window as any).__msoko?.notebook);
  await page.evaluate(() => (window as any).__msoko.notebook.idle());
}
