/**
 * THE presentation layer: Russian titles, school names and one number format for tables, charts,
 * Markdown, reports and exports. Everything a reader sees goes through these functions.
 */
export * from './number';
export * from './chart';
export * from './titles';
export * from './schools';
export { INDICATOR_TITLES } from './indicator-titles';
import { optionTitle } from './titles';
import { schoolOptionLabel } from './schools';

/** What a select parameter shows for an option: a school's name, a dimension's title, else the value. */
export const paramOptionLabel = (value: string | number): string => {
  const school = schoolOptionLabel(value);
  return school !== String(value) ? school : optionTitle(value);
};
export * from './columns';
