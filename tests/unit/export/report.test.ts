import { beforeAll, expect, test } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import JSZip from 'jszip';
import { buildReport, rasterizeCharts, renderDocx, renderHtml, type Report, type ReportCell } from '../../../src/export/report';
import { withRasterizer } from '../../../src/export/node/rasterize';
import { docxToPdf, pdfPageCount, pdfText, pdfToPngs } from '../../../src/export/node/office';
import { pngSize } from '../../../src/export/chart';
import { TABLE } from './fixtures';

const S = '\u00a0';
const many = Array.from({ length: 60 }, (_, i) => ({ school_id: `ОО-${String(i + 1).padStart(3, '0')}`, participants: 10 + i, low_share: (i % 10) / 20 }));

const CELLS: ReportCell[] = [
  { id: 'intro', kind: 'md', source: '', output: { kind: 'markdown', markdown: '# Итоги ОГЭ\n\nДоля не преодолевших порог: **12,5 %**.\n\n- первый пункт\n- второй пункт\n\n<script>alert(1)</script>\n\n![логотип](https://example.org/logo.png)' } },
  { id: 'c1', kind: 'sql', name: 'by_school', source: 'SELECT * FROM assessment_results', output: { kind: 'table', table: TABLE(), caption: 'Таблица 1. Результаты по школам' } },
  {
    id: 'c2',
    kind: 'vega-lite',
    source: '{}',
    output: {
      kind: 'chart',
      caption: 'Рисунок 1. Доля не преодолевших порог',
      spec: { mark: 'bar', width: 500, height: 220, encoding: { x: { field: 'school_id', type: 'nominal', title: 'Школа' }, y: { field: 'low_share', type: 'quantitative', title: 'Доля', axis: { format: '.0%' } } } },
      rows: many.slice(0, 8),
    },
  },
  { id: 'hidden', kind: 'md', source: '', output: { kind: 'markdown', markdown: '## Черновик, не для отчёта' } },
  { id: 'c3', kind: 'sql', name: 'all', source: 'SELECT 1', output: { kind: 'table', table: many, caption: 'Таблица 2. Все школы' } },
  { id: 'p', kind: 'param', source: 'year', output: { kind: 'none' } },
];

let report: Report;
beforeAll(async () => {
  report = await buildReport(CELLS, { title: 'Аналитическая справка', subtitle: 'Муниципалитет N, 2025 год', include: ['intro', 'c1', 'c2', 'c3'], date: '2025-09-01', maxTableRows: 40 });
});

test('the report holds the chosen cells only, code hidden by default', () => {
  expect(report.blocks.map((b) => b.kind)).toEqual(['markdown', 'table', 'chart', 'table']);
  const cut = report.blocks[3] as Extract<Report['blocks'][number], { kind: 'table' }>;
  expect(cut.table.rows).toHaveLength(40);
  expect(cut.totalRows).toBe(60);
});

test('without a choice, cells marked report=false stay out', async () => {
  const r = await buildReport(CELLS.map((c) => (c.id === 'c1' ? { ...c, inReport: false } : c)), { title: 'x' });
  expect(r.blocks.map((b) => b.kind)).toEqual(['markdown', 'chart', 'markdown', 'table']);
});

test('code is included on request', async () => {
  const r = await buildReport(CELLS, { title: 'x', include: ['c1'], showCode: true });
  expect(r.blocks[0]).toEqual({ kind: 'code', language: 'sql', source: 'SELECT * FROM assessment_results' });
});

