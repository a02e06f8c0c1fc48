import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import JSZip from 'jszip';
import { runHeadless } from '../../../scripts/notebook';
import { docxToPdf, pdfText } from '../../../src/export/node/office';

const out = mkdtempSync(join(tmpdir(), 'nb-report-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

// The fixture rows, read independently of the notebook's SQL.
const raw = readFileSync('tests/fixtures/export/data/assessment_results.csv', 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => l.split(','))
  .map(([year, , subject, school, mark]) => ({ year: Number(year), subject, school: school!, mark: Number(mark) }));

test('npm run notebook -- … --report html --report docx writes both reports with the run values', async () => {
  const { summary } = await runHeadless({
    file: 'tests/fixtures/export/small.md',
    data: 'tests/fixtures/export/data',
    out,
    params: { subject: 'Русский язык', year: '2024' },
    report: ['html', 'docx'],
  });
  expect(summary.filter((c) => c.status !== 'done')).toEqual([]);
  const sel = raw.filter((r) => r.subject === 'Русский язык' && r.year === 2024);
  const schools = [...new Set(sel.map((r) => r.school))].sort();
  const lowShare = (s: string) => {
    const rs = sel.filter((r) => r.school === s);
    return rs.filter((r) => r.mark === 2).length / rs.length;
  };
  const pct = (v: number) => `${(v * 100).toFixed(1).replace('.', ',')}\u00a0%`;

  const html = readFileSync(join(out, 'report.html'), 'utf8');
  expect(html).toContain('<title>Итоги ВПР</title>');
  expect(html).toContain('<h1>Итоги ВПР: Русский язык, 2024 год</h1>');
  expect(html).toContain(`Всего работ: ${sel.length}, доля отметок «2»: ${pct(sel.filter((r) => r.mark === 2).length / sel.length)}.`);
  for (const s of schools) expect(html).toContain(`<td>${s}</td>`);
  for (const s of schools) expect(html).toContain(`<td class="num">${pct(lowShare(s))}</td>`);
  expect(html.match(/<figure class="chart"><svg/g)).toHaveLength(1);
  expect(html).not.toContain('SELECT');

  const docx = new Uint8Array(readFileSync(join(out, 'report.docx')));
  const zip = await JSZip.loadAsync(docx);
  const xml = await zip.file('word/document.xml')!.async('string');
  const texts = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]);
  expect(texts).toContain('Итоги ВПР: Русский язык, 2024 год');
  for (const s of schools) expect(texts).toContain(s);
  for (const s of schools) expect(texts).toContain(pct(lowShare(s)));
  expect(Object.keys(zip.files).filter((f) => f.startsWith('word/media/'))).toHaveLength(1);
  const text = pdfText(docxToPdf(docx));
  expect(text).toContain(`Всего работ: ${sel.length}`);
});
