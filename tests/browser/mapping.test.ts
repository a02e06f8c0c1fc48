import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CANONICAL_TABLE_NAMES, CONTRACT } from '../../src/model/contract';
import { openApp, type AppSession } from './harness';
import { writeRealLike } from '../../datasets/reallike/generate';
import { countResultFile, readSheets } from '../unit/datasets/reallike/count';

const FIX = join(import.meta.dirname, '../fixtures/ingest');
const SOURCE = join(import.meta.dirname, '../../datasets/demo/source');
const CANONICAL = join(import.meta.dirname, '../../datasets/demo/canonical');

let app: AppSession;
beforeAll(async () => {
  app = await openApp();
  await app.page.getByTestId('app').waitFor();
  await app.page.waitForFunction(() => document.querySelector('[data-testid="app"]')?.getAttribute('data-engine') === 'ready', null, { timeout: 400_000 });
}, 600_000);
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
  // Before the mapping step: names and document numbers sit only in the in-memory raw sheet
  // (needed for the participant hash), never in a user-facing table nor in browser storage.
  const beforeConfirm = await sql(
    `SELECT DISTINCT table_schema, table_name FROM information_schema.columns WHERE column_name IN ('Фамилия', 'Имя', 'Отчество', 'Серия', 'Номер')`,
  );
  expect(beforeConfirm.length).toBeGreaterThan(0);
  expect(beforeConfirm.every((r) => r.table_schema === 'raw')).toBe(true);
  const stored = await app.page.evaluate(() => window.msoko!.storedTables());
  expect(stored.filter((name) => beforeConfirm.some((r) => name === `raw.${r.table_name}`))).toEqual([]);
  expect(await plans.evaluateAll((els) => els.map((e) => e.getAttribute('data-layout')))).toEqual(['rcoi', 'vpr-coded', 'vpr-individual']);
  // The coded dump's name says neither subject nor grade: the user sets them.
  const dump = plans.nth(1);
  expect(await dump.getByTestId('mapping-subject').inputValue()).toBe('');
  await dump.getByTestId('mapping-subject').fill('Математика');
  await dump.getByTestId('mapping-subject').dispatchEvent('change');
  await dump.getByTestId('mapping-grade').fill('4');
  await dump.getByTestId('mapping-grade').dispatchEvent('change');
  // Replacing is never ticked by default; leaving the demo is asked about, listing what is cleared.
  expect(await app.page.getByTestId('mapping-replace').isChecked()).toBe(false);
  await app.page.getByTestId('mapping-confirm').click();
  await app.page.getByTestId('consent-accept').click();
  const summary = await app.page.getByTestId('import-summary').textContent();
  expect(summary).toContain('Отсутствовали (не включены в результаты): 1');

  const ar = await sql(`SELECT procedure, subject, grade, count(*) AS n FROM assessment_results GROUP BY ALL ORDER BY ALL`);
  expect(ar).toEqual([
    // sch220002 / 30002 repeats a code of sch220001: another school, so another participant (codes restart per school).
    { procedure: 'ВПР', subject: 'Математика', grade: 4, n: 3 },
    { procedure: 'ВПР', subject: 'Русский язык', grade: 4, n: 2 },
    { procedure: 'ОГЭ', subject: 'Математика', grade: 9, n: 2 },
  ]);
  const issues = await sql(`SELECT code, count(*) AS n FROM import_issues GROUP BY code ORDER BY code`);
  expect(issues).toEqual([
    { code: 'absent', n: 1 },
    { code: 'not_attempted', n: 4 },
    // Leaving the demo cleared `schools`: 220001 (ОГЭ 2024, whose 220002 row is excluded) and 220001, 220002 for 2021.
    { code: 'school_added', n: 3 },
    { code: 'task_out_of_range', n: 2 },
    { code: 'total_out_of_range', n: 2 },
  ]);
  // Personal columns are gone from the loaded sheets too (raw and typed tables), not only from the canonical ones.
  const personal = await sql(`SELECT table_schema, table_name, column_name FROM information_schema.columns WHERE column_name IN ('Фамилия', 'Имя', 'Отчество', 'Серия', 'Номер')`);
  expect(personal).toEqual([]);
  const download = app.page.waitForEvent('download');
  await app.page.getByTestId('download-issues').click();
  const csv = readFileSync((await (await download).path())!, 'utf8');
  expect(csv.split('\r\n').filter(Boolean)).toHaveLength(1 + 12);
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

