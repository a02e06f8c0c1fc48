import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openApp, type AppSession } from './harness';

const FIX = join(import.meta.dirname, '../fixtures/ingest');

let app: AppSession;
beforeAll(async () => {
  app = await openApp();
  await app.page.getByTestId('app').waitFor();
  await app.page.waitForFunction(() => document.querySelector('[data-testid="app"]')?.getAttribute('data-engine') === 'ready', null, { timeout: 120_000 });
});
afterAll(async () => app?.close());

const sql = (q: string) =>
  app.page.evaluate(async (text) => {
    const rows = await window.msoko!.db.query({ type: 'rows', sql: text });
    return JSON.parse(JSON.stringify(rows));
  }, q) as Promise<Array<Record<string, unknown>>>;

async function upload(paths: string[]) {
  await app.page.getByTestId('import-input').setInputFiles(paths);
  for (const p of paths) {
    const name = p.split('/').pop()!;
    await app.page.locator(`[data-testid="import-progress-${name}"][data-status="done"]`).waitFor({ timeout: 120_000 });
  }
}

test('fixture files: proposed mappings, a corrected constant, confirmed — canonical rows and the validation report', async () => {
  const files = ['ОГЭ Математика 2024 протокол.csv', 'vpr_dump_matematika_4_2021.csv', 'ВПР Русский язык 4 индивидуальные.xlsx'].map((f) => join(FIX, f));
  await upload(files);
  const dialog = app.page.getByTestId('mapping-dialog');
  await dialog.waitFor();
  const plans = dialog.getByTestId('mapping-plan');
  await expect.poll(() => plans.count()).toBe(3);
  expect(await plans.evaluateAll((els) => els.map((e) => e.getAttribute('data-layout')))).toEqual(['rcoi', 'vpr-coded', 'vpr-individual']);
  // The coded dump's name says neither subject nor grade: the user sets them.
  const dump = plans.nth(1);
  expect(await dump.getByTestId('mapping-subject').inputValue()).toBe('');
  await dump.getByTestId('mapping-subject').fill('Математика');
  await dump.getByTestId('mapping-subject').dispatchEvent('change');
  await dump.getByTestId('mapping-grade').fill('4');
  await dump.getByTestId('mapping-grade').dispatchEvent('change');
  expect(await app.page.getByTestId('mapping-replace').isChecked()).toBe(true);
  await app.page.getByTestId('mapping-confirm').click();
  const summary = await app.page.getByTestId('import-summary').textContent();
  expect(summary).toContain('Отсутствовали (не включены в результаты): 1');

  const ar = await sql(`SELECT procedure, subject, grade, count(*) AS n FROM assessment_results GROUP BY ALL ORDER BY ALL`);
  expect(ar).toEqual([
    { procedure: 'ВПР', subject: 'Математика', grade: 4, n: 2 },
    { procedure: 'ВПР', subject: 'Русский язык', grade: 4, n: 2 },
    { procedure: 'ОГЭ', subject: 'Математика', grade: 9, n: 2 },
  ]);
  const issues = await sql(`SELECT code, count(*) AS n FROM import_issues GROUP BY code ORDER BY code`);
  expect(issues).toEqual([
    { code: 'absent', n: 1 },
    { code: 'duplicate', n: 1 },
    { code: 'not_attempted', n: 4 },
    { code: 'task_out_of_range', n: 2 },
    { code: 'total_out_of_range', n: 2 },
  ]);
  const download = app.page.waitForEvent('download');
  await app.page.getByTestId('download-issues').click();
  const csv = readFileSync((await (await download).path())!, 'utf8');
  expect(csv.split('\r\n').filter(Boolean)).toHaveLength(1 + 10);
  expect(app.offOrigin).toEqual([]);
});

test('the next file of a confirmed layout reuses the saved mapping', async () => {
  await upload([join(FIX, 'vpr_dump_matematika_4_2021.csv')]);
  const plan = app.page.getByTestId('mapping-plan');
  await plan.first().waitFor();
  await expect.poll(() => plan.count()).toBe(1);
  await expect.poll(() => plan.getByTestId('mapping-reused').count()).toBe(1);
  expect(await plan.getByTestId('mapping-subject').inputValue()).toBe('Математика');
  await app.page.getByTestId('mapping-cancel').click();
  expect(app.offOrigin).toEqual([]);
});

