/**
 * THE registry of source layouts. Each is one record (its own file): id, Russian title, a
 * recognition score and how it maps. `chooseLayout` takes the highest score; adding a layout is
 * one file here plus its line below (and its fixture).
 */
import { canonical } from './canonical';
import { context } from './context';
import { form } from './form';
import { kimSpec } from './kim-spec';
import { monitoringWide } from './monitoring-wide';
import { rcoi } from './rcoi';
import { results } from './results';
import type { Layout, LayoutInput } from './types';
import { vprClasses } from './vpr-classes';
import { vprCoded } from './vpr-coded';
import { vprIndividual } from './vpr-individual';
import { vprProtocol } from './vpr-protocol';
import { vprRegional } from './vpr-regional';

export const LAYOUTS: readonly Layout[] = [
  canonical,
  vprRegional,
  vprProtocol,
  vprIndividual,
  vprCoded,
  rcoi,
  results,
  vprClasses,
  kimSpec,
  context,
  monitoringWide,
  form,
];

export const UNKNOWN_TITLE = 'Не распознано';

/** Russian titles by layout id (`unknown` included). */
export const LAYOUT_TITLES: Record<string, string> = { ...Object.fromEntries(LAYOUTS.map((l) => [l.id, l.title])), unknown: UNKNOWN_TITLE };

/** Every layout's score for a sheet, best first; ties go to the earlier record. */
export function scoreLayouts(input: LayoutInput): Array<{ layout: Layout; score: number }> {
  return LAYOUTS.map((layout, i) => ({ layout, score: layout.recognise(input), i }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .map(({ layout, score }) => ({ layout, score }));
}

export function chooseLayout(input: LayoutInput): Layout | null {
  return scoreLayouts(input)[0]?.layout ?? null;
}

export type { Layout, LayoutInput } from './types';
