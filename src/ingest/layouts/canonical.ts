/** A canonical file (`schools.csv`, sheet `assessment_results`) or a sheet whose headers are a contract table's column names. */
import { CONTRACT, isCanonicalTable, type CanonicalTableName } from '../../model/contract';
import { isPersonalTitle, parseTaskTitle } from '../synonyms';
import { share } from './common';
import { ROLE_EXTRA, ROLE_PERSONAL, ROLE_TASK, type ColumnMapping, type Layout, type LayoutInput } from './types';

function tableFromName(input: LayoutInput): CanonicalTableName | null {
  for (const s of [input.sheet ?? '', input.raw.file.replace(/^.*[\\/]/, '').replace(/\.[a-z0-9]+$/i, '')]) if (isCanonicalTable(s)) return s;
  return null;
}

function bestContractTable(norm: string[]): CanonicalTableName | null {
  let best: [number, CanonicalTableName] | null = null;
  for (const def of Object.values(CONTRACT)) {
    const names = def.columns.map((c) => c.name);
    const hit = names.filter((n) => norm.includes(n)).length;
    // Every contract key column present and most of the columns: this is that table.
    if (def.key.every((k) => norm.includes(k)) && hit / names.length >= 0.6 && (!best || hit > best[0])) best = [hit, def.name];
  }
  return best?.[1] ?? null;
}

const tableOf = (input: LayoutInput) => tableFromName(input) ?? bestContractTable(input.norm);

export const canonical: Layout = {
  id: 'canonical',
  title: 'Каноническая таблица',
  recognise: (input) => (tableOf(input) ? 1 : 0),
  map: (input) => {
    const table = tableOf(input)!;
    const names = new Set(CONTRACT[table].columns.map((c) => c.name));
    const columns = input.raw.columns.map((column, i): ColumnMapping => {
      const header = input.headers[i] ?? column;
      if (names.has(header)) return { column, header, field: header };
      const task = table === 'assessment_results' ? parseTaskTitle(header) : null;
      if (task) return { column, header, field: ROLE_TASK, task: task.task, max: task.max };
      return { column, header, field: isPersonalTitle(header) ? ROLE_PERSONAL : ROLE_EXTRA };
    });
    return { version: 1, signature: input.signature, layout: 'canonical', target: table, columns, constants: input.constants, confidence: share(columns) };
  },
};
