/** datasets/demo/planted.json: the planted effects, machine-readable for other tests. */
import { PLANTED, SCHOOLS } from './schools';

export function plantedJson(seed: number) {
  return {
    seed,
    settlement_gap: { dimension: 'settlement_type', lower: 'село', higher: 'город', ability_gap_sd: PLANTED.settlement.город - PLANTED.settlement.село, ability_shift_sd: PLANTED.settlement },
    teacher_category_gradient: { order: ['высшая', 'первая', 'соответствие занимаемой должности', 'без категории'], ability_shift_sd: PLANTED.categoryEffect },
    textbook: { subject: PLANTED.textbook.subject, procedure: 'ВПР', grades: PLANTED.textbook.grades, textbook: PLANTED.textbook.name, schools: PLANTED.textbook.schools, ability_shift_sd: PLANTED.textbook.effect },
    low_results_schools: { indicator: 'LOW-01', schools: PLANTED.lowSchools.schools, ability_shift_sd: PLANTED.lowSchools.effect },
    inflated_vpr_schools: { indicators: ['OBJ-01', 'OBJ-02', 'OBJ-03'], procedure: 'ВПР', schools: PLANTED.inflatedVpr.schools },
    cohort_jump: {
      indicator: 'OBJ-04',
      school: PLANTED.cohortJump.school,
      procedure: 'ВПР',
      from: { year: PLANTED.cohortJump.year, grade: PLANTED.cohortJump.grade },
      to: { year: PLANTED.cohortJump.year + 1, grade: PLANTED.cohortJump.grade + 1 },
      direction: 'drop',
    },
    shnsu_schools: SCHOOLS.filter((s) => s.shnsu).map((s) => s.id),
    /** Other flags the default rules raise on this seed (measured by datasets/gen/verify.ts; see README). */
    incidental: {
      'LOW-01': ['220018'],
      'OBJ-04': [],
    },
  };
}
