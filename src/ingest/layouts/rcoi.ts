/** РЦОИ ОГЭ/ЕГЭ protocol: `Код ОО`, names (hashed, never stored), part-1 and part-2 answer strings, `Первичный балл`, `Балл`. */
import { resultColumns, resultsMapping } from './results-common';
import type { Layout } from './types';

export const rcoi: Layout = {
  id: 'rcoi',
  title: 'РЦОИ: протокол ОГЭ/ЕГЭ',
  recognise: (input) => {
    const r = resultColumns(input);
    return r.isResults && (r.fields.has('part1') || r.fields.has('part2')) ? 0.95 : 0;
  },
  map: (input) => resultsMapping(input, 'rcoi'),
};
