import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

/**
 * The tab's own path (reader in the web worker, DuckDB-WASM, the dialog, browser storage) on a
 * representative part of the demo's sources: every source layout and format once, the three
 * planted exclusions, and the reference files every import leans on (КИМ maxima, score scales,
 * the schools of all three years). The whole corpus, value for value against the shipped
 * canonical tables and every planted count per file, is tests/unit/ingest/demo.test.ts (the
 * same reader and mapping modules, on native DuckDB); importing all 106 files here took ≈190 s.
 */
const DEMO_SUBSET: Array<{ file: string; results?: [number, string, string, number] }> = [
  { file: 'ВПР/2022/Индивидуальные результаты. ВПР 2022 Математика 4 класс.xlsx', results: [2022, 'ВПР', 'Математика', 4] },
  // total_out_of_range and duplicate planted here, task_out_of_range in the 2024 Протокол.
  { file: 'ВПР/2023/ВПР 2023 Русский язык 6 класс.csv', results: [2023, 'ВПР', 'Русский язык', 6] },
  { file: 'ВПР/2023/ВПР 2023 Математика 7 класс.csv', results: [2023, 'ВПР', 'Математика', 7] },
  { file: 'ВПР/2024/Проведение работы по Математике, 5 класс. ВПР 2024.xlsx', results: [2024, 'ВПР', 'Математика', 5] },
  { file: 'ФГ/2024/ФГ 2024 Читательская грамотность 9 класс.csv', results: [2024, 'ФГ', 'Читательская грамотность', 9] },
  { file: 'ОГЭ/2024/ОГЭ 2024 Математика.csv', results: [2024, 'ОГЭ', 'Математика', 9] },
  { file: 'ЕГЭ/2024/ЕГЭ 2024 Русский язык.xlsx', results: [2024, 'ЕГЭ', 'Русский язык', 11] },
  { file: 'Справочники/Описание КИМ 2022-2024.xlsx' },
  { file: 'Справочники/Шкалы перевода 2022-2024.xlsx' },
  { file: 'Контекстные данные/Анкета ОО 2022.xlsx' },
  { file: 'Контекстные данные/Анкета ОО 2023.xlsx' },
  { file: 'Контекстные данные/Анкета ОО 2024.xlsx' },
  { file: 'Мониторинг/Мониторинг 2022.xlsx' },
  { file: 'Мониторинг/Мониторинг 2023.xlsx' },
  { file: 'Мониторинг/Мониторинг 2024.xlsx' },
  { file: 'Выпускники/Выпускники 2024.xlsx' },
  { file: 'Достижения/Олимпиады и конкурсы 2024.xlsx' },
  { file: 'Кадры/Педагогические работники 2024.xlsx' },
  { file: 'Кадры/Мероприятия профессионального развития 2024.xlsx' },
  { file: 'Преподавание/Преподавание в классах 2022-2024.xlsx' },
];
/** The subset's result keys, as the shipped CSV lines of assessment_results and task_scores begin. */
const RESULT_PREFIXES = DEMO_SUBSET.flatMap((f) => (f.results ? [`${f.results.join(',')},`] : []));
/**
 * The shipped canonical rows the subset must give, as the text of a CSV file: the result tables'
 * lines of the subset's works (selected in Node, which also spares sending 11 MB of task scores
 * to the tab), the other yearly tables' rows of 2024. tasks, thresholds, schools, monitoring and
 * class_teaching: their files cover all three years (the Анкета ОО adds monitoring rows of its
 * year), so every row.
 */
function shippedRows(t: string): string {
  const text = readFileSync(join(CANONICAL, `${t}.csv`), 'utf8');
  const lines = text.split('\n').filter(Boolean);
  if (t === 'assessment_results' || t === 'task_scores') {
    // Plain lines: no quoted field (a quoted comma or newline would defeat the prefix).
    expect(text.includes('"'), t).toBe(false);
    return [lines[0], ...lines.slice(1).filter((l) => RESULT_PREFIXES.some((p) => l.startsWith(p)))].join('\n') + '\n';
  }
  return text;
}
const YEAR_2024 = new Set(['graduates', 'achievements', 'staff', 'staff_activities']);

