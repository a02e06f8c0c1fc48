import type { IndicatorDef } from './types';
import { indicators as prep } from './directions/prep';
import { indicators as gia } from './directions/gia';
import { indicators as low } from './directions/low';
import { indicators as obj } from './directions/obj';
import { indicators as tal } from './directions/tal';
import { indicators as car } from './directions/car';
import { indicators as mgr } from './directions/mgr';
import { indicators as ped } from './directions/ped';
import { indicators as upb } from './directions/upb';
import { indicators as pre } from './directions/pre';

/** Every indicator of ../shared/indicators.md, in catalogue order. */
export const INDICATORS: IndicatorDef[] = [...prep, ...gia, ...low, ...obj, ...tal, ...car, ...mgr, ...ped, ...upb, ...pre];
