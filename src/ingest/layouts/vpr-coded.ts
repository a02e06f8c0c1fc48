/** The 2020 coded ВПР dump: `user, code, otc, gender, klass, var-1, sum, a-N-grade`. */
import { normalizeTitle } from '../synonyms';
import { resultColumns, resultsMapping } from './results-common';
import type { Layout } from './types';

export const vprCoded: Layout = {
  id: 'vpr-coded',
  title: 'ВПР: выгрузка с кодами столбцов (user, code, a-N-grade)',
  recognise: (input) => (resultColumns(input).isResults && input.norm.some((n) => /^a \d+ grade$/.test(n)) ? 0.9 : 0),
  // `user` is the school login, `code` the participant, `otc` the journal mark.
  map: (input) =>
    resultsMapping(input, 'vpr-coded', (columns) => {
      for (const c of columns) if (normalizeTitle(c.header) === 'user') c.field = 'school_id';
    }),
};