describe('a real-like region file: the forecast before confirming', () => {
  let session: AppSession;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'reallike-browser-'));
    writeRealLike(dir);
    session = await openApp();
    await session.page.waitForFunction(() => document.querySelector('[data-testid="app"]')?.getAttribute('data-engine') === 'ready', null, { timeout: 400_000 });
  }, 600_000);
  afterAll(async () => {
    await session?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('«будет загружено N из M», absent, schools to add and samples equal an independent count of the file', async () => {
    const file = join(dir, 'ВПР 2022', 'Проведение работы по Математике, 5 класс. ВПР 2022.xlsx');
    const count = countResultFile(file, () => {
      throw new Error('the Протокол carries its maxima in the titles');
    });
    await session.page.getByTestId('import-input').setInputFiles([file]);
    const line = session.page.getByTestId('forecast-line').first();
    await line.waitFor({ timeout: 300_000 });
    const attr = async (n: string) => Number(await line.getAttribute(n));
    expect({ willLoad: await attr('data-will-load'), rows: await attr('data-rows'), excluded: await attr('data-excluded'), absent: await attr('data-absent'), schools: await attr('data-schools-added') }).toEqual({
      willLoad: count.scored,
      rows: count.rows.length,
      excluded: count.outOfRange,
      absent: count.absent,
      // None of the region's schools is in the demo's schools table.
      schools: count.schools.size,
    });
    const text = (await line.textContent()) ?? '';
    expect(text).toContain(`Будет загружено ${count.scored.toLocaleString('ru-RU')} из ${count.rows.length.toLocaleString('ru-RU')} участников; исключено 1: первичный балл вне диапазона 0…максимум — 1`);
    expect(await session.page.getByTestId('forecast-schools').first().textContent()).toContain(`Будет добавлено ${count.schools.size} ОО`);
    // Sample values per mapped column: the first five distinct codes of the file, in file order.
    const plan = session.page.getByTestId('mapping-plan').first();
    await plan.locator('details > summary').click();
    const grid = readSheets(readFileSync(file)).get('Протокол')!;
    const codes = [...new Set(grid.slice(1).map((r) => r[4]))].slice(0, 5);
    expect(await plan.locator('[data-testid="mapping-samples"][data-header="Код"]').textContent()).toBe(codes.join(' · '));
    await session.page.getByTestId('mapping-dialog').screenshot({ path: join(import.meta.dirname, '../../docs/screenshots/mapping-forecast.png') });

    // A wrong column for the total excludes nearly every row: shown in red, with the cause and the fix.
    await plan.locator('[data-testid="mapping-field"][data-header="Итого баллов"]').selectOption('extra');
    await plan.locator('[data-testid="mapping-field"][data-header="Код"]').selectOption('primary_score');
    const warning = session.page.getByTestId('forecast-warning').first();
    await warning.waitFor({ timeout: 300_000 });
    expect(await warning.textContent()).toMatch(/Вероятная причина: .+Что сделать: .+/);
    await session.page.getByTestId('mapping-cancel').click();
    expect(session.offOrigin).toEqual([]);
  }, 600_000);
});

