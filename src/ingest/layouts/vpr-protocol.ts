/** ВПР «Протокол» sheet (2022): `Пользователь`, `Школа` = `edu… | name`, `Код`, task columns `1 (1б)`, `Итого баллов`. */
import { hasTitle } from './common';
import { resultColumns, resultsMapping } from './results-common';
import type { Layout } from './types';

export const vprProtocol: Layout = {
  id: 'vpr-protocol',
  title: 'ВПР: «Протокол»',
  recognise: (input) =>
    resultColumns(input).isResults && (hasTitle(input, 'итого баллов') || hasTitle(input, 'пользователь')) ? 0.8 + (input.sheet === 'Протокол' ? 0.1 : 0) : 0,
  map: (input) => resultsMapping(input, 'vpr-protocol'),
};
