/** `${name}`, `${name.column}`, `${name.column|fmt}` in Markdown or chart text → escaped, formatted text. */
import { escapeMarkdown } from './escape';
import { isTableValue } from './table-value';
import { formatValue } from './values';

const REF = /\$\{\s*([\p{L}_][\p{L}\p{N}_]*)((?:\.[\p{L}\p{N}_]+)*)\s*(?:\|\s*([\w:]+)\s*)?\}/gu;

/**
 * `valueOf` throws for an unknown name. A table reads its first row (first column without a path).
 * `escape` keeps a value text in the target: Markdown by default, `escapePlainText` for chart titles.
 */
export function interpolate(source: string, valueOf: (name: string) => unknown, escape: (text: string) => string = escapeMarkdown): string {
  return source.replace(REF, (_m, name: string, path: string, fmt?: string) => {
    let v: unknown = valueOf(name);
    const keys = path.split('.').filter(Boolean);
    if (isTableValue(v)) {
      const row = v.rows()[0];
      if (!keys.length) return escape(formatValue(Object.values(row ?? {})[0] ?? null, fmt));
      v = row;
    }
    for (const key of keys) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
    // Data are text, never markup: a value cannot open a link, an image or an element.
    return escape(formatValue(v, fmt));
  });
}

const CHART_TEXT_KEYS = new Set(['title', 'subtitle', 'text', 'empty', 'description']);

/**
 * A copy of a Vega-Lite spec with `fn` applied to its plain-text fields: titles and subtitles
 * (of the chart, axes, legends, headers, tooltips), literal mark text and the `"empty"` line.
 * Expressions (`calculate`, `filter`, `labelExpr`), field names and inline data are never
 * visited: a value put there would become code, a reference or a different row.
 */
export function mapChartText(spec: unknown, fn: (text: string) => string): unknown {
  const walk = (v: unknown, isText: boolean): unknown => {
    if (typeof v === 'string') return isText ? fn(v) : v;
    if (Array.isArray(v)) return v.map((x) => walk(x, isText));
    if (!v || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = k === 'data' || k === 'datasets' ? x : walk(x, CHART_TEXT_KEYS.has(k));
    return out;
  };
  return walk(spec, false);
}
