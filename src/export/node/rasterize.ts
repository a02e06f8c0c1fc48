/**
 * Node only: SVG → PNG through Debian's headless Chromium (playwright-core). Node has no canvas
 * here, and Chromium draws the chart's text with the same fonts as the browser does.
 */
import { chromium, type Browser } from 'playwright-core';
import { svgSize } from '../chart';

export type Rasterize = (svg: string, scale: number) => Promise<Uint8Array>;

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Runs `fn` with a rasterizer backed by one Chromium process, closed afterwards. */
export async function withRasterizer<T>(fn: (rasterize: Rasterize) => Promise<T>): Promise<T> {
  let browser: Browser | undefined;
  const rasterize: Rasterize = async (svg, scale) => {
    browser ??= await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
    const { width, height } = svgSize(svg);
    const w = Math.ceil(width);
    const h = Math.ceil(height);
    const page = await browser.newPage({ viewport: { width: w, height: h }, deviceScaleFactor: scale });
    try {
      await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
      await page.setContent(`<!doctype html><html><body style="margin:0;background:#fff">${svg}</body></html>`);
      const png = await page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: w, height: h } });
      return new Uint8Array(png);
    } finally {
      await page.close();
    }
  };
  try {
    return await fn(rasterize);
  } finally {
    await browser?.close();
  }
}
