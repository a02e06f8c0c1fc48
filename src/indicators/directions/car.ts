import { monitoringCount, monitoringRatio } from '../monitoring';
import { graduatesBase, unitAggregate } from '../rowshares';
import type { IndicatorDef, IndicatorRow, IndicatorContext } from '../types';

const GRAD = ['year', 'student_id', 'school_id', 'grade', 'destination'];
const MON = { monitoring: ['year', 'school_id', 'code', 'value'] };

function graduateShare(id: string, title: string, grade: number, condition: string, columns: string[]): IndicatorDef {
  return {
    id,
    direction: 'CAR',
    title,
    reads: { graduates: [...GRAD, ...columns] },
    compute: (ctx: IndicatorContext) => unitAggregate(ctx, { id, base: graduatesBase(grade, condition) }),
  };
}

function ratio(id: string, title: string, num: string, den: string): IndicatorDef {
  return { id, direction: 'CAR', title, reads: MON, monitoringCodes: [num, den], compute: (ctx) => monitoringRatio(ctx, id, num, den) };
}

function count(id: string, title: string, code: string): IndicatorDef {
  return { id, direction: 'CAR', title, reads: MON, monitoringCodes: [code], compute: (ctx) => monitoringCount(ctx, id, code) };
}

export const indicators: IndicatorDef[] = [
  graduateShare(
    'CAR-01',
    'Доля выпускников 11 кл., поступивших в ПОО и вузы по профилю обучения',
    11,
    `g.destination IN ('ВУЗ', 'ПОО') AND g.destination_by_profile`,
    ['destination_by_profile'],
  ),
  graduateShare('CAR-02', 'Доля выпускников 9 кл., поступивших в ПОО', 9, `g.destination = 'ПОО'`, []),
  graduateShare(
    'CAR-03',
    'Доля выпускников 9 кл., поступивших в ПОО по профилю и сдававших ГИА по предметам, близким к профилю',
    9,
    `g.destination = 'ПОО' AND g.destination_by_profile AND g.gia_subjects_match_profile`,
    ['destination_by_profile', 'gia_subjects_match_profile'],
  ),
  graduateShare('CAR-04', 'Доля выпускников 11 кл., поступивших в ПОО', 11, `g.destination = 'ПОО'`, []),
  graduateShare('CAR-05', 'Доля выпускников 11 кл., поступивших в вузы', 11, `g.destination = 'ВУЗ'`, []),
  graduateShare(
    'CAR-06',
    'Доля выпускников 11 кл., выбравших для ГИА предметы, соответствующие профилю обучения',
    11,
    'g.gia_subjects_match_profile',
    ['gia_subjects_match_profile'],
  ),
  {
    id: 'CAR-07',
    direction: 'CAR',
    title: 'Количество участников чемпионата профессионального мастерства («Молодые профессионалы»)',
    reads: { achievements: ['year', 'student_id', 'school_id', 'kind'] },
    compute: (ctx) =>
      unitAggregate(ctx, {
        id: 'CAR-07',
        kind: 'count',
        base: `SELECT CAST(year AS INTEGER) AS year, CAST(school_id AS VARCHAR) AS school_id, CAST(student_id AS VARCHAR) AS unit,
                 true AS num, true AS den FROM achievements WHERE kind = 'чемпионат'`,
      }),
  },
  ratio('CAR-08', 'Доля обучающихся 6–11 кл., охваченных проектом «Билет в будущее»', 'bilet_6_11', 'students_6_11'),
  ratio(
    'CAR-09',
    'Доля обучающихся, участвующих в профориентационных мероприятиях и конкурсах муниципального и межмуниципального уровней',
    'career_event_participants',
    'students_total',
  ),
  ratio('CAR-10', 'Доля обучающихся 6–11 кл., прошедших профориентационное тестирование, диагностику', 'career_tested_6_11', 'students_6_11'),
  count('CAR-11', 'Количество учащихся, охваченных долгосрочным профориентационным проектом', 'career_longterm_project'),
  count('CAR-12', 'Количество детей с ОВЗ, принявших участие в профориентационных мероприятиях', 'ovz_career_participants'),
  count('CAR-13', 'Количество учебных рабочих мест для профессиональных проб и практик', 'trial_workplaces'),
  ratio('CAR-14', 'Доля родителей, которым оказана адресная психолого-педагогическая помощь по профориентации', 'parents_helped', 'parents_total'),
  ratio('CAR-15', 'Доля обучающихся по программам дополнительного образования детей', 'students_in_additional_ed', 'students_total'),
];
