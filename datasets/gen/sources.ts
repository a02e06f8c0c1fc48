/** The demo world in the layouts users actually receive (filled in step 3). */
import type { Extras } from './canonical';
import type { World } from './world';

export function buildSources(_world: World, _extras: Extras): Map<string, Uint8Array> {
  return new Map();
}
