/**
 * «Индивидуальные результаты»: a title row, a row per school «<name> (eduNNNNNN) | Кол-во
 * участников: N», then `ОО`, `Название ОО`, `Код участника`, task columns `9.1 (1б)`, `Первичный балл`.
 */
import { hasTitle } from './common';
import { resultColumns, resultsMapping } from './results-common';
import type { Layout } from './types';

export const vprIndividual: Layout = {
  id: 'vpr-individual',
  title: 'ВПР: «Индивидуальные результаты»',
  recognise: (input) => {
    if (!resultColumns(input).isResults) return 0;
    if (input.firstSchool) return 0.92;
    return hasTitle(input, 'первичный балл') && hasTitle(input, 'оо') ? 0.85 : 0;
  },
  map: (input) => resultsMapping(input, 'vpr-individual'),
};
