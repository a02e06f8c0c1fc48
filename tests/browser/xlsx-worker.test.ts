/**
 * Workbooks are parsed in workers/xlsx.worker.ts, so the page keeps running during the parse.
 * The probe: a timer that counts its ticks only while the file's stage reads «Разбор файла».
 * A parse on the main thread starts and ends within one task after that stage is shown, so no
 * tick can land in it (the fallback case below shows the probe reading 0 then).
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as XLSX from 'xlsx';
import { openApp, type AppSession } from './harness';
import { importFiles, sql, waitReady } from './app-helpers';

let app: AppSession;
const dir = mkdtempSync(join(tmpdir(), 'msoko-xlsx-worker-'));
const ROWS = 20_000;
let expectedSum = 0;

beforeAll(async () => {
  const aoa: (string | number)[][] = [['Код участника', 'Класс', 'Балл', 'Отметка', 'Доля', 'Школа', 'Вариант', 'Комментарий']];
  for (let i = 0; i < ROWS; i++) {
    const score = (i * 7) % 31;
    expectedSum += score;
    aoa.push([100000 + i, `${4 + (i % 5)}${'АБВ'[i % 3]}`, score, 2 + (score % 4), score / 31, `sch${220000 + (i % 97)}`, 1 + (i % 2), `строка ${i}`]);
  }
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), 'Лист1');
  writeFileSync(join(dir, 'big.xlsx'), new Uint8Array(XLSX.write(wb, { type: 'array', bookType: 'xlsx' }) as ArrayBuffer));
  for (const copy of ['big-main.xlsx', 'big-404.xlsx']) copyFileSync(join(dir, 'big.xlsx'), join(dir, copy));
  app = await openApp();
  await waitReady(app.page);
});
afterAll(async () => app?.close());

/** Imports the file and returns how many timer ticks fell into its «Разбор файла» stage. */
async function importCountingTicks(name: string): Promise<number> {
  await app.page.evaluate((name) => {
    const w = window as unknown as { __ticks: number; __ticker: number };
    w.__ticks = 0;
    w.__ticker = window.setInterval(() => {
      const stage = document.querySelector(`[data-testid="import-progress-${name}"] .import-file .muted`)?.textContent;
      if (stage === 'Разбор файла') w.__ticks++;
    }, 4);
  }, name);
  await importFiles(app.page, [join(dir, name)]);
  return app.page.evaluate(() => {
    const w = window as unknown as { __ticks: number; __ticker: number };
    clearInterval(w.__ticker);
    return w.__ticks;
  });
}

async function expectImported(table: string): Promise<void> {
  expect(await app.page.getByTestId(`import-progress-${table.replaceAll('_', '-')}.xlsx`).getAttribute('data-status')).toBe('done');
  expect(await sql(app.page, `SELECT count(*) AS n, sum("Балл") AS s, min("Код участника") AS lo FROM "${table}"`)).toEqual([
    { n: ROWS, s: expectedSum, lo: 100000 },
  ]);
}

test('the page keeps running while a big workbook is parsed', async () => {
  expect(await importCountingTicks('big.xlsx')).toBeGreaterThan(0);
  await expectImported('big');
  expect(app.offOrigin).toEqual([]);
});

test('without workers the workbook is parsed on the main thread, and the import still works', async () => {
  await app.page.evaluate(() => {
    const w = window as unknown as { __Worker: typeof Worker };
    w.__Worker = window.Worker;
    window.Worker = class {
      constructor() {
        throw new Error('blocked');
      }
    } as unknown as typeof Worker;
  });
  try {
    expect(await importCountingTicks('big-main.xlsx')).toBe(0);
  } finally {
    await app.page.evaluate(() => (window.Worker = (window as unknown as { __Worker: typeof Worker }).__Worker));
  }
  await expectImported('big_main');
  expect(app.offOrigin).toEqual([]);
});

test('a worker script that fails to load falls back to the main thread', async () => {
  await app.page.evaluate(() => {
    const Original = window.Worker;
    (window as unknown as { __Worker: typeof Worker }).__Worker = Original;
    window.Worker = class extends Original {
      constructor(_url: string | URL, opts?: WorkerOptions) {
        super(new URL('./missing-xlsx-worker.js', location.href), opts);
      }
    };
  });
  try {
    await importFiles(app.page, [join(dir, 'big-404.xlsx')]);
  } finally {
    await app.page.evaluate(() => (window.Worker = (window as unknown as { __Worker: typeof Worker }).__Worker));
  }
  await expectImported('big_404');
  expect(app.offOrigin).toEqual([]);
});
