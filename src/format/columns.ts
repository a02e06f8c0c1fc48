/**
 * How a result column is shown: its Russian title and the one format of its cells. Share
 * columns (0…1 by name) become percents, school-code columns become school names, dimension
 * and indicator codes become their titles. Used by the grid and by every exporter.
 */
import { formatValue } from './number';
import { columnTitle, dimensionTitle, dimensionValueTitle, indicatorTitle, isSchoolColumn, russianNumbersInText } from './titles';
import { schoolHover, schoolLabel, type SchoolNames } from './schools';

/** Names of share columns (values 0…1 shown as percent): `low_share`, `pct`, «Доля …», «Успеваемость», «Качество». */
export const PERCENT_NAME = /(^|_)(share|pct|percent|rate)$|^(доля|процент|удельный вес)|^(успеваемость|качество( знаний)?)$/i;

export type CellKind = 'school' | 'indicator' | 'dimension' | 'dimension_value' | 'percent' | 'code' | 'value';

/** Columns of codes that look like numbers («4.1» is a task, not four point one). */
const CODE_NAME = /(^|_)(task|variant|class|code|id)$|^(задание|вариант|класс|код)/i;

/** The kind of a column from its name and (for shares) its values. */
export function columnKind(name: string, values: readonly unknown[] = []): CellKind {
  const n = name.trim();
  if (isSchoolColumn(n)) return 'school';
  if (n === 'indicator_id' || n === 'Критерий') return 'indicator';
  if (n === 'dimension') return 'dimension';
  if (/^(dimension_value|reasons|Основания?|Признак|Примечание)$/.test(n)) return 'dimension_value';
  if (CODE_NAME.test(n)) return 'code';
  if (PERCENT_NAME.test(n)) {
    const nums = values.filter((v) => v !== null && v !== undefined).map(Number);
    if (nums.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)) return 'percent';
  }
  return 'value';
}

/** Display text of one cell of a column of that kind. */
export function cellDisplay(value: unknown, kind: CellKind, names?: SchoolNames): string {
  if (value === null || value === undefined) return '';
  switch (kind) {
    case 'school':
      return schoolLabel(value, names);
    case 'indicator':
      return String(value);
    case 'dimension':
      return dimensionTitle(String(value));
    case 'dimension_value':
      return dimensionValueTitle(String(value));
    case 'percent':
      return formatValue(value, 'pct');
    case 'code':
      return typeof value === 'string' ? value : formatValue(value);
    default:
      // Numbers a query turned into text («-1.5», «[1.2; 3.4]») still read with a decimal comma.
      if (typeof value === 'string') return /^-?\d+\.\d+$/.test(value) ? value.replace('.', ',') : russianNumbersInText(value);
      return formatValue(value);
  }
}

/** Hover text of a cell: the code behind a school name or an indicator title. */
export function cellHover(value: unknown, kind: CellKind, names?: SchoolNames): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (kind === 'school') return schoolHover(value, names);
  if (kind === 'indicator') return indicatorTitle(String(value));
  if (kind === 'dimension') return String(value);
  return undefined;
}

export { columnTitle };

/** Bounds of an interval (`ci_low`, `cl_high`, `low`, …): shown like the share they bound. */
const BOUND_NAME = /(^|_)(low|high|lo|hi)$/i;

/**
 * Kinds of all columns of one table: as `columnKind`, and interval bounds of a table that has a
 * percent column become percents too (0,64 beside 69,8 % was one value in two formats).
 */
export function tableKinds(names: readonly string[], valuesOf: (name: string) => readonly unknown[]): CellKind[] {
  const kinds = names.map((n) => columnKind(n, valuesOf(n)));
  if (!kinds.includes('percent')) return kinds;
  return kinds.map((k, i) => {
    if (k !== 'value' || !BOUND_NAME.test(names[i]!)) return k;
    const nums = valuesOf(names[i]!).filter((v) => v !== null && v !== undefined).map(Number);
    return nums.every((v) => Number.isFinite(v) && v >= 0 && v <= 1) ? 'percent' : k;
  });
}
