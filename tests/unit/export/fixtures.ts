import type { Row } from '../../../src/db/connector';
import { fromRows } from '../../../src/export/table';

/** A small result table with every kind of value a report holds. */
export const ROWS: Row[] = [
  { school_id: 'ОО-001', name: 'МБОУ «СОШ № 1»; корпус 2', participants: 120, mean_score: 63.25, low_share: 0.125, exam_date: '2025-05-21', shnor: false },
  { school_id: 'ОО-002', name: 'Лицей "Эврика"', participants: 45, mean_score: 71.5, low_share: 0.0444, exam_date: '2025-05-22', shnor: true },
  { school_id: 'ОО-003', name: 'ООШ с. Берёзовка\nфилиал', participants: 1234, mean_score: 48.125, low_share: 0.31, exam_date: null, shnor: null },
];

export const TABLE = () =>
  fromRows(ROWS, {
    school_id: { title: 'Код ОО' },
    name: { title: 'Наименование' },
    participants: { title: 'Участников' },
    mean_score: { title: 'Средний балл', digits: 2 },
    low_share: { title: 'Доля не преодолевших порог' },
    exam_date: { title: 'Дата' },
    shnor: { title: 'ШНОР' },
  });
