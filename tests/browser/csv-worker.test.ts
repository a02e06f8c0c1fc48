/**
 * CSV files are decoded and re-encoded in workers/csv.worker.ts, so the page keeps running
 * meanwhile. The probe (as in xlsx-worker.test.ts): a timer that counts its ticks only while the
 * file's stage reads «Разбор файла». A parse on the main thread starts and ends within one task
 * after that stage is shown, so no tick can land in it (the fallback case shows the probe reading 0).
 * The longest gaps between ticks are logged, not asserted: a block on the main thread shows up under
 * the stage shown right after it («Загрузка в базу» for a parse on the main thread).
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { openApp, type AppSession } from './harness';
import { importFiles, sql, waitReady } from './app-helpers';

let app: AppSession;
const dir = mkdtempSync(join(tmpdir(), 'msoko-csv-worker-'));
const ROWS = 150_000;
let expectedSum = 0;

beforeAll(async () => {
  const lines = ['Результаты ВПР 2024, математика', 'Код участника;Класс;Балл;Доля;Школа;Комментарий'];
  for (let i = 0; i < ROWS; i++) {
    const score = (i * 7) % 31;
    expectedSum += score;
    lines.push(`${100000 + i};${4 + (i % 5)}${'АБВ'[i % 3]};${score};${String(score / 31).replace('.', ',')};sch${220000 + (i % 97)};строка ${i} — ответ ученика`);
  }
  writeFileSync(join(dir, 'big-cp1251.csv'), iconv.encode(lines.join('\r\n') + '\r\n', 'win1251'));
  for (const copy of ['big-main.csv', 'big-404.csv']) copyFileSync(join(dir, 'big-cp1251.csv'), join(dir, copy));
  app = await openApp();
  await waitReady(app.page);
});
afterAll(async () => app?.close());

interface Probe {
  __ticks: number;
  __ticker: number;
  __last: number;
  /** Longest gap between ticks, by the stage shown at the tick that ended it. */
  __gaps: Record<string, number>;
}

/** Imports the file; returns the timer ticks that fell into its «Разбор файла» stage (and logs the longest gaps between ticks). */
async function importCountingTicks(name: string): Promise<number> {
  await app.page.evaluate((name) => {
    const w = window as unknown as Probe;
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
    const w = window as unknown as Probe;
    clearInterval(w.__ticker);
    return { ticks: w.__ticks, gaps: w.__gaps };
  });
  console.log(`${name}: ${ticks} ticks while parsing; longest gaps between ticks (ms) by stage: ${JSON.stringify(gaps)}`);
  return ticks;
}

async function expectImported(table: string): Promise<void> {
  expect(await app.page.getByTestId(`import-progress-${table.replaceAll('_', '-')}.csv`).getAttribute('data-status')).toBe('done');
  expect(await sql(app.page, `SELECT count(*) AS n, sum("Балл") AS s, min("Код участника") AS lo FROM "${table}"`)).toEqual([
    { n: ROWS, s: expectedSum, lo: 100000 },
  ]);
  expect(await sql(app.page, `SELECT "Класс" AS k, "Доля" AS d, "Комментарий" AS c, _row AS r FROM raw."${table}" WHERE "Код участника" = '100124'`)).toEqual([
    { k: '8Б', d: String(((124 * 7) % 31) / 31).replace('.', ','), c: 'строка 124 — ответ ученика', r: 127 },
  ]);
}

test('the page keeps running while a big Windows-1251 CSV is decoded', async () => {
  expect(await importCountingTicks('big-cp1251.csv')).toBeGreaterThan(0);
  await expectImported('big_cp1251');
  expect(app.offOrigin).toEqual([]);
});

test('without workers the CSV is decoded on the main thread, and the import still works', async () => {
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
    expect(await importCountingTicks('big-main.csv')).toBe(0);
  } finally {
    await app.page.evaluate(() => (window.Worker = (window as unknown as { __Worker: typeof Worker }).__Worker));
  }
  await expectImported('big_main');
  expect(app.offOrigin).toEqual([]);
});

test('a worker script that fails to load falls back to the main thread with the bytes intact', async () => {
  await app.page.evaluate(() => {
    const Original = window.Worker;
    (window as unknown as { __Worker: typeof Worker }).__Worker = Original;
    window.Worker = class extends Original {
      constructor(_url: string | URL, opts?: WorkerOptions) {
        super(new URL('./missing-csv-worker.js', location.href), opts);
      }
    };
  });
  try {
    await importFiles(app.page, [join(dir, 'big-404.csv')]);
  } finally {
    await app.page.evaluate(() => (window.Worker = (window as unknown as { __Worker: typeof Worker }).__Worker));
  }
  await expectImported('big_404');
  expect(app.offOrigin).toEqual([]);
});