// One app for a real-like file's forecast (cancelled: nothing is imported) and then the demo's
// sources: a second app cost another boot of the engine.
describe('a real-like region file, then the demo municipality in source formats', () => {
  let demo: AppSession;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'reallike-browser-'));
    writeRealLike(dir);
    demo = await openApp();
    await demo.page.waitForFunction(() => document.querySelector('[data-testid="app"]')?.getAttribute('data-engine') === 'ready', null, { timeout: 400_000 });
  }, 600_000);
  afterAll(async () => {
    await demo?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // The forecast before confirming: «будет загружено N из M», absent, schools to add, samples.
  test('«будет загружено N из M», absent, schools to add and samples equal an independent count of the file', async () => {
    const file = join(dir, 'ВПР 2022', 'Проведение работы по Математике, 5 класс. ВПР 2022.xlsx');
    const count = countResultFile(file, () => {
      throw new Error('the Протокол carries its maxima in the titles');
    });
    await demo.page.getByTestId('import-input').setInputFiles([file]);
    const line = demo.page.getByTestId('forecast-line').first();
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
    expect(await demo.page.getByTestId('forecast-schools').first().textContent()).toContain(`Будет добавлено ${count.schools.size} ОО`);
    // Sample values per mapped column: the first five distinct codes of the file, in file order.
    const plan = demo.page.getByTestId('mapping-plan').first();
    await plan.locator('details > summary').click();
    const grid = readSheets(readFileSync(file)).get('Протокол')!;
    const codes = [...new Set(grid.slice(1).map((r) => r[4]))].slice(0, 5);
    expect(await plan.locator('[data-testid="mapping-samples"][data-header="Код"]').textContent()).toBe(codes.join(' · '));
    await demo.page.getByTestId('mapping-dialog').screenshot({ path: join(import.meta.dirname, '../../docs/screenshots/mapping-forecast.png') });

    // A wrong column for the total excludes nearly every row: shown in red, with the cause and the fix.
    await plan.locator('[data-testid="mapping-field"][data-header="Итого баллов"]').selectOption('extra');
    await plan.locator('[data-testid="mapping-field"][data-header="Код"]').selectOption('primary_score');
    const warning = demo.page.getByTestId('forecast-warning').first();
    await warning.waitFor({ timeout: 300_000 });
    expect(await warning.textContent()).toMatch(/Вероятная причина: .+Что сделать: .+/);
    await demo.page.getByTestId('mapping-cancel').click();
    expect(demo.offOrigin).toEqual([]);
  }, 600_000);

  test('a part of every layout, dropped into the app and confirmed, gives exactly its rows of the shipped canonical tables', async () => {
    const files = DEMO_SUBSET.map((f) => join(SOURCE, f.file));
    await demo.page.getByTestId('import-input').setInputFiles(files);
    // The progress rows of these files (the real-like file's row stays in the list above them).
    const finished = demo.page.locator(
      files.map((f) => `[data-testid="import-progress-${f.split('/').pop()}"]:is([data-status="done"], [data-status="error"])`).join(', '),
    );
    await expect.poll(() => finished.count(), { timeout: 600_000, interval: 500 }).toBe(files.length);
    expect(await demo.page.getByTestId('import-error').allTextContents()).toEqual([]);
    const plans = demo.page.getByTestId('mapping-plan');
    const layouts = await plans.evaluateAll((els) => els.map((e) => e.getAttribute('data-layout')));
    // Every layout the demo's sources come in, each file recognised.
    expect(layouts).toHaveLength(29);
    expect([...new Set(layouts)].sort()).toEqual(['context', 'form', 'kim-spec', 'monitoring-wide', 'rcoi', 'vpr-classes', 'vpr-individual', 'vpr-protocol', 'vpr-regional']);
    expect(await demo.page.getByTestId('mapping-replace').isChecked()).toBe(false);
    // Own data get a fresh random key (src/app/salt.ts); the shipped pseudonyms were made with the demo's.
    await demo.page.getByTestId('mapping-salt').fill('msoko-demo');
    await demo.page.getByTestId('mapping-confirm').click();
    await demo.page.getByTestId('consent-accept').click();
    await demo.page.getByTestId('import-summary').waitFor({ timeout: 600_000 });
    const summary = (await demo.page.getByTestId('import-summary').textContent()) ?? '';
    // The planted counts of the subset's result files (the generator's, not the importer's).
    const expected = JSON.parse(readFileSync(join(SOURCE, 'EXPECTED_VALIDATION.json'), 'utf8')) as { files: Array<{ file: string; absent: number; not_attempted_cells: number }> };
    const planted = expected.files.filter((f) => DEMO_SUBSET.some((s) => s.file === f.file));
    expect(planted).toHaveLength(RESULT_PREFIXES.length);
    const sum = (k: 'absent' | 'not_attempted_cells') => planted.reduce((s, f) => s + f[k], 0);
    expect(summary).toContain(`Отсутствовали (не включены в результаты): ${sum('absent')}\n`);
    expect(summary).toContain(`Задание не выполнялось (X, «не пройд.») — 0 баллов: ${sum('not_attempted_cells')}`);

    const compared: string[] = [];
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
        {
          name: `shipped_${t}.csv`,
          b64: Buffer.from(shippedRows(t)).toString('base64'),
          // The app's whole table against the shipped rows of the subset: a row the subset should not give fails too.
          mine: typed(`(SELECT ${cols.map((c) => `CAST("${c.name}" AS VARCHAR) AS "${c.name}"`).join(', ')} FROM "${t}")`),
          shipped: `SELECT * FROM (${typed('$FILE')}) WHERE ${YEAR_2024.has(t) ? 'year = 2024' : 'true'}`,
        },
      );
      expect(result.n_shipped, t).toBeGreaterThan(0);
      expect([t, result]).toEqual([t, { n_app: result.n_shipped, n_shipped: result.n_shipped, only_app: 0, only_shipped: 0 }]);
      compared.push(t);
    }
    expect(compared.length).toBe(11);
    expect(demo.offOrigin).toEqual([]);
  }, 900_000);
});
