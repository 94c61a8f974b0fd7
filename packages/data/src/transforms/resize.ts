import { ValueError, type Generator } from '@fovea/core';
import { allocLike, chw, type HostTensor } from '../host.js';
import type { Transform } from './transform.js';

/** `size` as [height, width]; a single number means a square. */
export function pair(size: number | readonly [number, number], who: string): [number, number] {
  const [h, w] = typeof size === 'number' ? [size, size] : size;
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1) throw new ValueError(`${who}: size must be positive integers, got ${JSON.stringify(size)}`);
  return [h, w];
}

/** Source coordinate and weight along one axis (half-pixel centres, like PyTorch's bilinear with align_corners=False). */
function axisTaps(inSize: number, outSize: number): { lo: Int32Array; hi: Int32Array; frac: Float32Array } {
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const frac = new Float32Array(outSize);
  const scale = inSize / outSize;
  for (let i = 0; i < outSize; i++) {
    const src = Math.max(0, (i + 0.5) * scale - 0.5);
    lo[i] = Math.min(Math.floor(src), inSize - 1);
    hi[i] = Math.min(lo[i]! + 1, inSize - 1);
    frac[i] = src - lo[i]!;
  }
  return { lo, hi, frac };
}

/** Bilinear resize of a CHW image; uint8 images stay uint8 (rounded). */
export function resize(x: HostTensor, size: number | readonly [number, number]): HostTensor {
  const { c, h, w } = chw(x, 'resize');
  const [oh, ow] = pair(size, 'resize');
  if (oh === h && ow === w) return x;
  const ys = axisTaps(h, oh);
  const xs = axisTaps(w, ow);
  const out = allocLike(x.data, c * oh * ow);
  const round = x.data instanceof Uint8Array;
  for (let ch = 0; ch < c; ch++) {
    const src = ch * h * w;
    for (let i = 0; i < oh; i++) {
      const r0 = src + ys.lo[i]! * w;
      const r1 = src + ys.hi[i]! * w;
      const fy = ys.frac[i]!;
      for (let j = 0; j < ow; j++) {
        const fx = xs.frac[j]!;
        const top = x.data[r0 + xs.lo[j]!]! * (1 - fx) + x.data[r0 + xs.hi[j]!]! * fx;
        const bottom = x.data[r1 + xs.lo[j]!]! * (1 - fx) + x.data[r1 + xs.hi[j]!]! * fx;
        const v = top * (1 - fy) + bottom * fy;
        out[(ch * oh + i) * ow + j] = round ? Math.round(v) : v;
      }
    }
  }
  return { data: out, shape: [c, oh, ow] };
}

/** Resizes every image to `size` ([h, w], or a square). */
export class Resize implements Transform {
  readonly size: [number, number];

  constructor(size: number | readonly [number, number]) {
    this.size = pair(size, 'Resize');
  }

  apply(x: HostTensor, _rng?: Generator): HostTensor {
    return resize(x, this.size);
  }
}
