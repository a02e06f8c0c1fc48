import { monitoringCount, monitoringRatio } from '../monitoring';
import { WINNER_STATUSES, achievementsBase, graduatesBase, staffBase, hasActivity, unitAggregate } from '../rowshares';
import { inList } from '../sql';
import type { IndicatorDef } from '../types';

const ACH = ['year', 'student_id', 'school_id', 'kind', 'stage', 'status'];
const ACH_NAMED = [...ACH, 'name'];
const GRAD = ['year', 'student_id', 'school_id', 'grade', 'destination', 'profile'];
const OLYMPIAD = 'олимпиада';
const CONTEST = 'конкурс';
const isWinner = `a.status IN ${inList(WINNER_STATUSES)}`;
/** TAL-03/04 are about ВсОШ: an olympiad row named otherwise (a regional olympiad, say) is left out; an unnamed one counts. */
const VSOSH = `(a.name IS NULL OR a.name ILIKE '%ВсОШ%' OR lower(a.name) LIKE '%всероссийская олимпиада школьников%')`;

export const indicators: IndicatorDef[] = [
  {
    id: 'TAL-01',
    direction: 'TAL',
    title: 'Количество учащихся, участвующих в различных формах внеучебной работы (НОУ, исследовательские проекты)',
    reads: { monitoring: ['year', 'school_id', 'code', 'value'] },
    monitoringCodes: ['extracurricular_students'],
    compute: (ctx) => monitoringCount(ctx, 'TAL-01', 'extracurricular_students'),
  },
  {
    id: 'TAL-02',
    direction: 'TAL',
    title: 'Доля обучающихся 5–18 лет, охваченных дополнительным образованием',
    reads: { monitoring: ['year', 'school_id', 'code', 'value'] },
    monitoringCodes: ['children_5_18_in_additional_ed', 'children_5_18'],
    compute: (ctx) => monitoringRatio(ctx, 'TAL-02', 'children_5_18_in_additional_ed', 'children_5_18'),
  },
  {
    id: 'TAL-03',
    direction: 'TAL',
    title: 'Количество участников школьного, муниципального, регионального этапа ВсОШ',
    reads: { achievements: ACH_NAMED },
    compute: (ctx) => unitAggregate(ctx, { id: 'TAL-03', base: achievementsBase(OLYMPIAD, 'true', VSOSH), dimension: 'stage', total: false, kind: 'count' }),
  },
  {
    id: 'TAL-04',
    direction: 'TAL',
    title: 'Доля победителей и призёров школьного, муниципального, регионального этапа ВсОШ',
    reads: { achievements: ACH_NAMED },
    compute: (ctx) => unitAggregate(ctx, { id: 'TAL-04', base: achievementsBase(OLYMPIAD, isWinner, VSOSH), dimension: 'stage', total: false }),
  },
  {
    id: 'TAL-05',
    direction: 'TAL',
    title: 'Количество участников муниципальных, региональных, всероссийских конкурсов',
    reads: { achievements: ACH },
    compute: (ctx) => unitAggregate(ctx, { id: 'TAL-05', base: achievementsBase(CONTEST), dimension: 'level', total: false, kind: 'count' }),
  },
  {
    id: 'TAL-06',
    direction: 'TAL',
    title: 'Доля победителей и призёров конкурсов',
    reads: { achievements: ACH },
    compute: (ctx) => unitAggregate(ctx, { id: 'TAL-06', base: achievementsBase(CONTEST, isWinner), dimension: 'level', total: false }),
  },
  {
    id: 'TAL-07',
    direction: 'TAL',
    title: 'Доля детей с повышенным уровнем способностей, обучающихся по индивидуальным образовательным маршрутам',
    reads: { monitoring: ['year', 'school_id', 'code', 'value'] },
    monitoringCodes: ['gifted_individual_routes', 'gifted_students'],
    compute: (ctx) => monitoringRatio(ctx, 'TAL-07', 'gifted_individual_routes', 'gifted_students'),
  },
  {
    id: 'TAL-08',
    direction: 'TAL',
    title: 'Количество педагогов, прошедших курсовую подготовку по поддержке и развитию талантов',
    reads: { staff: ['year', 'staff_id', 'school_id'], staff_activities: ['year', 'staff_id', 'activity'] },
    compute: (ctx) => unitAggregate(ctx, { id: 'TAL-08', base: staffBase(null, hasActivity('talent_training')), kind: 'count' }),
  },
  {
    id: 'TAL-09',
    direction: 'TAL',
    title: 'Доля выпускников 11 кл. (профильных классов), поступивших в вузы',
    reads: { graduates: GRAD },
    compute: (ctx) =>
      unitAggregate(ctx, { id: 'TAL-09', base: graduatesBase(11, `g.destination = 'ВУЗ'`, 'g.profile'), dimension: 'profile' }),
  },
];
