/**
 * THE presentation layer: Russian titles, school names and one number format for tables, charts,
 * Markdown, reports and exports. Everything a reader sees goes through these functions.
 */
export * from './number';
export * from './chart';
export * from './titles';
export * from './schools';
export { INDICATOR_TITLES } from './indicator-titles';
export * from './columns';
