/** Vega-Lite → Vega, evaluated with vega-interpreter (no `eval`, CSP-safe) in browser and Node. */
import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View } from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { withRussianLocale } from '../format';

export function toVega(spec: Record<string, unknown>) {
  return compile(spec as unknown as TopLevelSpec).spec;
}

export async function chartToSvg(spec: Record<string, unknown>): Promise<string> {
  const view = new View(parse(toVega(withRussianLocale(spec)), undefined, { ast: true }), { renderer: 'none', expr: expressionInterpreter });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
