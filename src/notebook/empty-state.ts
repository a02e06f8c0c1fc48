/**
 * What an empty result says instead of «0 строк»: «Нет данных: 2024, ОГЭ, Математика, 5 класс» —
 * the values of the parameters the cell reads, directly or through the cells it reads, in the
 * order the notebook declares them. Parameters with fixed choices (`options`, e.g. the factor of
 * GIA-07) choose an analysis, not the data, and «все» filters nothing: both are left out.
 */
import { paramOptionLabel } from '../format';
import type { Unit } from './kinds';
import type { CellRuntimeState, ParamValue } from './model';

export interface EmptyStateSource {
  units: Map<string, Unit>;
  /** A parameter's value now is its unit's result (the chosen value, or the default it resolved to). */
  states: Map<string, CellRuntimeState>;
}

const EVERYTHING = new Set(['все', 'всё', 'все предметы', 'все ОО']);

function describe(name: string, value: ParamValue): string | null {
  if (value === null || value === undefined || value === '' || EVERYTHING.has(String(value))) return null;
  // A school code reads as the school's name, a dimension key as its title (as in the parameter bar).
  const text = typeof value === 'number' || typeof value === 'string' ? paramOptionLabel(value) : String(value);
  if (name === 'grade') return `${text} класс`;
  return text;
}

/** The parameters upstream of a cell, with the values chosen now. */
export function upstreamParams(src: EmptyStateSource, id: string): { name: string; value: ParamValue }[] {
  const seen = new Set<string>();
  const params = new Set<string>();
  const stack = [id];
  while (stack.length) {
    const u = src.units.get(stack.pop()!);
    if (!u || seen.has(u.id)) continue;
    seen.add(u.id);
    if (u.kind === 'param' && u.def && (u.def.options_sql || !u.def.options?.length)) params.add(u.def.name);
    stack.push(...u.deps);
  }
  return [...src.units.values()]
    .filter((u) => u.kind === 'param' && u.def && params.has(u.def.name))
    .map((u) => {
      const r = src.states.get(u.id)?.result;
      return { name: u.def!.name, value: r?.kind === 'param' ? r.value : null };
    });
}

export function emptyStateText(src: EmptyStateSource | undefined, id: string): string {
  const parts = src ? upstreamParams(src, id).map((p) => describe(p.name, p.value)).filter((s): s is string => s !== null) : [];
  return parts.length ? `Нет данных: ${parts.join(', ')}` : 'Нет данных';
}
