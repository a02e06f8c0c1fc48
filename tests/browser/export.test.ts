/**
 * Export from the running app, checked by content: chart PNG (dimensions at the chosen scale),
 * SVG (parses), clipboard; table CSV (BOM, ';'), XLSX (values read back), Parquet; the report as
 * DOCX (document.xml, LibreOffice pages) and as standalone HTML rendered with the network off;
 * and a bundle that opens in a fresh browser profile.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Locator } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import JSZip from 'jszip';
import * as XLSX from 'xlsx';
import { CHROMIUM, openApp, type AppSession } from './harness';
import { waitReady } from './app-helpers';
import { pngSize, svgSize } from '../../src/export/chart';
import { readParquetRows } from '../../src/export/parquet';
import { docxToPdf, pdfPageCount, pdfText, pdfToPngs } from '../../src/export/node/office';

const NOTEBOOK = readFileSync('tests/fixtures/export/annual-demo.md', 'utf8');
const DATA = 'datasets/demo/canonical';
const OUT = '.cache/export-browser';

interface Result { year: number; procedure: string; school_id: string; mark: number }
const results: Result[] = readFileSync(join(DATA, 'assessment_results.csv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(','))
  .filter((c) => c[10] !== '')
  .map((c) => ({ year: Number(c[0]), procedure: c[1]!, school_id: c[4]!, mark: Number(c[10]) }));
const year2024 = results.filter((r) => r.year === 2024);
const procedures = [...new Set(year2024.map((r) => r.procedure))].sort();
const share = (rs: Result[], f: (r: Result) => boolean) => rs.filter(f).length / rs.length;

let app: AppSession;
const cell = (id: string): Locator => app.page.locator(`[data-testid=cell][data-cell-id="${id}"]`);

async function download(button: Locator): Promise<{ name: string; bytes: Uint8Array }> {
  const [dl] = await Promise.all([app.page.waitForEvent('download', { timeout: 120_000 }), button.click()]);
  const bytes = new Uint8Array(readFileSync((await dl.path())!));
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, dl.suggestedFilename()), bytes);
  return { name: dl.suggestedFilename(), bytes };
}

async function openNotebook(session: AppSession, text: string) {
  await session.page.locator('[data-testid=notebook][data-ready=true]').waitFor({ timeout: 120_000 });
  type Hook = { openText(t: string): Promise<void>; idle(): Promise<void> };
  // Let the notebook open at start finish first: opening another one cancels its queries.
  await session.page.evaluate(() => (window as unknown as { __msoko: { notebook: Hook } }).__msoko.notebook.idle());
  await session.page.evaluate(async (t) => {
    const nb = (window as unknown as { __msoko: { notebook: Hook } }).__msoko.notebook;
    await nb.openText(t);
    await nb.idle();
  }, text);
  await session.page.getByTestId('run-all').click();
  await session.page.evaluate(() => (window as unknown as { __msoko: { notebook: Hook } }).__msoko.notebook.idle());
}

beforeAll(async () => {
  app = await openApp();
  await waitReady(app.page);
  await app.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app.url).origin });
  try {
    await openNotebook(app, NOTEBOOK);
    await cell('by_school').locator('[data-testid=cell-table]').waitFor();
  } catch (e) {
    mkdirSync(OUT, { recursive: true });
    await app.page.screenshot({ path: join(OUT, 'failure.png') });
    throw e;
  }
}, 300_000);
afterAll(async () => app?.close());

test('chart: PNG at the chosen scale, SVG that parses, a PNG on the clipboard', async () => {
  const bar = cell('proc_chart').locator('[data-testid=chart-export]');
  const svg = new TextDecoder().decode((await download(bar.getByTestId('export-svg'))).bytes);
  const parsed = await app.page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    return { root: doc.documentElement.nodeName, error: doc.querySelector('parsererror')?.textContent ?? null, texts: [...doc.querySelectorAll('text')].map((t) => t.textContent) };
  }, svg);
  expect(parsed.error).toBeNull();
  expect(parsed.root).toBe('svg');
  expect(parsed.texts).toContain('Качество знаний по процедурам');
  expect(parsed.texts).toEqual(expect.arrayContaining(procedures));
  expect(parsed.texts.filter((t) => /^\d+\u00a0%$/.test(t ?? '')).length).toBeGreaterThan(2);
  expect(parsed.texts.filter((t) => /^\d+%$/.test(t ?? ''))).toEqual([]);

  const { width, height } = svgSize(svg);
  await bar.getByTestId('export-png-scale').selectOption('2');
  const png2 = (await download(bar.getByTestId('export-png'))).bytes;
  expect(pngSize(png2)).toEqual({ width: width * 2, height: height * 2 });
  await bar.getByTestId('export-png-scale').selectOption('3');
  const png3 = await download(bar.getByTestId('export-png'));
  expect(png3.name).toBe('proc_chart.png');
  expect(pngSize(png3.bytes)).toEqual({ width: width * 3, height: height * 3 });

  await cell('proc_chart').screenshot({ path: join(OUT, 'ui-chart-cell.png') });
  await bar.getByTestId('export-copy').click();
  await bar.locator('[data-testid=export-status]', { hasText: 'Копирование: готово' }).waitFor();
  const clip = await app.page.evaluate(async () => {
    const items = await navigator.clipboard.read();
    const blob = await items[0]!.getType('image/png');
    const b = new Uint8Array(await blob.arrayBuffer());
    return [...b.slice(0, 24)];
  });
  expect(pngSize(new Uint8Array(clip))).toEqual({ width: width * 3, height: height * 3 });
  expect(app.offOrigin).toEqual([]);
});

test('table: CSV with BOM and «;», XLSX and Parquet with the same values', async () => {
  const bar = cell('by_procedure').locator('[data-testid=table-export]');
  const csv = (await download(bar.getByTestId('export-csv'))).bytes;
  expect([...csv.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = new TextDecoder().decode(csv).trim().split('\r\n');
  expect(lines[0]).toBe('Процедура;Работ;Средняя отметка;Успеваемость;Качество');
  expect(lines.slice(1).map((l) => l.split(';')[0])).toEqual(procedures);
  expect(lines.slice(1).map((l) => Number(l.split(';')[1]))).toEqual(procedures.map((p) => year2024.filter((r) => r.procedure === p).length));

  await bar.getByTestId('export-csv-comma').check();
  const comma = new TextDecoder().decode((await download(bar.getByTestId('export-csv'))).bytes).trim().split('\r\n');
  const vpr = year2024.filter((r) => r.procedure === 'ВПР');
  expect(comma[1]!.split(';')[4]).toBe(String(share(vpr, (r) => r.mark >= 4)).replace('.', ','));

  const xlsx = await download(bar.getByTestId('export-xlsx'));
  expect(xlsx.name).toBe('by_procedure.xlsx');
  const wb = XLSX.read(xlsx.bytes, { type: 'array', cellNF: true });
  const sheet = wb.Sheets[wb.SheetNames[0]!]!;
  const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(sheet);
  expect(rows.map((r) => r['Процедура'])).toEqual(procedures);
  for (const r of rows) {
    const rs = year2024.filter((x) => x.procedure === r['Процедура']);
    expect(r['Работ']).toBe(rs.length);
    expect(r['Успеваемость'] as number).toBeCloseTo(share(rs, (x) => x.mark >= 3), 12);
    expect(r['Качество'] as number).toBeCloseTo(share(rs, (x) => x.mark >= 4), 12);
  }
  expect(sheet['D2']!.z).toBe('0.0%');

  const pq = await readParquetRows((await download(bar.getByTestId('export-parquet'))).bytes);
  expect(pq.map((r) => r['Процедура'])).toEqual(procedures);
  expect(pq.map((r) => r['Работ'])).toEqual(rows.map((r) => r['Работ']));
  expect(app.offOrigin).toEqual([]);
});

test('a whole table of the data panel (beyond its 1000-row preview) exports to XLSX', async () => {
  await app.page.locator('[data-testid="table-item-assessment_results"] button.table-name').click();
  const view = app.page.locator('[data-testid=data-preview][data-table=assessment_results]');
  await view.waitFor();
  const xlsx = await download(view.getByTestId('export-xlsx'));
  expect(xlsx.name).toBe('assessment_results.xlsx');
  const wb = XLSX.read(xlsx.bytes, { type: 'array', dense: true });
  const rows = XLSX.utils.sheet_to_json<Record<string, unknown>>(wb.Sheets[wb.SheetNames[0]!]!);
  const n = await app.page.evaluate(() => window.msoko!.db.query({ type: 'rows', sql: 'SELECT count(*) AS n FROM assessment_results' }));
  expect(rows.length).toBe(n[0]!.n);
  expect(rows.length).toBeGreaterThan(1000);
  // Headers come from the presentation layer (src/format): «Год», «Отметка».
  expect(rows.filter((r) => r['Год'] === 2024 && r['Отметка'] !== undefined).length).toBe(year2024.length);
  await view.getByTestId('data-preview-close').click();
  expect(app.offOrigin).toEqual([]);
});

test('report: DOCX with headings, table cells, chart images and page numbers; HTML renders every chart offline', async () => {
  await app.page.getByTestId('nb-report').click();
  const dialog = app.page.getByTestId('report-dialog');
  await dialog.waitFor();
  // Code is hidden by default; the helper cell «totals» (report=false) is not chosen; the user drops a heading.
  expect(await dialog.getByTestId('report-show-code').isChecked()).toBe(false);
  expect(await dialog.getByTestId('report-cell-totals').isChecked()).toBe(false);
  expect(await dialog.getByTestId('report-cell-by_school').isChecked()).toBe(true);
  await dialog.getByTestId('report-cell-outro').uncheck();
  await app.page.screenshot({ path: join(OUT, 'ui-report-dialog.png') });

  const docx = (await download(dialog.getByTestId('report-docx'))).bytes;
  const zip = await JSZip.loadAsync(docx);
  const xml = await zip.file('word/document.xml')!.async('string');
  const texts = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]!);
  expect(texts).toContain('Аналитическая справка по итогам оценочных процедур');
  expect(texts).toContain('Итоги оценочных процедур 2024 года');
  expect(texts).toContain('3. Результаты по образовательным организациям');
  for (const p of procedures) expect(texts).toContain(p);
  const pct = (v: number) => `${(v * 100).toFixed(1).replace('.', ',')}\u00a0%`;
  expect(texts).toContain(pct(share(year2024.filter((r) => r.procedure === 'ОГЭ'), (r) => r.mark >= 3)));
  expect(texts).not.toContain('schools'); // the cell left out
  expect(texts).not.toContain('4. Выводы'); // the cell the user unchecked
  expect(xml).not.toContain('SELECT');
  const media = Object.keys(zip.files).filter((f) => f.startsWith('word/media/'));
  expect(media).toHaveLength(2);
  const pdf = docxToPdf(docx);
  const pages = pdfPageCount(pdf);
  expect(pages).toBeGreaterThanOrEqual(2);
  expect(pdfText(pdf)).toContain(`Стр. 1 из ${pages}`);
  const [first] = pdfToPngs(pdf, { dpi: 50, first: 1, last: 1 });
  expect(pngSize(first!)).toEqual({ width: 414, height: 585 });
  writeFileSync(join(OUT, 'report-docx-page1.png'), first!);

  const html = new TextDecoder().decode((await download(dialog.getByTestId('report-html'))).bytes);
  expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?https?:/);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  try {
    const context = await browser.newContext({ offline: true });
    const requests: string[] = [];
    await context.route('**/*', (route) => {
      requests.push(route.request().url());
      return route.abort();
    });
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    const figures = await page.locator('figure.chart').evaluateAll((fs) =>
      fs.map((f) => {
        const svg = f.querySelector('svg')!;
        const box = svg.getBoundingClientRect();
        return { w: box.width, h: box.height, marks: svg.querySelectorAll('.mark-rect path, .mark-line path, .mark-symbol path').length };
      }),
    );
    expect(figures).toHaveLength(2);
    for (const f of figures) {
      expect(f.w).toBeGreaterThan(300);
      expect(f.h).toBeGreaterThan(150);
      expect(f.marks).toBeGreaterThan(0);
    }
    expect(await page.locator('h2').allTextContents()).toContain('2. Динамика доли отметок «2»');
    expect(requests).toEqual([]);
    await page.emulateMedia({ media: 'print' });
    const pdfBytes = await page.pdf({ format: 'A4' });
    expect(pdfPageCount(new Uint8Array(pdfBytes))).toBeGreaterThanOrEqual(2);
    await context.close();
  } finally {
    await browser.close();
  }
  await dialog.getByTestId('report-close').click();
  expect(app.offOrigin).toEqual([]);
});

