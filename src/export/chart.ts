/**
 * Chart export: a Vega-Lite spec (with the rows of the cell it is bound to) rendered offscreen
 * with the Russian locale, to SVG (browser and Node) or to PNG at a scale (browser: Vega's canvas
 * renderer; Node: see node/rasterize.ts).
 */
import { parse, View } from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Row } from '../db/connector';
import { mergeChartConfig, ruFieldTitle } from '../format';
import { refusingLoader, safeSpec } from '../notebook/spec-guard';

import { DEFAULT_PNG_SCALE } from './options';
export { DEFAULT_PNG_SCALE, PNG_SCALES } from './options';
/** Width given to charts whose spec says 'container' (nothing to fit into offscreen). */
export const EXPORT_WIDTH = 600;

type Json = Record<string, unknown>;

/** The spec as exported: bound rows inlined, Russian locale config, fixed sizes. */
export function exportSpec(spec: object, rows?: readonly Row[]): TopLevelSpec {
  const s: Json = { ...(spec as Json) };
  if (rows) s.data = { values: rows };
  if (s.width === 'container') s.width = EXPORT_WIDTH;
  if (s.height === 'container') s.height = Math.round(EXPORT_WIDTH / 2);
  s.config = mergeChartConfig(s.config);
  return s as unknown as TopLevelSpec;
}

async function withView<T>(spec: object, rows: readonly Row[] | undefined, fn: (view: View) => Promise<T>): Promise<T> {
  // Exported charts carry no links and load nothing (a spec from an opened notebook is hostile).
  const vg = safeSpec(compile(exportSpec(safeSpec(spec), rows), { fieldTitle: ruFieldTitle as never }).spec);
  // The interpreter evaluates Vega expressions without eval (the app's CSP allows no eval).
  const view = new View(parse(vg, undefined, { ast: true }), { renderer: 'none', expr: expressionInterpreter, loader: refusingLoader as never });
  try {
    await view.runAsync();
    return await fn(view);
  } finally {
    view.finalize();
  }
}

/** Standalone SVG document text of the chart. */
export function chartToSvg(spec: object, rows?: readonly Row[]): Promise<string> {
  return withView(spec, rows, (view) => view.toSVG());
}

/** Browser only: the chart drawn on a canvas at `scale` × its CSS size. */
export function chartToCanvas(spec: object, rows: readonly Row[] | undefined, scale = DEFAULT_PNG_SCALE): Promise<HTMLCanvasElement> {
  return withView(spec, rows, (view) => view.toCanvas(scale) as Promise<HTMLCanvasElement>);
}

/** Browser only: PNG bytes at `scale`. */
export async function chartToPng(spec: object, rows?: readonly Row[], scale = DEFAULT_PNG_SCALE): Promise<Uint8Array> {
  const canvas = await chartToCanvas(spec, rows, scale);
  return canvasToPng(canvas);
}

export async function canvasToPng(canvas: HTMLCanvasElement): Promise<Uint8Array> {
  const blob = await new Promise<Blob>((ok, fail) => canvas.toBlob((b) => (b ? ok(b) : fail(new Error('Не удалось получить PNG'))), 'image/png'));
  return new Uint8Array(await blob.arrayBuffer());
}

/** Width and height (CSS pixels) declared on the root of an SVG document. */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const num = (attr: string) => Number(new RegExp(`\\b${attr}="([\\d.]+)`).exec(root)?.[1] ?? NaN);
  let width = num('width');
  let height = num('height');
  if (!(width > 0 && height > 0)) {
    const vb = /\bviewBox="[\d.-]+[ ,]+[\d.-]+[ ,]+([\d.]+)[ ,]+([\d.]+)"/.exec(root);
    width = Number(vb?.[1] ?? 600);
    height = Number(vb?.[2] ?? 300);
  }
  return { width, height };
}

/** Width and height of a PNG from its IHDR chunk. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  if (dv.getUint32(0) !== 0x89504e47) throw new Error('Не PNG');
  return { width: dv.getUint32(16), height: dv.getUint32(20) };
}

/** SVG markup fit for inlining into HTML: no XML prolog, no namespace URLs. */
export function inlineSvg(svg: string): string {
  return svg
    .replace(/<\?xml[^>]*\?>\s*/g, '')
    .replace(/\s+xmlns(:\w+)?="[^"]*"/g, '')
    .replace(/xlink:href=/g, 'href=');
}

/** Browser only: SVG text → PNG at `scale`, drawn by the browser itself (used for DOCX images). */
export async function svgToPngInBrowser(svg: string, scale = 2): Promise<Uint8Array> {
  const { width, height } = svgSize(svg);
  const withNs = /\sxmlns="/.test(svg) ? svg : svg.replace('<svg', '<svg xmlns="http://www.w3.org/2000/svg"');
  const url = URL.createObjectURL(new Blob([withNs], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await canvasToPng(canvas);
  } finally {
    URL.revokeObjectURL(url);
  }
}
