/**
 * КИМ description («описание КИМ»): `№` (sequential, matches `балл за N`), `№ КИМ` / `№ по КИМу`
 * (printed number), max points, level Б/П/В, КЭС, КТ; one row per task × КЭС × КТ, collapsed to
 * one `tasks` row per task on import (table.ts).
 */
import { TASK_SPEC_INDEX } from '../synonyms';
import { mapWith, mappingOf } from './common';
import type { Layout, LayoutInput } from './types';

/** `№` alone (empty once normalised) is the sequential number `балл за N` counts by. */
const columnsOf = (input: LayoutInput) =>
  mapWith(input, TASK_SPEC_INDEX).map((c) => (/^№\s*(п\s*\/\s*п)?$/i.test(c.header.trim()) && !c.field.startsWith('seq') ? { ...c, field: 'seq' } : c));

export const kimSpec: Layout = {
  id: 'kim-spec',
  title: 'Описание КИМ',
  recognise: (input) => {
    const f = new Set(columnsOf(input).map((c) => c.field));
    if (!f.has('max_score') || !(f.has('task') || f.has('seq'))) return 0;
    return 0.8 + (f.has('kes') || f.has('level') ? 0.1 : 0);
  },
  map: (input) => {
    const columns = columnsOf(input);
    // With КЭС codes, `section` is the task's КЭС codes (joined on import); the skill text is kept as `skill`.
    if (columns.some((c) => c.field === 'kes')) for (const c of columns) if (c.field === 'section') c.field = 'skill';
    return mappingOf(input, 'kim-spec', 'tasks', columns);
  },
};
