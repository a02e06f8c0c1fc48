/**
 * The annual report of the demo municipality, run headlessly over datasets/demo/canonical and
 * exported to DOCX and HTML; the documents are opened and checked against figures computed here
 * in plain TypeScript from the demo CSV files.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import JSZip from 'jszip';
import { runHeadless } from '../../../scripts/notebook';
import { docxToPdf, pdfPageCount, pdfText } from '../../../src/export/node/office';
import { pngSize } from '../../../src/export/chart';

const DATA = 'datasets/demo/canonical';
const NOTEBOOK = 'tests/fixtures/export/annual-demo.md';
const out = mkdtempSync(join(tmpdir(), 'annual-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function csv(file: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(join(DATA, file), 'utf8').trim().split('\n');
  const cols = head!.split(',');
  // The demo files have no quoted commas in the columns read here.
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

const pct = (v: number) => `${(v * 100).toFixed(1).replace('.', ',')}\u00a0%`;
const int = (v: number) => new Intl.NumberFormat('ru-RU').format(v);

let html = '';
let docx: Uint8Array;
let texts: string[] = [];
let zip: JSZip;
beforeAll(async () => {
  const { summary } = await runHeadless({ file: NOTEBOOK, data: DATA, out, params: { year: '2024' }, report: ['html', 'docx'] });
  expect(summary.filter((c) => c.status !== 'done')).toEqual([]);
  html = readFileSync(join(out, 'report.html'), 'utf8');
  docx = new Uint8Array(readFileSync(join(out, 'report.docx')));
  zip = await JSZip.loadAsync(docx);
  const xml = await zip.file('word/document.xml')!.async('string');
  texts = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]!);
}, 180_000);

const all = csv('assessment_results.csv');
const results = all.filter((r) => r.year === '2024' && r.mark !== '');
const lowShare = results.filter((r) => r.mark === '2').length / results.length;
const procedures = [...new Set(results.map((r) => r.procedure!))].sort();

test('HTML: headings, the figures of the year and one inline SVG per chart', () => {
  expect(html).toContain('<h1>Итоги оценочных процедур 2024 года</h1>');
  expect(html).toContain('<h2>3. Результаты по образовательным организациям</h2>');
  expect(html).toContain(`всего выполнено <strong>${int(results.length)}</strong> работ`);
  expect(html).toContain(`Доля работ с отметкой «2»: ${pct(lowShare)}`);
  for (const p of procedures) {
    const n = results.filter((r) => r.procedure === p).length;
    expect(html).toContain(`<tr><td>${p}</td><td class="num">${int(n)}</td>`);
  }
  expect(html.match(/<figure class="chart"><svg/g)).toHaveLength(2);
  // The helper cell marked report=false stays out.
  expect(html).not.toContain('low_share');
  expect(html).not.toMatch(/https?:\/\//);
});

test('DOCX: document.xml holds the headings and table cells; two chart images', async () => {
  expect(texts).toContain('Аналитическая справка по итогам оценочных процедур');
  expect(texts).toContain('1. Результаты по процедурам');
  expect(texts).toContain('2. Динамика доли отметок «2»');
  for (const p of procedures) expect(texts).toContain(p);
  // The school with the largest share of «2» (≥ 20 works) heads the school table.
  const bySchool = new Map<string, { n: number; low: number }>();
  for (const r of results) {
    const s = bySchool.get(r.school_id!) ?? { n: 0, low: 0 };
    s.n++;
    if (r.mark === '2') s.low++;
    bySchool.set(r.school_id!, s);
  }
  const worst = [...bySchool.entries()].filter(([, s]) => s.n >= 20).sort((a, b) => b[1].low / b[1].n - a[1].low / a[1].n)[0]!;
  const name = csv('schools.csv').find((s) => s.year === '2024' && s.school_id === worst[0])!.name!;
  const at = texts.indexOf(name);
  expect(at).toBeGreaterThan(texts.indexOf('3. Результаты по образовательным организациям'));
  expect(texts.slice(at, at + 6)).toContain(pct(worst[1].low / worst[1].n));
  const media = Object.keys(zip.files).filter((f) => f.startsWith('word/media/'));
  expect(media).toHaveLength(2);
  for (const m of media) expect(pngSize(await zip.file(m)!.async('uint8array')).width).toBeGreaterThan(900);
});

test('DOCX opens in LibreOffice: A4 pages with «Стр. N из M» and the text of the report', () => {
  const pdf = docxToPdf(docx);
  const pages = pdfPageCount(pdf);
  expect(pages).toBeGreaterThanOrEqual(2);
  const text = pdfText(pdf);
  for (let p = 1; p <= pages; p++) expect(text).toContain(`Стр. ${p} из ${pages}`);
  expect(text).toContain('Итоги оценочных процедур 2024 года');
  expect(text).toContain('4. Выводы');
});

test.skipIf(!existsSync('notebooks/annual-report.md'))('the annual-report template exports to DOCX and HTML', { timeout: 600_000 }, async () => {
  const dir = join(out, 'template');
  await runHeadless({ file: 'notebooks/annual-report.md', data: DATA, out: dir, report: ['html', 'docx'] });
  const h = readFileSync(join(dir, 'report.html'), 'utf8');
  const d = await JSZip.loadAsync(readFileSync(join(dir, 'report.docx')));
  const xml = await d.file('word/document.xml')!.async('string');
  const headings = [...h.matchAll(/<h[1-3]>([^<]+)<\/h[1-3]>/g)].map((m) => m[1]!);
  expect(headings.length).toBeGreaterThan(1);
  for (const t of headings.slice(1)) expect(xml).toContain(t.replace(/&amp;/g, '&amp;'));
  const charts = (h.match(/<figure class="chart"><svg/g) ?? []).length;
  expect(charts).toBeGreaterThan(0);
  expect(Object.keys(d.files).filter((f) => f.startsWith('word/media/')).length).toBe(charts);
  const lastYear = Math.max(...all.map((r) => Number(r.year)));
  expect(h).toContain(`итоги ${lastYear} года`);
  expect(xml).toContain(`итоги ${lastYear} года`);
  const pdf = docxToPdf(new Uint8Array(readFileSync(join(dir, 'report.docx'))));
  const pages = pdfPageCount(pdf);
  expect(pages).toBeGreaterThanOrEqual(2);
  expect(pdfText(pdf)).toContain(`Стр. ${pages} из ${pages}`);
});
