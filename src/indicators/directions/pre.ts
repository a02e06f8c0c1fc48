import { DOO_WHERE, dooFlagShare, monitoringRatio, sumWithUnitsAboveZero } from '../monitoring';
import type { IndicatorDef } from '../types';

/** PRE indicators read monitoring rows of ДОО only, so they need schools.school_type too. */
const READS = { monitoring: ['year', 'school_id', 'code', 'value'], schools: ['year', 'school_id', 'school_type'] };

function flag(id: string, title: string, code: string): IndicatorDef {
  return { id, direction: 'PRE', title, reads: READS, monitoringCodes: [code], compute: (ctx) => dooFlagShare(ctx, id, [code], `${code} = 1`) };
}

function ratio(id: string, title: string, num: string, den: string): IndicatorDef {
  return { id, direction: 'PRE', title, reads: READS, monitoringCodes: [num, den], compute: (ctx) => monitoringRatio(ctx, id, num, den, DOO_WHERE) };
}

/** PRE-08: complaints per ДОО and in total; plus, for the municipality, the number of ДОО with any. */
const complaints = () => sumWithUnitsAboveZero('PRE-08', 'dou_complaints', 'flag', 'ДОО с обращениями', DOO_WHERE);

export const indicators: IndicatorDef[] = [
  flag('PRE-01', 'Доля ДОО, где структура и содержание ОП ДО соответствуют ФГОС ДО', 'dou_program_fgos'),
  flag('PRE-02', 'Доля ДОО, где создана современная образовательная среда', 'dou_modern_environment'),
  flag('PRE-03', 'Доля ДОО с систематической работой с семьёй', 'dou_family_work'),
  ratio('PRE-04', 'Численность детей в расчёте на 1 педагогического работника', 'dou_children', 'dou_pedagogues'),
  ratio('PRE-05', 'Доля педагогических работников с высшим образованием', 'dou_pedagogues_higher_ed', 'dou_pedagogues'),
  ratio(
    'PRE-06',
    'Доля педагогических работников (без внешних совместителей) с высшей категорией',
    'dou_pedagogues_highest_cat',
    'dou_pedagogues_staff',
  ),
  flag('PRE-07', 'Доля ДОО, обеспечивающих 100% безопасные условия', 'dou_safe_conditions'),
  {
    id: 'PRE-08',
    direction: 'PRE',
    title: 'Наличие обращений граждан о ненадлежащем качестве присмотра и ухода',
    reads: READS,
    monitoringCodes: ['dou_complaints'],
    compute: complaints,
  },
  flag('PRE-09', 'Доля ДОО с заключением Роспотребнадзора о полном соответствии СанПиН', 'dou_sanpin_ok'),
  {
    id: 'PRE-10',
    direction: 'PRE',
    title: 'Доля ДОО, где удовлетворены качеством ≥ 95% родителей',
    reads: READS,
    monitoringCodes: ['dou_parents_satisfied', 'dou_parents_surveyed'],
    compute: (ctx) =>
      dooFlagShare(ctx, 'PRE-10', ['dou_parents_satisfied', 'dou_parents_surveyed'], 'dou_parents_satisfied / NULLIF(dou_parents_surveyed, 0) >= 0.95'),
  },
  flag('PRE-11', 'Доля ДОО с индивидуальной работой по поддержке развития детей в семье', 'dou_individual_family_support'),
  flag('PRE-12', 'Доля ДОО, имеющих действующие программы развития', 'dou_development_program'),
  {
    id: 'PRE-13',
    direction: 'PRE',
    title: 'Количество ДОО, участвующих в программах и проектах разного уровня',
    reads: READS,
    monitoringCodes: ['dou_projects'],
    // Per ДОО: 1 or 0; municipality: the number of ДОО (value = numerator), denominator = ДОО that reported.
    compute: (ctx) => dooFlagShare(ctx, 'PRE-13', ['dou_projects'], 'dou_projects > 0', true),
  },
];
