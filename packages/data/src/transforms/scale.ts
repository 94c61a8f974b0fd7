import type { Generator } from '@fovea/core';
import type { HostTensor } from '../host.js';
import type { Transform } from './transform.js';

/**
 * Converts raw pixels to float32 in [0, 1] (uint8 values times `scale`, 1/255 by default), like
 * torchvision's ToTensor; float32 input is already converted and passes through unchanged.
 */
export class ToFloat implements Transform {
  constructor(readonly scale = 1 / 255) {}

  apply(x: HostTensor, _rng?: Generator): HostTensor {
    if (x.data instanceof Float32Array) return x;
    const out = new Float32Array(x.data.length);
    for (let i = 0; i < out.length; i++) out[i] = x.data[i]! * this.scale;
    return { data: out, shape: x.shape };
  }
}
