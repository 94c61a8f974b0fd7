import type { Generator } from '@fovea/core';
import { checkIndex, type Dataset } from '../dataset.js';
import type { HostTensor } from '../host.js';
import { rngOr, type Transform } from '../transforms/transform.js';

export interface ImageDatasetOptions<O> {
  /** Applied to each image (a Uint8Array CHW host tensor) when it is fetched. */
  transform?: Transform<HostTensor, O>;
}

/**
 * Images held in memory as one Uint8Array of CHW pixels, with an integer label each. Items are
 * `[image, label]`; the image is a zero-copy view unless a transform makes a new one.
 */
export class LabelledImages<O = HostTensor> implements Dataset<[O, number]> {
  readonly #transform: Transform<HostTensor, O> | undefined;

  constructor(
    /** All pixels, image after image. */
    readonly images: Uint8Array,
    /** One image's shape, [C, H, W]. */
    readonly imageShape: readonly [number, number, number],
    readonly labels: Int32Array,
    options: ImageDatasetOptions<O> = {},
  ) {
    this.#transform = options.transform;
  }

  get length(): number {
    return this.labels.length;
  }

  getItem(index: number, rng?: Generator): [O, number] {
    checkIndex(index, this.length, this.constructor.name);
    const size = this.imageShape[0] * this.imageShape[1] * this.imageShape[2];
    const image: HostTensor = { data: this.images.subarray(index * size, (index + 1) * size), shape: this.imageShape };
    return [this.#transform ? this.#transform.apply(image, rngOr(rng)) : (image as O), this.labels[index]!];
  }
}
