/**
 * A chart spec from a notebook is hostile: a click on a mark with an `href` navigates (CSP does
 * not govern navigation), `usermeta.embedOptions` reconfigures vega-embed (menu items that post
 * the rows elsewhere, `ast: false` → `Function()`), `bind.element` reaches into the app's DOM,
 * and `data.url` / image marks fetch. `safeSpec` removes all of it; `refusingLoader` makes Vega
 * itself unable to load or open any address (used in the browser and in the Node CLI alike).
 */

type Json = Record<string, unknown>;

/** Keys dropped wherever they occur outside inline data. */
const DROP_KEYS = new Set(['usermeta', 'href', 'element']);
/** Subtrees that are data, kept verbatim (a column may well be called `href`). */
const DATA_KEYS = new Set(['values', 'datasets']);

function clean(v: unknown, depth: number): unknown {
  if (depth > 64) return undefined;
  if (Array.isArray(v)) return v.map((x) => clean(x, depth + 1));
  if (!v || typeof v !== 'object') return v;
  const out: Json = {};
  let dropped = false;
  for (const [k, x] of Object.entries(v as Json)) {
    if (DROP_KEYS.has(k)) continue;
    if (k === 'url' && typeof x === 'string') {
      dropped = true;
      continue;
    }
    out[k] = DATA_KEYS.has(k) ? x : clean(x, depth + 1);
  }
  // A data source that only had a URL becomes empty data (the chart still draws, without rows).
  if (dropped && !('values' in out)) out.values = [];
  return out;
}

/** A copy of a Vega or Vega-Lite spec without navigation, embed options, DOM binding or URLs. */
export function safeSpec<T extends object>(spec: T): T {
  return clean(spec, 0) as T;
}

const refuse = (what: string) => Promise.reject(new Error(`Графику запрещено обращаться к адресам и файлам: ${what}`));

/** A Vega loader that loads nothing and opens nothing. */
export const refusingLoader = {
  load: (uri: string) => refuse(uri),
  sanitize: (uri: string) => refuse(uri),
  http: (uri: string) => refuse(uri),
  file: (name: string) => refuse(name),
};