describe('the demo municipality in source formats', () => {
  let demo: AppSession;
  beforeAll(async () => {
    demo = await openApp();
    await demo.page.waitForFunction(() => document.querySelector('[data-testid="app"]')?.getAttribute('data-engine') === 'ready', null, { timeout: 400_000 });
  }, 600_000);
  afterAll(async () => demo?.close());

  test('dropped into the app and confirmed, it gives exactly the shipped canonical tables', async () => {
    const files = walk(SOURCE).filter((f) => /\.(csv|xlsx)$/.test(f));
    expect(files.length).toBeGreaterThan(50);
    await demo.page.getByTestId('import-input').setInputFiles(files);
    const finished = demo.page.locator('[data-testid^="import-progress-"][data-status="done"], [data-testid^="import-progress-"][data-status="error"]');
    await expect.poll(() => finished.count(), { timeout: 900_000, interval: 2000 }).toBe(files.length);
    expect(await demo.page.getByTestId('import-error').allTextContents()).toEqual([]);
    const plans = demo.page.getByTestId('mapping-plan');
    const layouts = await plans.evaluateAll((els) => els.map((e) => e.getAttribute('data-layout')));
    expect(layouts).not.toContain('unknown');
    expect(await demo.page.getByTestId('mapping-replace').isChecked()).toBe(false);
    // Own data get a fresh random key (src/app/salt.ts); the shipped pseudonyms were made with the demo's.
    await demo.page.getByTestId('mapping-salt').fill('msoko-demo');
    await demo.page.getByTestId('mapping-confirm').click();
    await demo.page.getByTestId('consent-accept').click();
    await demo.page.getByTestId('import-summary').waitFor({ timeout: 900_000 });
    const summary = (await demo.page.getByTestId('import-summary').textContent()) ?? '';
    const expected = JSON.parse(readFileSync(join(SOURCE, 'EXPECTED_VALIDATION.json'), 'utf8')) as { totals: { absent: number; not_attempted_cells: number } };
    expect(summary).toContain(`Отсутствовали (не включены в результаты): ${expected.totals.absent}\n`);
    expect(summary).toContain(`Задание не выполнялось (X, «не пройд.») — 0 баллов: ${expected.totals.not_attempted_cells}`);

    for (const t of CANONICAL_TABLE_NAMES) {
      const file = join(CANONICAL, `${t}.csv`);
      if (!existsSync(file)) continue;
      const cols = CONTRACT[t].columns;
      const typed = (from: string) =>
        `SELECT ${cols
          .map((c) => (c.type === 'DOUBLE' ? `round(TRY_CAST("${c.name}" AS DOUBLE), 6)` : `TRY_CAST("${c.name}" AS ${c.type})`) + ` AS "${c.name}"`)
          .join(', ')} FROM ${from}`;
      const result = await demo.page.evaluate(
        async ({ name, b64, mine, shipped }) => {
          const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
          const path = await window.msoko!.db.registerFile(name, bytes);
          const ref = shipped.replace('$FILE', `read_csv('${path}', all_varchar = true, header = true)`);
          const rows = await window.msoko!.db.query({
            type: 'rows',
            sql: `SELECT (SELECT count(*) FROM (${mine})) AS n_app, (SELECT count(*) FROM (${ref})) AS n_shipped,
                    (SELECT count(*) FROM (${mine} EXCEPT ALL ${ref})) AS only_app, (SELECT count(*) FROM (${ref} EXCEPT ALL ${mine})) AS only_shipped`,
          });
          return JSON.parse(JSON.stringify(rows[0]));
        },
        { name: `shipped_${t}.csv`, b64: readFileSync(file).toString('base64'), mine: typed(`(SELECT ${cols.map((c) => `CAST("${c.name}" AS VARCHAR) AS "${c.name}"`).join(', ')} FROM "${t}")`), shipped: typed('$FILE') },
      );
      expect([t, result]).toEqual([t, { n_app: result.n_shipped, n_shipped: result.n_shipped, only_app: 0, only_shipped: 0 }]);
    }
    expect(demo.offOrigin).toEqual([]);
  }, 1_800_000);
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
}
