import { ValueError, type Generator } from '@fovea/core';
import { allocLike, chw, type HostTensor } from '../host.js';
import { rngOr, type Transform } from './transform.js';

/** Mirrors a CHW image left to right. */
export function hflip(x: HostTensor): HostTensor {
  const { c, h, w } = chw(x, 'hflip');
  const out = allocLike(x.data, x.data.length);
  for (let row = 0; row < c * h; row++) {
    for (let j = 0; j < w; j++) out[row * w + j] = x.data[row * w + w - 1 - j]!;
  }
  return { data: out, shape: x.shape };
}

/** Mirrors with probability `p` (default 0.5). */
export class RandomHorizontalFlip implements Transform {
  constructor(readonly p = 0.5) {
    if (!(p >= 0 && p <= 1)) throw new ValueError(`RandomHorizontalFlip: p must be in [0, 1], got ${p}`);
  }

  apply(x: HostTensor, rng?: Generator): HostTensor {
    return rngOr(rng).uniform() < this.p ? hflip(x) : x;
  }
}
