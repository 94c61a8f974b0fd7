import { ValueError, type Generator } from '@fovea/core';
import { allocLike, chw, type HostTensor } from '../host.js';
import { rngOr, type Transform } from './transform.js';

/** `size` as [height, width]; a single number means a square. */
export function pair(size: number | readonly [number, number], who: string): [number, number] {
  const [h, w] = typeof size === 'number' ? [size, size] : size;
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1) throw new ValueError(`${who}: size must be positive integers, got ${JSON.stringify(size)}`);
  return [h, w];
}

/** For each output index along one axis: the first input index it reads and normalised weights. */
interface Taps {
  first: Int32Array;
  /** `width` weights per output index (zero-padded). */
  weights: Float64Array;
  width: number;
}

/**
 * Triangle-filter taps (bilinear) with half-pixel centres. When shrinking with `antialias`, the
 * triangle is widened by the shrink factor so every input pixel contributes (PyTorch's
 * `antialias=True`, as PIL does); otherwise it is plain bilinear (`align_corners=False`).
 */
function axisTaps(inSize: number, outSize: number, antialias: boolean): Taps {
  const scale = inSize / outSize;
  const support = antialias && scale > 1 ? scale : 1;
  const width = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const weights = new Float64Array(outSize * width);
  for (let i = 0; i < outSize; i++) {
    const centre = (i + 0.5) * scale;
    const lo = Math.max(Math.trunc(centre - support + 0.5), 0);
    const hi = Math.min(Math.trunc(centre + support + 0.5), inSize);
    let total = 0;
    for (let x = lo; x < hi; x++) {
      const w = Math.max(0, 1 - Math.abs((x - centre + 0.5) / support));
      weights[i * width + x - lo] = w;
      total += w;
    }
    for (let k = 0; k < hi - lo; k++) weights[i * width + k]! /= total;
    first[i] = lo;
  }
  return { first, weights, width };
}

/** Resamples each of the `rows` contiguous rows of `inLen` values to `outLen` values. */
function resampleRows(src: Float64Array, rows: number, inLen: number, outLen: number, taps: Taps): Float64Array {
  const out = new Float64Array(rows * outLen);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < outLen; i++) {
      let v = 0;
      for (let k = 0; k < taps.width; k++) {
        const w = taps.weights[i * taps.width + k]!;
        if (w !== 0) v += w * src[r * inLen + taps.first[i]! + k]!;
      }
      out[r * outLen + i] = v;
    }
  }
  return out;
}

/** Resamples the columns of `planes` planes of [inLen, cols] values to [outLen, cols]. */
function resampleColumns(src: Float64Array, planes: number, inLen: number, outLen: number, cols: number, taps: Taps): Float64Array {
  const out = new Float64Array(planes * outLen * cols);
  for (let p = 0; p < planes; p++) {
    for (let i = 0; i < outLen; i++) {
      const dst = (p * outLen + i) * cols;
      for (let k = 0; k < taps.width; k++) {
        const w = taps.weights[i * taps.width + k]!;
        if (w === 0) continue;
        const row = (p * inLen + taps.first[i]! + k) * cols;
        for (let j = 0; j < cols; j++) out[dst + j]! += w * src[row + j]!;
      }
    }
  }
  return out;
}

export interface ResizeOptions {
  /** Widen the filter when shrinking, so every input pixel counts. */
  antialias?: boolean;
}

/**
 * Bilinear resize of a CHW image to [h, w]; uint8 images stay uint8 (rounded). Like PyTorch's
 * `F.interpolate`, `antialias` defaults to false; the `Resize` transform defaults it to true.
 */
export function resize(x: HostTensor, size: number | readonly [number, number], options: ResizeOptions = {}): HostTensor {
  const { c, h, w } = chw(x, 'resize');
  const [oh, ow] = pair(size, 'resize');
  if (oh === h && ow === w) return x;
  const antialias = options.antialias ?? false;
  const wide = resampleRows(Float64Array.from(x.data), c * h, w, ow, axisTaps(w, ow, antialias));
  const done = resampleColumns(wide, c, h, oh, ow, axisTaps(h, oh, antialias));
  const out = allocLike(x.data, c * oh * ow);
  const round = x.data instanceof Uint8Array;
  for (let i = 0; i < out.length; i++) out[i] = round ? Math.round(done[i]!) : done[i]!;
  return { data: out, shape: [c, oh, ow] };
}

/**
 * Resizes like torchvision's Resize: a number sets the shorter side and keeps the aspect ratio
 * (the longer side truncated, as torchvision does); [h, w] sets both. Antialiased unless
 * `antialias: false`.
 */
export class Resize implements Transform {
  constructor(
    readonly size: number | readonly [number, number],
    readonly options: ResizeOptions = {},
  ) {
    pair(size, 'Resize');
  }

  apply(x: HostTensor, _rng?: Generator): HostTensor {
    const s = this.size;
    if (typeof s === 'number') return resizeShorterSide(x, s, this.options);
    return resize(x, s, { antialias: this.options.antialias ?? true });
  }
}

/** Resizes so the shorter side is `side`, keeping the aspect ratio (antialiased by default). */
export function resizeShorterSide(x: HostTensor, side: number, options: ResizeOptions = {}): HostTensor {
  const { h, w } = chw(x, 'resizeShorterSide');
  const target: [number, number] = h <= w ? [side, Math.trunc((side * w) / h)] : [Math.trunc((side * h) / w), side];
  return resize(x, target, { antialias: options.antialias ?? true });
}

/**
 * Scale augmentation (§7.2.2, as ResNet trains): the shorter side resized to a random integer in
 * [min, max]; follow it with a RandomCrop.
 */
export class RandomResize implements Transform {
  constructor(
    readonly min: number,
    readonly max: number,
    readonly options: ResizeOptions = {},
  ) {
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max < min) throw new ValueError(`RandomResize: need integers 1 <= min <= max, got ${min}, ${max}`);
  }

  apply(x: HostTensor, rng?: Generator): HostTensor {
    return resizeShorterSide(x, rngOr(rng).integer(this.min, this.max + 1), this.options);
  }
}
