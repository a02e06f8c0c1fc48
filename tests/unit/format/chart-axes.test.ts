import { expect, test } from 'vitest';
import { compile } from 'vega-lite';
import { parse, View } from 'vega';
import { ruFieldTitle, withRussianLocale } from '../../../src/format';

const data = { values: [{ s: 'a', p: 'x', share: 0.83 }, { s: 'b', p: 'y', share: 0.45 }] };
const enc = (axis: Record<string, unknown> = { format: '.0%' }) => ({
  y: { field: 's', type: 'nominal' },
  x: { field: 'share', type: 'quantitative', axis },
});

/** Every percent label the view draws (hidden ones too), in order, with its x position. */
async function percentLabels(spec: object): Promise<{ x: number; text: string; hidden: boolean }[]> {
  const vg = compile(withRussianLocale(spec) as never, { fieldTitle: ruFieldTitle as never }).spec;
  const svg = await new View(parse(vg), { renderer: 'none' }).toSVG();
  return [...svg.matchAll(/<text([^>]*)>([^<]*%)<\/text>/g)].map((m) => ({
    x: Number(/translate\(([-\d.]+)/.exec(m[1])?.[1]),
    text: m[2].replace(/\u00a0/g, " "),
    hidden: /opacity="0"/.test(m[1]),
  }));
}

test('a 300 px percent axis draws at most 6 labels, at least 60 px apart (Vega-Lite alone draws 10: «80 %90 %»)', async () => {
  const labels = await percentLabels({ data, width: 300, mark: 'bar', encoding: enc() });
  expect(labels.map((l) => l.text)).toEqual(['0 %', '20 %', '40 %', '60 %', '80 %']);
  for (let i = 1; i < labels.length; i++) expect(labels[i].x - labels[i - 1].x).toBeGreaterThanOrEqual(60);
});

test('the tick spacing follows the width of the view that draws the axis: layers, facets, concatenations', async () => {
  const layered = await percentLabels({ data, width: 420, layer: [{ mark: 'bar', encoding: enc() }, { mark: 'point', encoding: enc() }] });
  expect(layered.length).toBeLessThanOrEqual(2 * 7);
  const faceted = await percentLabels({ data, facet: { row: { field: 'p' } }, spec: { width: 300, mark: 'bar', encoding: enc() } });
  expect(faceted.map((l) => l.text)).toEqual(['0 %', '20 %', '40 %', '60 %', '80 %']);
  const concat = await percentLabels({ data, hconcat: [{ width: 300, mark: 'bar', encoding: enc() }, { width: 140, mark: 'bar', encoding: enc() }] });
  expect(concat.length).toBeLessThanOrEqual(10);
});

test("a spec's own tick count or tick values are kept", async () => {
  const own = await percentLabels({ data, width: 300, mark: 'bar', encoding: enc({ format: '.0%', tickCount: 10 }) });
  expect(own).toHaveLength(10);
  const values = await percentLabels({ data, width: 300, mark: 'bar', encoding: enc({ format: '.0%', values: [0, 0.5, 0.9] }) });
  expect(values.map((l) => l.text)).toEqual(['0 %', '50 %', '90 %']);
});

test('legend labels up to 280 px are not cut (Vega-Lite cuts at 160 px)', async () => {
  const label = 'Отметка «5» / высокий балл';
  const vg = compile(withRussianLocale({ data: { values: [{ k: label, v: 1 }] }, mark: 'point', encoding: { color: { field: 'k', type: 'nominal' }, x: { field: 'v', type: 'quantitative' } } }) as never, { fieldTitle: ruFieldTitle as never }).spec;
  const svg = await new View(parse(vg), { renderer: 'none' }).toSVG();
  expect(svg).toContain(label);
  expect(svg).not.toContain('…');
});
