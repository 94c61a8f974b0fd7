import { reshape, mean, ValueError, type Generator, type Tensor } from '@fovea/core';
import { chw, type HostTensor } from '../host.js';
import { centerCrop, crop } from './crop.js';
import { hflip } from './flip.js';
import { pair, resizeShorterSide } from './resize.js';
import type { Transform } from './transform.js';

/** The four corner windows and the centre one: top-left, top-right, bottom-left, bottom-right, centre. */
export function fiveCrops(x: HostTensor, size: number | readonly [number, number]): HostTensor[] {
  const { h: H, w: W } = chw(x, 'fiveCrops');
  const [h, w] = pair(size, 'fiveCrops');
  if (h > H || w > W) throw new ValueError(`fiveCrops: ${h}x${w} crops from a ${H}x${W} image`);
  return [crop(x, 0, 0, h, w), crop(x, 0, W - w, h, w), crop(x, H - h, 0, h, w), crop(x, H - h, W - w, h, w), centerCrop(x, [h, w])];
}

function stackCrops(crops: readonly HostTensor[]): HostTensor {
  const size = crops[0]!.data.length;
  const out = new (crops[0]!.data.constructor as new (n: number) => HostTensor['data'])(size * crops.length);
  crops.forEach((c, i) => out.set(c.data, i * size));
  return { data: out, shape: [crops.length, ...crops[0]!.shape] };
}

export interface MultiCropOptions {
  /** Also take the crops of the mirrored image (default true). */
  flips?: boolean;
  /** Shorter-side sizes to resize the image to first, taking the crops at each (default: as it is). */
  scales?: readonly number[];
}

/**
 * Multi-crop test-time augmentation (§7.2.2): the five crops and, unless `flips` is false, the
 * five crops of the mirrored image (torchvision's TenCrop order); with `scales`, all of that at
 * each scale (ResNet: scales 224, 256, 384, 480, 640 → 50 crops). Stacked as one [n, C, h, w]
 * host tensor; a loader batches these to [B, n, C, h, w]: flatten to [B·n, C, h, w], run the
 * model, then `averageCrops(outputs, n)`.
 */
export class MultiCrop implements Transform {
  readonly size: [number, number];

  constructor(
    size: number | readonly [number, number],
    readonly options: MultiCropOptions = {},
  ) {
    this.size = pair(size, 'MultiCrop');
    for (const s of options.scales ?? []) pair(s, 'MultiCrop scales');
  }

  /** Crops per image. */
  get count(): number {
    return (this.options.flips === false ? 5 : 10) * (this.options.scales?.length ?? 1);
  }

  apply(x: HostTensor, _rng?: Generator): HostTensor {
    const images = this.options.scales ? this.options.scales.map((s) => resizeShorterSide(x, s)) : [x];
    return stackCrops(images.flatMap((image) => this.#crops(image)));
  }

  #crops(x: HostTensor): HostTensor[] {
    const crops = fiveCrops(x, this.size);
    return this.options.flips === false ? crops : [...crops, ...fiveCrops(hflip(x), this.size)];
  }
}

/** Averages per-crop outputs [B·n, ...] (crops of one image adjacent) to [B, ...]. */
export function averageCrops(outputs: Tensor, crops: number): Tensor {
  const [rows, ...rest] = outputs.shape;
  if (rows === undefined || rows % crops !== 0) throw new ValueError(`averageCrops: ${rows} rows are not a multiple of ${crops} crops`);
  return mean(reshape(outputs, [rows / crops, crops, ...rest]), 1);
}
