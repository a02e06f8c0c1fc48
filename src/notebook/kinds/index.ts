/**
 * The cell kinds: one record each (label, new source, naming, analysis, evaluation, report
 * code language) instead of a switch in every module that meets a cell.
 */
import type { CellKind } from '../model';
import { chartKind } from './chart';
import { mdKind } from './md';
import { paramKind } from './param';
import { sqlKind } from './sql';
import { tsKind } from './ts';
import type { CellKindDef } from './types';

export const CELL_KINDS: readonly CellKindDef[] = [sqlKind, mdKind, tsKind, chartKind, paramKind];
const byKind = new Map<CellKind, CellKindDef>(CELL_KINDS.map((k) => [k.kind, k]));

export function cellKind(kind: CellKind): CellKindDef {
  const def = byKind.get(kind);
  if (!def) throw new Error(`Неизвестный вид ячейки «${kind}»`);
  return def;
}

export type { CellKindDef, EvalContext, Evaluated, Unit } from './types';
export { coerceParam, resolveParamValue } from './param';
