/**
 * CSV and XLSX files are parsed in workers (workers/csv.worker.ts, workers/xlsx.worker.ts through
 * src/ingest/read/off-thread.ts), so the page keeps running meanwhile. The probe: a timer that
 * counts its ticks only while the file's stage reads «Разбор файла». A parse on the main thread
 * starts and ends within one task after that stage is shown, so no tick can land in it (the
 * blocked-worker case shows the probe reading 0). The longest gaps between ticks are logged, not
 * asserted.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as XLSX from 'xlsx';
import { openApp, type AppSession } from './harness';
import { importFiles, sql, waitReady } from './app-helpers';

let app: AppSession;
const dir = mkdtempSync(join(tmpdir(), 'msoko-parse-workers-'));
const score = (i: number) => (i * 7) % 31;
const code = (i: number) => 100000 + i;
const klass = (i: number) => `${4 + (i % 5)}${'АБВ'[i % 3]}`;

/** The generated files: a title line above the header in the CSV, none in the workbook. */
const FORMATS = [
  {
    ext: 'csv',
    rows: 150_000,
    firstDataRow: 3,
    write(base: string, rows: number) {
      const lines = ['Результаты ВПР 2024, математика', 'Код участника;Класс;Балл;Школа;Комментарий'];
      for (let i = 0; i < rows; i++) lines.push(`${code(i)};${klass(i)};${score(i)};sch${220000 + (i % 97)};строка ${i} — ответ ученика`);
      writeFileSync(base, iconv.encode(lines.join('\r\n') + '\r\n', 'win1251'));
    },
  },
  {
    ext: 'xlsx',
    rows: 20_000,
    firstDataRow: 2,
    write(base: string, rows: number) {
      const aoa: (string | number)[][] = [['Код участника', 'Класс', 'Балл', 'Школа', 'Комментарий']];
      for (let i = 0; i < rows; i++) aoa.push([code(i), klass(i), score(i), `sch${220000 + (i % 97)}`, `строка ${i} — ответ ученика`]);
      const wb = XLSX.utils.book_new();
      XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), 'Лист1');
      writeFileSync(base, new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer));
    },
  },
] as const;

beforeAll(async () => {
  for (const f of FORMATS) {
    const base = join(dir, fileName('big', f.ext));
    f.write(base, f.rows);
    for (const copy of ['big-main', 'big-404']) copyFileSync(base, join(dir, fileName(copy, f.ext)));
  }
  app = await openApp();
  await waitReady(app.page);
});
afterAll(async () => app?.close());

/** `big-main` → `big-main-csv.csv` (table `big_main_csv`): the two formats' tables must not collide. */
const fileName = (stem: string, ext: string) => `${stem}-${ext}.${ext}`;

/** Imports the file; returns the timer ticks that fell into its «Разбор файла» stage. */
async function importCountingTicks(name: string): Promise<number> {
  await app.page.evaluate((name) => {
    const w = window as unknown as { __ticks: number; __ticker: number; __last: number; __gaps: Record<string, number> };
    w.__ticks = 0;
    w.__gaps = {};
    w.__last = performance.now();
    w.__ticker = window.setInterval(() => {
      const stage = document.querySelector(`[data-testid="import-progress-${name}"] .import-file .muted`)?.textContent ?? '';
      const now = performance.now();
      w.__gaps[stage] = Math.max(w.__gaps[stage] ?? 0, Math.round(now - w.__last));
      w.__last = now;
      if (stage === 'Разбор файла') w.__ticks++;
    }, 4);
  }, name);
  await importFiles(app.page, [join(dir, name)]);
  const { ticks, gaps } = await app.page.evaluate(() => {
    const w = window as unknown as { __ticks: number; __ticker: number; __gaps: Record<string, number> };
    clearInterval(w.__ticker);
    return { ticks: w.__ticks, gaps: w.__gaps };
  });
  console.log(`${name}: ${ticks} ticks while parsing; longest gaps between ticks (ms) by stage: ${JSON.stringify(gaps)}`);
  return ticks;
}

/** Runs `fn` with `window.Worker` replaced: throwing on construction, or loading a missing script. */
async function withWorkers(mode: 'blocked' | 'missing-script', fn: () => Promise<void>): Promise<void> {
  await app.page.evaluate((mode) => {
    const Original = window.Worker;
    (window as unknown as { __Worker: typeof Worker }).__Worker = Original;
    window.Worker =
      mode === 'blocked'
        ? (class {
            constructor() {
              throw new Error('blocked');
            }
          } as unknown as typeof Worker)
        : class extends Original {
            constructor(_url: string | URL, opts?: WorkerOptions) {
              super(new URL('./missing-parse-worker.js', location.href), opts);
            }
          };
  }, mode);
  try {
    await fn();
  } finally {
    await app.page.evaluate(() => (window.Worker = (window as unknown as { __Worker: typeof Worker }).__Worker));
  }
}

describe.each(FORMATS)('$ext', (f) => {
  let expectedSum = 0;
  for (let i = 0; i < f.rows; i++) expectedSum += score(i);

  async function expectImported(stem: string): Promise<void> {
    const table = `${stem.replaceAll('-', '_')}_${f.ext}`;
    expect(await app.page.getByTestId(`import-progress-${fileName(stem, f.ext)}`).getAttribute('data-status')).toBe('done');
    expect(await sql(app.page, `SELECT count(*) AS n, sum("Балл") AS s, min("Код участника") AS lo FROM "${table}"`)).toEqual([
      { n: f.rows, s: expectedSum, lo: String(code(0)) },
    ]);
    expect(await sql(app.page, `SELECT "Класс" AS k, "Комментарий" AS c, _row AS r FROM raw."${table}" WHERE "Код участника" = '${code(124)}'`)).toEqual([
      { k: klass(124), c: 'строка 124 — ответ ученика', r: f.firstDataRow + 124 },
    ]);
  }

  test('the page keeps running while a big file is parsed', async () => {
    expect(await importCountingTicks(fileName('big', f.ext))).toBeGreaterThan(0);
    await expectImported('big');
    expect(app.offOrigin).toEqual([]);
  });

  test('without workers the file is parsed on the main thread, and the import still works', async () => {
    await withWorkers('blocked', async () => expect(await importCountingTicks(fileName('big-main', f.ext))).toBe(0));
    await expectImported('big-main');
    expect(app.offOrigin).toEqual([]);
  });

  test('a worker script that fails to load falls back to the main thread with the bytes intact', async () => {
    await withWorkers('missing-script', () => importFiles(app.page, [join(dir, fileName('big-404', f.ext))]));
    await expectImported('big-404');
    expect(app.offOrigin).toEqual([]);
  });
});
