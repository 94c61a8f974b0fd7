import { ShapeError, ValueError, type Generator, type Tensor } from '@fovea/core';
import { hostTensor, toHost, type HostTensor } from './host.js';

/**
 * A map-style dataset: `length` samples, fetched by index. `rng` is the generator random
 * transforms draw from for this sample; the DataLoader passes one derived from its seed, the
 * epoch and the index, so augmentation is reproducible whatever the batch order or prefetch.
 */
export interface Dataset<T> {
  readonly length: number;
  getItem(index: number, rng?: Generator): T | Promise<T>;
}

export function checkIndex(index: number, length: number, who: string): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new ValueError(`${who}: index ${index} out of range for ${length} samples`);
  }
}

/**
 * Rows of tensors that share their first dimension, like `torch.utils.data.TensorDataset`.
 * Values are read to the host once (synchronously); items are zero-copy views of row `i`.
 */
export class TensorDataset implements Dataset<HostTensor[]> {
  readonly length: number;
  readonly #columns: HostTensor[];

  constructor(...tensors: (Tensor | HostTensor)[]) {
    if (tensors.length === 0) throw new ValueError('TensorDataset: needs at least one tensor');
    this.#columns = tensors.map((t) => ('dataSync' in t ? toHost(t) : hostTensor(t.data, t.shape)));
    const firsts = this.#columns.map((c) => c.shape[0]);
    if (this.#columns.some((c) => c.shape.length === 0) || firsts.some((n) => n !== firsts[0])) {
      throw new ShapeError(`TensorDataset: tensors must share their first dimension, got shapes ${this.#columns.map((c) => `[${c.shape.join(', ')}]`).join(', ')}`);
    }
    this.length = firsts[0]!;
  }

  getItem(index: number): HostTensor[] {
    checkIndex(index, this.length, 'TensorDataset');
    return this.#columns.map(({ data, shape }) => {
      const row = data.length / shape[0]!;
      return { data: data.subarray(index * row, (index + 1) * row), shape: shape.slice(1) };
    });
  }
}

/** The samples of `dataset` at `indices`, in that order. */
export class Subset<T> implements Dataset<T> {
  constructor(
    readonly dataset: Dataset<T>,
    readonly indices: readonly number[],
  ) {
    for (const i of indices) checkIndex(i, dataset.length, 'Subset');
  }

  get length(): number {
    return this.indices.length;
  }

  getItem(index: number, rng?: Generator): T | Promise<T> {
    checkIndex(index, this.indices.length, 'Subset');
    return this.dataset.getItem(this.indices[index]!, rng);
  }
}

/** A dataset whose samples are `fn(sample, rng)` — how per-split transforms are attached. */
export class MappedDataset<T, U> implements Dataset<U> {
  constructor(
    readonly dataset: Dataset<T>,
    readonly fn: (sample: T, rng?: Generator) => U,
  ) {}

  get length(): number {
    return this.dataset.length;
  }

  getItem(index: number, rng?: Generator): U | Promise<U> {
    const sample = this.dataset.getItem(index, rng);
    return sample instanceof Promise ? sample.then((s) => this.fn(s, rng)) : this.fn(sample, rng);
  }
}
