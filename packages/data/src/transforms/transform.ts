import { defaultGenerator, type Generator } from '@fovea/core';
import { MappedDataset, type Dataset } from '../dataset.js';
import type { HostTensor } from '../host.js';

/**
 * A step of preprocessing on host values (CHW images as typed arrays, before batching, so no
 * tensor is made per sample). Random transforms draw from `rng` — the DataLoader passes one per
 * sample — or from core's default generator when called without one.
 */
export interface Transform<I = HostTensor, O = HostTensor> {
  apply(x: I, rng?: Generator): O;
}

/** The generator a random transform draws from. */
export function rngOr(rng: Generator | undefined): Generator {
  return rng ?? defaultGenerator();
}

/** Runs transforms in order, like `torchvision.transforms.Compose`. */
export class Compose<I = HostTensor, O = HostTensor> implements Transform<I, O> {
  readonly transforms: readonly Transform<unknown, unknown>[];

  constructor(transforms: readonly Transform<any, any>[]) {
    this.transforms = transforms;
  }

  apply(x: I, rng?: Generator): O {
    const g = rngOr(rng);
    return this.transforms.reduce<unknown>((v, t) => t.apply(v, g), x) as O;
  }
}

/**
 * The dataset with `transform` applied to each sample's first field (the image of an
 * `[image, label]` pair) or to the whole sample when it is not a tuple. This is how a transform
 * fitted on the training split is applied to every split.
 */
export function withTransform<T, O = HostTensor>(dataset: Dataset<T>, transform: Transform<any, O>): Dataset<T extends readonly [unknown, ...infer R] ? [O, ...R] : O> {
  return new MappedDataset(dataset, (sample, rng) => {
    const g = rngOr(rng);
    return (Array.isArray(sample) ? [transform.apply(sample[0], g), ...sample.slice(1)] : transform.apply(sample, g)) as never;
  });
}