test('bundle: notebook and its data round-trip into a fresh browser profile', async () => {
  // Make the data differ from the demo a fresh profile starts with: keep 2024 only.
  await app.page.evaluate(() => window.msoko!.db.query({ type: 'exec', sql: 'DELETE FROM assessment_results WHERE year < 2024' }));
  const countSql = 'SELECT year, count(*) AS n, sum(mark) AS marks FROM assessment_results GROUP BY 1 ORDER BY 1';
  const kept = await app.page.evaluate((q) => window.msoko!.db.query({ type: 'rows', sql: q }), countSql);
  expect(kept.map((r) => r.year)).toEqual([2024]);
  await openNotebook(app, NOTEBOOK);
  const bundle = await download(app.page.getByTestId('export-bundle'));
  expect(bundle.name).toBe('Аналитическая справка по итогам оценочных процедур.zip');
  const zip = await JSZip.loadAsync(bundle.bytes);
  expect(Object.keys(zip.files).filter((f) => f.endsWith('.parquet')).sort()).toEqual(['data/assessment_results.parquet', 'data/schools.parquet']);
  const path = join(OUT, bundle.name);

  const fresh = await openApp();
  try {
    await waitReady(fresh.page);
    await fresh.page.locator('[data-testid=notebook][data-ready=true]').waitFor({ timeout: 120_000 });
    const before = await fresh.page.evaluate(() => window.msoko!.db.query({ type: 'rows', sql: 'SELECT count(DISTINCT year) AS y FROM assessment_results' }));
    expect(before[0]!.y).toBe(3);
    await fresh.page.getByTestId('open-bundle-input').setInputFiles(path);
    // The fresh profile holds the demo: replacing its tables by the bundle's is asked first (src/app/dataset.ts).
    await fresh.page.getByTestId('consent-accept').click({ timeout: 120_000 });
    await fresh.page.locator('[data-testid=share-status]', { hasText: 'Открыт пакет' }).waitFor({ timeout: 120_000 });
    // An opened bundle runs nothing until the user trusts it (the prompt opens by itself).
    await fresh.page.getByTestId('nb-trust-accept').click({ timeout: 60_000 });
    const after = await fresh.page.evaluate((q) => window.msoko!.db.query({ type: 'rows', sql: q }), countSql);
    expect(after).toEqual(kept);
    await expect.poll(() => fresh.page.getByTestId('nb-title').evaluate((e) => (e as HTMLInputElement).value ?? e.textContent)).toBe('Аналитическая справка по итогам оценочных процедур');
    await fresh.page.evaluate(() => (window as unknown as { __msoko: { notebook: { idle(): Promise<void> } } }).__msoko.notebook.idle());
    await fresh.page.getByTestId('run-all').click();
    await fresh.page.evaluate(() => (window as unknown as { __msoko: { notebook: { idle(): Promise<void> } } }).__msoko.notebook.idle());
    const dyn = await fresh.page.evaluate(() => {
      const snap = (window as unknown as { __msoko: { notebook: { snapshot(): Record<string, { result: { rows: unknown[][] } }> } } }).__msoko.notebook.snapshot();
      return snap.dynamics!.result.rows;
    });
    // Only 2024 came in the bundle, so the dynamics table has 2024 rows only.
    expect(dyn.map((r) => r[0])).toEqual([2024, 2024]);
    expect(fresh.offOrigin).toEqual([]);
  } finally {
    await fresh.close();
  }
});
