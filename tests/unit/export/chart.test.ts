import { expect, test } from 'vitest';
import { SaxesParser } from 'saxes';
import { chartToSvg, exportSpec, inlineSvg, pngSize, svgSize } from '../../../src/export/chart';
import { withRasterizer } from '../../../src/export/node/rasterize';

const S = '\u00a0';
const SPEC = {
  title: 'Доля не преодолевших порог по школам',
  width: 'container',
  height: 200,
  mark: 'bar',
  encoding: {
    x: { field: 'school', type: 'nominal', title: 'Школа' },
    y: { field: 'low_share', type: 'quantitative', title: 'Доля', axis: { format: '.0%' } },
  },
};
const ROWS = [
  { school: 'СОШ № 1', low_share: 0.125 },
  { school: 'Лицей', low_share: 0.05 },
  { school: 'ООШ с. Берёзовка', low_share: 0.3 },
];

/** Collects element names and text; throws on any XML well-formedness error. */
function parseXml(xml: string): { elements: string[]; text: string[] } {
  const p = new SaxesParser({ xmlns: true });
  const elements: string[] = [];
  const text: string[] = [];
  p.on('error', (e) => {
    throw e;
  });
  p.on('opentag', (t) => elements.push(t.local));
  p.on('text', (t) => text.push(t));
  p.write(xml).close();
  return { elements, text };
}

test('the SVG parses as XML and shows Russian titles and percent labels', async () => {
  const svg = await chartToSvg(SPEC, ROWS);
  const { elements, text } = parseXml(svg);
  expect(elements[0]).toBe('svg');
  expect(elements.filter((e) => e === 'path').length).toBeGreaterThanOrEqual(3);
  expect(text).toContain('Доля не преодолевших порог по школам');
  expect(text).toContain('ООШ с. Берёзовка');
  expect(text).toContain(`30${S}%`);
  expect(text.some((t) => /^\d+%$/.test(t))).toBe(false);
  // 'container' width becomes a fixed width offscreen.
  expect(svgSize(svg).width).toBeGreaterThan(550);
});

test('the exported spec keeps the chart own settings and inlines the rows', () => {
  const s = exportSpec({ ...SPEC, config: { axis: { grid: false } } }, ROWS) as unknown as Record<string, any>;
  expect(s.data.values).toHaveLength(3);
  expect(s.config.axis.grid).toBe(false);
  expect(s.config.locale.number.decimal).toBe(',');
});

test('inline SVG carries no namespace URL', async () => {
  const svg = inlineSvg(await chartToSvg(SPEC, ROWS));
  expect(svg).not.toMatch(/https?:/);
  expect(svg.startsWith('<svg')).toBe(true);
});

test('Chromium rasterises the SVG at the chosen scale', async () => {
  const svg = await chartToSvg(SPEC, ROWS);
  const { width, height } = svgSize(svg);
  const [one, three] = await withRasterizer(async (r) => [await r(svg, 1), await r(svg, 3)]);
  expect(pngSize(one!)).toEqual({ width: Math.ceil(width), height: Math.ceil(height) });
  expect(pngSize(three!)).toEqual({ width: Math.ceil(width) * 3, height: Math.ceil(height) * 3 });
});
