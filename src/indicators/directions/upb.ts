import { monitoringCount, monitoringRatioByDimension } from '../monitoring';
import { TEACHER_POSITIONS, hasActivity, staffBase, unitAggregate } from '../rowshares';
import type { IndicatorDef } from '../types';

const MON = { monitoring: ['year', 'school_id', 'code', 'value'] };
/** Education levels of UPB-03/04: dimension 'level', values НОО/ООО/СОО, code suffixes noo/ooo/soo. */
export const EDUCATION_LEVELS = [
  { value: 'НОО', suffix: 'noo' },
  { value: 'ООО', suffix: 'ooo' },
  { value: 'СОО', suffix: 'soo' },
] as const;

function byLevel(prefix: string) {
  return EDUCATION_LEVELS.map((l) => ({ value: l.value, num: `${prefix}_${l.suffix}`, den: `students_${l.suffix}` }));
}
const codesOf = (prefix: string) => byLevel(prefix).flatMap((p) => [p.num, p.den]);

function count(id: string, title: string, code: string): IndicatorDef {
  return { id, direction: 'UPB', title, reads: MON, monitoringCodes: [code], compute: (ctx) => monitoringCount(ctx, id, code) };
}

export const indicators: IndicatorDef[] = [
  {
    id: 'UPB-01',
    direction: 'UPB',
    title: 'Доля педагогов, прошедших подготовку по приоритетным направлениям воспитания',
    reads: { staff: ['year', 'staff_id', 'school_id', 'position'], staff_activities: ['year', 'staff_id', 'activity'] },
    compute: (ctx) => unitAggregate(ctx, { id: 'UPB-01', base: staffBase(TEACHER_POSITIONS, hasActivity('upbringing_training')) }),
  },
  count('UPB-02', 'Количество реализованных программ воспитания и социализации', 'upbringing_programs'),
  {
    id: 'UPB-03',
    direction: 'UPB',
    title: 'Доля обучающихся (по уровням образования), участвующих в добровольчестве (волонтёрстве)',
    reads: MON,
    monitoringCodes: codesOf('volunteers'),
    compute: (ctx) => monitoringRatioByDimension(ctx, 'UPB-03', 'level', byLevel('volunteers')),
  },
  {
    id: 'UPB-04',
    direction: 'UPB',
    title: 'Доля обучающихся (по уровням), охваченных индивидуальной профилактической работой',
    reads: MON,
    monitoringCodes: codesOf('prevention'),
    compute: (ctx) => monitoringRatioByDimension(ctx, 'UPB-04', 'level', byLevel('prevention')),
  },
  count('UPB-05', 'Количество первичных отделений детско-юношеской организации (РДШ / «Движение первых»)', 'youth_org_branches'),
  count('UPB-06', 'Количество добровольческих (волонтёрских) объединений в ОО', 'volunteer_associations'),
];
