/** ВПР «Классы» sheet: class → textbook (`Основной учебник по предмету`, `Другое (автор/название учебника)`). */
import { CLASS_INDEX } from '../synonyms';
import { mapWith, mappingOf } from './common';
import type { Layout, LayoutInput } from './types';

const columnsOf = (input: LayoutInput) => mapWith(input, CLASS_INDEX);

export const vprClasses: Layout = {
  id: 'vpr-classes',
  title: 'ВПР: лист «Классы»',
  recognise: (input) => {
    const f = new Set(columnsOf(input).map((c) => c.field));
    const textbook = f.has('textbook') || f.has('textbook_other') || f.has('textbook_author') || f.has('textbook_title');
    if (!f.has('class') || !textbook || f.has('teacher_id') || input.norm.some((n) => n.startsWith('балл за') || n === 'итого баллов')) return 0;
    return 0.75 + (input.sheet === 'Классы' ? 0.15 : 0);
  },
  map: (input) => mappingOf(input, 'vpr-classes', 'class_teaching', columnsOf(input)),
};
