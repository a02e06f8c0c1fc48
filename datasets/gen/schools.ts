/** The demo municipality: its schools, kindergartens and the planted effects. */

export type Settlement = 'город' | 'пгт' | 'село';
export type SchoolType = 'СОШ' | 'ООШ' | 'НОШ' | 'лицей' | 'гимназия' | 'школа-интернат' | 'ДОО';

export interface SchoolDef {
  no: number;
  id: string;
  name: string;
  settlement: Settlement;
  type: SchoolType;
  /** Parallel classes per grade 1–9. */
  k: number;
  /** Mean class size. */
  size: number;
  /** Classes in grades 10–11 (0 for НОШ/ООШ). */
  k10: number;
  socialIndex: number;
  shnsu: boolean;
}

export const MUNICIPALITY = 'Светлоозёрский муниципальный район';
export const MUNICIPALITY_CODE = '2201';
export const REGION_LOGIN = 'reg220000';
export const REGION_NAME = 'Демонстрационный регион';
export const YEARS = [2022, 2023, 2024] as const;

const S = (no: number, name: string, settlement: Settlement, type: SchoolType, k: number, size: number, k10: number, socialIndex: number, shnsu = false): SchoolDef => ({
  no,
  id: `2200${String(no).padStart(2, '0')}`,
  name,
  settlement,
  type,
  k,
  size,
  k10,
  socialIndex,
  shnsu,
});

export const SCHOOLS: SchoolDef[] = [
  S(1, 'МБОУ «Лицей № 1» г. Светлоозёрска', 'город', 'лицей', 1, 14, 2, 0.92),
  S(2, 'МБОУ «Гимназия № 2» г. Светлоозёрска', 'город', 'гимназия', 1, 13, 1, 0.85),
  S(3, 'МБОУ «СОШ № 3» г. Светлоозёрска', 'город', 'СОШ', 1, 12, 1, 0.41),
  S(4, 'МБОУ «СОШ № 4» г. Светлоозёрска', 'город', 'СОШ', 2, 9, 1, 0.35),
  S(5, 'МБОУ «СОШ № 5» г. Светлоозёрска', 'город', 'СОШ', 1, 11, 1, 0.18),
  S(6, 'МБОУ «СОШ № 6» г. Светлоозёрска', 'город', 'СОШ', 1, 10, 1, 0.27),
  S(7, 'МБОУ «Начальная школа № 7» г. Светлоозёрска', 'город', 'НОШ', 1, 12, 0, 0.3),
  S(8, 'МБОУ «Октябрьская СОШ № 1»', 'пгт', 'СОШ', 1, 9, 1, 0.05),
  S(9, 'МБОУ «Октябрьская СОШ № 2»', 'пгт', 'СОШ', 1, 8, 1, -0.08),
  S(10, 'МБОУ «Октябрьская ООШ»', 'пгт', 'ООШ', 1, 7, 0, -0.2),
  S(11, 'КГБОУ «Лесозаводская школа-интернат»', 'пгт', 'школа-интернат', 1, 8, 1, -1.15, true),
  S(12, 'МБОУ «Лесозаводская СОШ»', 'пгт', 'СОШ', 1, 8, 1, -0.02),
  S(13, 'МБОУ «Лесозаводская начальная школа»', 'пгт', 'НОШ', 1, 7, 0, -0.12),
  S(14, 'МБОУ «Берёзовская СОШ»', 'село', 'СОШ', 1, 5, 1, -0.35),
  S(15, 'МБОУ «Ивановская СОШ»', 'село', 'СОШ', 1, 5, 1, -0.41),
  S(16, 'МБОУ «Каменская СОШ»', 'село', 'СОШ', 1, 8, 1, -1.05, true),
  S(17, 'МБОУ «Луговская СОШ»', 'село', 'СОШ', 1, 4, 1, -0.48),
  S(18, 'МБОУ «Никольская СОШ»', 'село', 'СОШ', 1, 5, 1, -0.3),
  S(19, 'МБОУ «Покровская СОШ»', 'село', 'СОШ', 1, 4, 1, -0.95, true),
  S(20, 'МБОУ «Сосновская СОШ»', 'село', 'СОШ', 1, 8, 1, -0.62),
  S(21, 'МБОУ «Яснополянская СОШ»', 'село', 'СОШ', 1, 5, 1, -0.25),
  S(22, 'МБОУ «Дубровская ООШ»', 'село', 'ООШ', 1, 4, 0, -0.58),
  S(23, 'МБОУ «Ключевская ООШ»', 'село', 'ООШ', 1, 3, 0, -0.7),
  S(24, 'МБОУ «Малиновская ООШ»', 'село', 'ООШ', 1, 4, 0, -1.1, true),
  S(25, 'МБОУ «Озёрская ООШ»', 'село', 'ООШ', 1, 3, 0, -0.66),
  S(26, 'МБОУ «Петровская ООШ»', 'село', 'ООШ', 1, 4, 0, -0.52),
  S(27, 'МБОУ «Раздольненская ООШ»', 'село', 'ООШ', 1, 3, 0, -0.74),
  S(28, 'МБОУ «Зеленорощинская начальная школа»', 'село', 'НОШ', 1, 3, 0, -0.6),
  S(29, 'МБОУ «Сухологская начальная школа»', 'село', 'НОШ', 1, 3, 0, -0.8),
  S(30, 'МБОУ «Раздольненская СОШ»', 'село', 'СОШ', 1, 5, 1, -0.45),
];

