import { ValueError, type Generator } from '@fovea/core';
import { chw, type HostTensor } from '../host.js';
import { crop } from './crop.js';
import { pair, resize } from './resize.js';
import { rngOr, type Transform } from './transform.js';

export interface RandomResizedCropOptions {
  /** Range of the crop's area as a fraction of the image's (default [0.08, 1]). */
  scale?: readonly [number, number];
  /** Range of the crop's width/height ratio, drawn log-uniformly (default [3/4, 4/3]). */
  ratio?: readonly [number, number];
}

/**
 * A crop of random area and aspect ratio, resized to `size` (antialiased) — the Inception-style
 * augmentation.
 * Ten tries for a window that fits; then the largest centred window within the ratio range.
 */
export class RandomResizedCrop implements Transform {
  readonly size: [number, number];
  readonly scale: readonly [number, number];
  readonly ratio: readonly [number, number];

  constructor(size: number | readonly [number, number], options: RandomResizedCropOptions = {}) {
    this.size = pair(size, 'RandomResizedCrop');
    this.scale = options.scale ?? [0.08, 1];
    this.ratio = options.ratio ?? [3 / 4, 4 / 3];
    if (!(this.scale[0] > 0 && this.scale[0] <= this.scale[1])) throw new ValueError(`RandomResizedCrop: bad scale range [${this.scale.join(', ')}]`);
    if (!(this.ratio[0] > 0 && this.ratio[0] <= this.ratio[1])) throw new ValueError(`RandomResizedCrop: bad ratio range [${this.ratio.join(', ')}]`);
  }

  /** The window [top, left, h, w] for an H×W image. */
  window(H: number, W: number, rng: Generator): [number, number, number, number] {
    const area = H * W;
    const [logLo, logHi] = [Math.log(this.ratio[0]), Math.log(this.ratio[1])];
    for (let attempt = 0; attempt < 10; attempt++) {
      const target = area * (this.scale[0] + (this.scale[1] - this.scale[0]) * rng.uniform());
      const aspect = Math.exp(logLo + (logHi - logLo) * rng.uniform());
      const w = Math.round(Math.sqrt(target * aspect));
      const h = Math.round(Math.sqrt(target / aspect));
      if (w > 0 && h > 0 && w <= W && h <= H) return [rng.integer(0, H - h + 1), rng.integer(0, W - w + 1), h, w];
    }
    const aspect = Math.min(Math.max(W / H, this.ratio[0]), this.ratio[1]);
    const [h, w] = W / H > aspect ? [H, Math.round(H * aspect)] : [Math.round(W / aspect), W];
    return [Math.floor((H - h) / 2), Math.floor((W - w) / 2), h, w];
  }

  apply(x: HostTensor, rng?: Generator): HostTensor {
    const { h: H, w: W } = chw(x, 'RandomResizedCrop');
    return resize(crop(x, ...this.window(H, W, rngOr(rng))), this.size, { antialias: true });
  }
}
