import { ValueError, type Generator } from '@fovea/core';
import { allocLike, chw, type HostTensor } from '../host.js';
import { pair } from './resize.js';
import { rngOr, type Transform } from './transform.js';

/** The [h, w] window of a CHW image whose top-left pixel is (top, left). */
export function crop(x: HostTensor, top: number, left: number, h: number, w: number): HostTensor {
  const { c, h: H, w: W } = chw(x, 'crop');
  if (top < 0 || left < 0 || top + h > H || left + w > W || h < 1 || w < 1) {
    throw new ValueError(`crop: window ${h}x${w} at (${top}, ${left}) does not fit a ${H}x${W} image`);
  }
  const out = allocLike(x.data, c * h * w);
  for (let ch = 0; ch < c; ch++) {
    for (let i = 0; i < h; i++) {
      const src = (ch * H + top + i) * W + left;
      out.set(x.data.subarray(src, src + w), (ch * h + i) * w);
    }
  }
  return { data: out, shape: [c, h, w] };
}

/** Pads every side of a CHW image by `padding` pixels of value `fill`. */
export function pad(x: HostTensor, padding: number, fill = 0): HostTensor {
  const { c, h, w } = chw(x, 'pad');
  if (padding === 0) return x;
  const [H, W] = [h + 2 * padding, w + 2 * padding];
  const out = allocLike(x.data, c * H * W).fill(fill);
  for (let ch = 0; ch < c; ch++) {
    for (let i = 0; i < h; i++) out.set(x.data.subarray((ch * h + i) * w, (ch * h + i + 1) * w), (ch * H + i + padding) * W + padding);
  }
  return { data: out, shape: [c, H, W] };
}

/** Python's round(): halves go to the even neighbour — how torchvision centres its crops. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The centred [h, w] window (torchvision's offsets, so crops match PyTorch pixel for pixel). */
export function centerCrop(x: HostTensor, size: number | readonly [number, number]): HostTensor {
  const { h: H, w: W } = chw(x, 'centerCrop');
  const [h, w] = pair(size, 'centerCrop');
  return crop(x, roundHalfEven((H - h) / 2), roundHalfEven((W - w) / 2), h, w);
}

export class CenterCrop implements Transform {
  readonly size: [number, number];

  constructor(size: number | readonly [number, number]) {
    this.size = pair(size, 'CenterCrop');
  }

  apply(x: HostTensor, _rng?: Generator): HostTensor {
    return centerCrop(x, this.size);
  }
}

export interface RandomCropOptions {
  /** Pixels of `fill` added on every side before cropping (default 0). */
  padding?: number;
  fill?: number;
}

/** A window at a random position, after optional padding — the CIFAR augmentation of §7.2.2. */
export class RandomCrop implements Transform {
  readonly size: [number, number];
  readonly padding: number;
  readonly fill: number;

  constructor(size: number | readonly [number, number], options: RandomCropOptions = {}) {
    this.size = pair(size, 'RandomCrop');
    this.padding = options.padding ?? 0;
    this.fill = options.fill ?? 0;
    if (!Number.isInteger(this.padding) || this.padding < 0) throw new ValueError(`RandomCrop: padding must be a non-negative integer, got ${this.padding}`);
  }

  apply(x: HostTensor, rng?: Generator): HostTensor {
    const padded = pad(x, this.padding, this.fill);
    const { h: H, w: W } = chw(padded, 'RandomCrop');
    const [h, w] = this.size;
    if (h > H || w > W) throw new ValueError(`RandomCrop: ${h}x${w} crop from a ${H}x${W} (padded) image`);
    const g = rngOr(rng);
    const top = g.integer(0, H - h + 1);
    return crop(padded, top, g.integer(0, W - w + 1), h, w);
  }
}
