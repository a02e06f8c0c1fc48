/** `${name}`, `${name.column}`, `${name.column|fmt}` in Markdown → escaped, formatted text. */
import { escapeMarkdown } from './escape';
import { isTableValue } from './table-value';
import { formatValue } from './values';

const REF = /\$\{\s*([\p{L}_][\p{L}\p{N}_]*)((?:\.[\p{L}\p{N}_]+)*)\s*(?:\|\s*([\w:]+)\s*)?\}/gu;

/** `valueOf` throws for an unknown name. A table reads its first row (first column without a path). */
export function interpolate(source: string, valueOf: (name: string) => unknown): string {
  return source.replace(REF, (_m, name: string, path: string, fmt?: string) => {
    let v: unknown = valueOf(name);
    const keys = path.split('.').filter(Boolean);
    if (isTableValue(v)) {
      const row = v.rows()[0];
      if (!keys.length) return escapeMarkdown(formatValue(Object.values(row ?? {})[0] ?? null, fmt));
      v = row;
    }
    for (const key of keys) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
    // Data are text, never markup: a value cannot open a link, an image or an element.
    return escapeMarkdown(formatValue(v, fmt));
  });
}
