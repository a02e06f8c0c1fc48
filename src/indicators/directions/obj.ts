import type { IndicatorDef } from '../types';

export const indicators: IndicatorDef[] = [];