test('HTML is standalone: inline SVG and CSS, print stylesheet, nothing fetched', () => {
  const html = renderHtml(report);
  expect(html).toContain('<h1>Итоги ОГЭ</h1>');
  expect(html).toContain('<caption>Таблица 1. Результаты по школам</caption>');
  expect(html).toContain(`<td class="num">1${S}234</td>`);
  expect(html).toContain(`<td class="num">12,5${S}%</td>`);
  expect(html).toContain('<td>21.05.2025</td>');
  expect(html).toContain(`Показаны первые 40 из 60 строк.`);
  expect(html).toMatch(/<figure class="chart"><svg[^>]*>[\s\S]*<\/svg><figcaption>Рисунок 1/);
  expect(html).toContain('@media print');
  expect(html).toContain('Дата формирования: 01.09.2025');
  expect(html).not.toContain('<script');
  expect(html).not.toMatch(/https?:\/\//);
  expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(?!data:)/);
  expect(html).not.toMatch(/@import|url\(/);
});

test('DOCX: document.xml holds headings and table cells; LibreOffice renders pages with the chart image', async () => {
  const withPng = await withRasterizer((r) => rasterizeCharts(report, r, 2));
  const chart = withPng.blocks[2] as Extract<Report['blocks'][number], { kind: 'chart' }>;
  expect(pngSize(chart.png!).width).toBe(Math.ceil(chart.width) * 2);

  const docx = await renderDocx(withPng);
  const zip = await JSZip.loadAsync(docx);
  const xml = await zip.file('word/document.xml')!.async('string');
  const texts = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]);
  expect(texts).toContain('Аналитическая справка');
  expect(texts).toContain('Итоги ОГЭ');
  expect(xml).toMatch(/<w:pStyle w:val="Heading1"\/>(?:(?!<\/w:p>).)*Итоги ОГЭ/s);
  expect(texts).toContain('Таблица 1. Результаты по школам');
  expect(texts).toContain('МБОУ «СОШ № 1»; корпус 2');
  expect(texts).toContain(`1${S}234`);
  expect(texts).toContain(`12,5${S}%`);
  expect(texts).toContain('ОО-040');
  expect(texts).not.toContain('ОО-041');
  expect(texts).not.toContain('Черновик, не для отчёта');
  expect(xml).toContain('<w:tblHeader/>');
  expect(Object.keys(zip.files).filter((f) => f.startsWith('word/media/'))).toHaveLength(1);
  const footer = Object.keys(zip.files).find((f) => /word\/footer\d*\.xml/.test(f))!;
  expect(await zip.file(footer)!.async('string')).toMatch(/PAGE/);

  const pdf = docxToPdf(docx);
  const pages = pdfPageCount(pdf);
  expect(pages).toBeGreaterThanOrEqual(2);
  expect(pages).toBeLessThanOrEqual(4);
  const text = pdfText(pdf);
  expect(text).toContain('Аналитическая справка');
  expect(text).toContain('Таблица 2. Все школы');
  expect(text).toMatch(new RegExp(`Стр\\. 1 из ${pages}`));
  // Kept for a person to look at (.cache is ignored by git).
  mkdirSync('.cache/export-test', { recursive: true });
  writeFileSync('.cache/export-test/report.docx', docx);
  writeFileSync('.cache/export-test/report.pdf', pdf);
  writeFileSync('.cache/export-test/report.html', renderHtml(report));
  const [first] = pdfToPngs(pdf, { dpi: 50, first: 1, last: 1 });
  // A4 at 50 dpi is 414 × 585 px.
  expect(pngSize(first!)).toEqual({ width: 414, height: 585 });
});

test('report tables speak Russian: column titles, school names, dimension titles and decimal commas in text', async () => {
  const { setSchoolNames } = await import('../../../src/format');
  setSchoolNames(new Map([['220005', 'СОШ № 5']]));
  try {
    const rows = [
      { year: 2024, school_id: '220005', dimension: 'icc|textbook', reasons: 'повысили 66.2% при 16.8%', value: 0.5 },
      { year: 2024, school_id: '999', dimension: 'settlement_type', reasons: 'ρ = -0.57', value: 0.25 },
    ];
    const r = await buildReport([{ id: 't', kind: 'sql', source: '', output: { kind: 'table', table: rows } }], { title: 'Проверка', date: '2025-09-01' });
    const html = renderHtml(r);
    const heads = [...html.matchAll(/<th>([^<]*)<\/th>/g)].map((m) => m[1]);
    expect(heads).toEqual(['Год', 'ОО', 'Разрез', 'Основания', 'Значение']);
    const cells = [...html.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(cells.slice(0, 5)).toEqual(['2024', 'СОШ № 5', 'Внутриклассовая корреляция (ICC): Учебник', 'повысили 66,2% при 16,8%', '0,50']);
    expect(cells.slice(5, 10)).toEqual(['2024', '999', 'Тип населённого пункта', 'ρ = -0,57', '0,25']);
  } finally {
    setSchoolNames(new Map());
  }
});
