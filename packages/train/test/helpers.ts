import '@fovea/backend-js';
import { Generator, ready, tensor, type Tensor } from '@fovea/core';
import { DataLoader, TensorDataset } from '@fovea/data';
import { Dropout, Linear, ReLU, Sequential } from '@fovea/nn';
import { SGD } from '@fovea/optim';
import type { Loader } from '../src/index.js';

await ready();

/** Three Gaussian blobs in 4-d, labels 0..2, from a fixed seed. */
export function blobs(n: number, seed = 1): { x: Tensor; y: Tensor } {
  const g = new Generator(seed);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 3;
    ys.push(label);
    for (let d = 0; d < 4; d++) xs.push(g.normal() * 0.7 + (d === label ? 2 : 0));
  }
  return { x: tensor(xs, [n, 4]), y: tensor(ys, [n], { dtype: 'int32' }) };
}

/** A small MLP with dropout, so resuming must restore the global generator too. */
export function mlp(): Sequential {
  return new Sequential(new Linear(4, 16), new ReLU(), new Dropout(0.2), new Linear(16, 3));
}

/** A shuffling loader with its own seeded generator. */
export function loaderOf(data: { x: Tensor; y: Tensor }, batchSize: number, shuffle = true): Loader {
  return new DataLoader(new TensorDataset(data.x, data.y), { batchSize, shuffle, seed: 7 });
}

/** SGD with momentum: per-parameter buffers that a resume must restore. */
export function sgd(model: Sequential, lr = 0.05): SGD {
  return new SGD(model.parameters(), { lr, momentum: 0.9 });
}
