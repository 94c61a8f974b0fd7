import { ShapeError, ValueError, type Generator } from '@fovea/core';
import { chw, type HostTensor } from '../host.js';
import { forEachImage, type FitSource } from './fit-source.js';
import type { Transform } from './transform.js';

/** `(x - mean[c]) / std[c]` per channel of a CHW image, to float32. */
export function normalizeChannels(x: HostTensor, mean: ArrayLike<number>, std: ArrayLike<number>, who: string): HostTensor {
  const { c, h, w } = chw(x, who);
  if (mean.length !== c || std.length !== c) throw new ShapeError(`${who}: ${mean.length} means and ${std.length} stds for a ${c}-channel image`);
  const plane = h * w;
  const out = new Float32Array(x.data.length);
  for (let ch = 0; ch < c; ch++) {
    const m = mean[ch]!;
    const inv = 1 / std[ch]!;
    for (let p = ch * plane; p < (ch + 1) * plane; p++) out[p] = (x.data[p]! - m) * inv;
  }
  return { data: out, shape: x.shape };
}

/** Per-channel mean and population std over every pixel of every image. */
export async function channelMoments(source: FitSource, who: string): Promise<{ mean: number[]; std: number[] }> {
  let sum: Float64Array | undefined;
  let sumSq: Float64Array | undefined;
  const { shape, count } = await forEachImage(source, who, (x) => {
    const { c, h, w } = chw(x, who);
    sum ??= new Float64Array(c);
    sumSq ??= new Float64Array(c);
    for (let ch = 0; ch < c; ch++) {
      for (let p = ch * h * w; p < (ch + 1) * h * w; p++) {
        const v = x.data[p]!;
        sum[ch]! += v;
        sumSq[ch]! += v * v;
      }
    }
  });
  const n = count * shape[1]! * shape[2]!;
  const mean = [...sum!].map((s) => s / n);
  const std = [...sumSq!].map((s, ch) => Math.sqrt(Math.max(0, s / n - mean[ch]! ** 2)));
  return { mean, std };
}

/** Per-channel standardisation, like `torchvision.transforms.Normalize`. */
export class Normalize implements Transform {
  readonly mean: readonly number[];
  readonly std: readonly number[];

  constructor(mean: readonly number[], std: readonly number[]) {
    if (mean.length !== std.length || mean.length === 0) throw new ValueError(`Normalize: need one std per mean, got ${mean.length} and ${std.length}`);
    if (std.some((s) => !(s > 0))) throw new ValueError(`Normalize: stds must be positive, got [${std.join(', ')}]`);
    this.mean = [...mean];
    this.std = [...std];
  }

  /** Mean and (population) std of each channel over the training images (§6.2). */
  static async fit(source: FitSource): Promise<Normalize> {
    const { mean, std } = await channelMoments(source, 'Normalize');
    return new Normalize(mean, std.map((s) => s || 1));
  }

  apply(x: HostTensor, _rng?: Generator): HostTensor {
    return normalizeChannels(x, this.mean, this.std, 'Normalize');
  }
}
