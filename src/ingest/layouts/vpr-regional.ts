/** ВПР regional export (2021): `логин школы`, `регион`, `код обучающегося`, `всего баллов`, `балл за N`, `Учебник`, `Др.уч. автор`, `Др.уч. название`. */
import { hasTitle } from './common';
import { resultColumns, resultsMapping } from './results-common';
import type { Layout } from './types';

export const vprRegional: Layout = {
  id: 'vpr-regional',
  title: 'ВПР: региональная выгрузка (балл за N)',
  recognise: (input) =>
    resultColumns(input).isResults && input.norm.some((n) => n.startsWith('балл за ')) ? 0.9 + (hasTitle(input, 'логин школы', 'код обучающегося') ? 0.05 : 0) : 0,
  map: (input) => resultsMapping(input, 'vpr-regional'),
};
