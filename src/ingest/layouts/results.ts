/** Any other per-participant results sheet: task columns plus a participant, total or variant column. */
import { resultColumns, resultsMapping } from './results-common';
import type { Layout } from './types';

export const results: Layout = {
  id: 'results',
  title: 'Результаты участников',
  recognise: (input) => (resultColumns(input).isResults ? 0.5 : 0),
  map: (input) => resultsMapping(input, 'results'),
};
