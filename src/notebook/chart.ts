/** Vega-Lite → Vega, evaluated with vega-interpreter (no `eval`, CSP-safe) in browser and Node. */
import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View } from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { withRussianLocale } from '../format';
import { refusingLoader, safeSpec } from './spec-guard';

export function toVega(spec: Record<string, unknown>) {
  return compile(spec as unknown as TopLevelSpec).spec;
}

export async function chartToSvg(spec: Record<string, unknown>): Promise<string> {
  // A notebook's chart may not read files or URLs, nor carry links (the CLI once drew /etc/passwd).
  const vega = safeSpec(toVega(safeSpec(withRussianLocale(spec))));
  const view = new View(parse(vega, undefined, { ast: true }), { renderer: 'none', expr: expressionInterpreter, loader: refusingLoader as never });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