/** Kindergartens (ДОО): no assessment results, staff and dou_* monitoring only. */
export interface DooDef {
  no: number;
  id: string;
  name: string;
  settlement: Settlement;
  children: number;
  socialIndex: number;
}
const D = (no: number, name: string, settlement: Settlement, children: number, socialIndex: number): DooDef => ({
  no,
  id: `2201${String(no).padStart(2, '0')}`,
  name,
  settlement,
  children,
  socialIndex,
});
export const DOOS: DooDef[] = [
  D(1, 'МБДОУ «Детский сад № 1 «Солнышко»» г. Светлоозёрска', 'город', 182, 0.6),
  D(2, 'МБДОУ «Детский сад № 2 «Берёзка»» г. Светлоозёрска', 'город', 165, 0.5),
  D(3, 'МБДОУ «Детский сад № 3 «Ромашка»» г. Светлоозёрска', 'город', 148, 0.42),
  D(4, 'МБДОУ «Детский сад № 4 «Радуга»» г. Светлоозёрска', 'город', 196, 0.38),
  D(5, 'МБДОУ «Октябрьский детский сад «Колосок»»', 'пгт', 96, -0.05),
  D(6, 'МБДОУ «Лесозаводский детский сад «Ёлочка»»', 'пгт', 84, -0.1),
  D(7, 'МБДОУ «Берёзовский детский сад»', 'село', 38, -0.4),
  D(8, 'МБДОУ «Никольский детский сад»', 'село', 41, -0.35),
  D(9, 'МБДОУ «Покровский детский сад»', 'село', 27, -0.9),
  D(10, 'МБДОУ «Яснополянский детский сад»', 'село', 33, -0.3),
];

export const maxGrade = (s: SchoolDef): number => (s.type === 'НОШ' ? 4 : s.type === 'ООШ' ? 9 : 11);

/** Planted effects; the sizes are in units of student ability (sd 1) and are documented in README.md. */
export const PLANTED = {
  settlement: { город: 0, пгт: -0.15, село: -0.35 } as Record<Settlement, number>,
  categoryEffect: { высшая: 0.3, первая: 0.1, 'соответствие занимаемой должности': -0.1, 'без категории': -0.3 } as Record<string, number>,
  textbook: {
    subject: 'Математика',
    grades: [5, 6],
    name: 'Сорокин П.И. и др. «Математика» (вымышленный учебник)',
    schools: ['220003', '220008', '220012', '220014', '220018'],
    effect: -0.7,
  },
  lowSchools: { schools: ['220011', '220016', '220020'], effect: -1.2 },
  inflatedVpr: { schools: ['220009', '220015'] },
  cohortJump: { school: '220004', grade: 4, year: 2023, effectBefore: 0.8, effectAfter: -2.2 },
  /** Extra ability of lyceum and gymnasium students (selection), not a planted effect. */
  eliteEffect: 0,
};
