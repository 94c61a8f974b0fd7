import { Generator } from '@fovea/core';

/**
 * The generator for one sample's random transforms: a pure function of the epoch's seed and the
 * sample's index, so augmentation does not depend on batch order, prefetching or resumption.
 */
export function sampleGenerator(epochSeed: number, index: number): Generator {
  let h = Math.imul(epochSeed ^ 0x9e3779b9, 0x85ebca6b) ^ index;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return new Generator((h ^ (h >>> 16)) >>> 0);
}
