import { Generator, ValueError, defaultGenerator, type Tensor } from '@fovea/core';
import { collate, type Batch } from './collate.js';
import type { Dataset } from './dataset.js';
import { permutation } from './permutation.js';
import { sampleGenerator } from './sample-rng.js';

export interface DataLoaderOptions<T, B> {
  /** Samples per batch, a positive integer (default 1). */
  batchSize?: number;
  /** Reshuffle the order every epoch (default false). */
  shuffle?: boolean;
  /** Seeds the loader's own generator. */
  seed?: number;
  /** The generator for order and augmentation (default: a new one seeded from core's default generator). */
  generator?: Generator;
  /** Drop the last batch when it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /** Batches prepared in the background while the consumer works (default 1; 0 prepares on demand). */
  prefetch?: number;
  /** Turns samples into a batch (default `collate`). */
  collate?: (samples: T[]) => B;
}

/** Where a loader stands, for checkpoints: restoring it resumes exactly after the last batch yielded. */
export interface DataLoaderState {
  /** Epochs started before the current one. */
  epoch: number;
  /** Batches already yielded in the current epoch. */
  batch: number;
  /** The generator's state at the start of the current epoch. */
  generator: number[];
}

function checkCount(value: number, name: string, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new ValueError(`DataLoader: ${name} must be an integer >= ${min}, got ${value}`);
  }
  return value;
}

/** Resolves on a later turn of the event loop, so background work overlaps the consumer's waits. */
const nextTurn: () => Promise<void> =
  typeof setImmediate === 'function' ? () => new Promise((r) => setImmediate(r)) : () => new Promise((r) => setTimeout(r, 0));

/**
 * Batches of a dataset, one epoch per `for await` loop. Order and augmentation come from one
 * seeded generator: each epoch draws a permutation (when shuffling) and a seed from which every
 * sample's transform generator is derived, so a run is reproducible and `state()` /
 * `loadState()` resume it exactly, mid-epoch included.
 */
export class DataLoader<T, B = Batch<T>> implements AsyncIterable<B> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly prefetch: number;
  readonly generator: Generator;
  readonly #collate: (samples: T[]) => B;
  #epoch = 0;
  #batch = 0;
  #epochStart: number[] | null = null;

  constructor(
    readonly dataset: Dataset<T>,
    options: DataLoaderOptions<T, B> = {},
  ) {
    this.batchSize = checkCount(options.batchSize ?? 1, 'batchSize', 1);
    this.prefetch = checkCount(options.prefetch ?? 1, 'prefetch', 0);
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    this.generator = options.generator ?? new Generator(options.seed ?? defaultGenerator().nextUint32());
    this.#collate = options.collate ?? (collate as unknown as (samples: T[]) => B);
  }

  /** Batches per epoch. */
  get length(): number {
    const n = this.dataset.length / this.batchSize;
    return this.dropLast ? Math.floor(n) : Math.ceil(n);
  }

  /** The current epoch (0 before the first loop ends). */
  get epoch(): number {
    return this.#epoch;
  }

  state(): DataLoaderState {
    return { epoch: this.#epoch, batch: this.#batch, generator: this.#epochStart ?? this.generator.getState() };
  }

  loadState(state: DataLoaderState): void {
    checkCount(state.epoch, 'state.epoch', 0);
    checkCount(state.batch, 'state.batch', 0);
    if (state.batch > this.length) throw new ValueError(`DataLoader: state.batch ${state.batch} is past the ${this.length} batches of an epoch`);
    const words = Array.isArray(state.generator) ? state.generator.slice(0, 4) : [];
    if (words.length !== 4 || !words.every((w) => Number.isInteger(w)) || words.every((w) => w === 0)) {
      throw new ValueError(`DataLoader: state.generator must start with four 32-bit words, not all zero; got ${JSON.stringify(state.generator)}`);
    }
    this.generator.setState(state.generator);
    this.#epoch = state.epoch;
    this.#batch = state.batch;
    this.#epochStart = [...state.generator];
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<B> {
    const { batches, seed } = this.#beginEpoch();
    const ahead: Promise<B>[] = [];
    let next = this.#batch;
    const fill = (count: number, background: boolean) => {
      while (ahead.length < count && next < batches.length) {
        const indices = batches[next++]!;
        const batch = background ? nextTurn().then(() => this.#load(indices, seed)) : this.#load(indices, seed);
        batch.catch(() => undefined); // awaited in order below; this only stops "unhandled" warnings
        ahead.push(batch);
      }
    };
    try {
      while (next < batches.length || ahead.length) {
        fill(1, false);
        const batch = await ahead.shift()!;
        this.#batch++;
        fill(this.prefetch, true);
        yield batch;
      }
    } finally {
      for (const pending of ahead) pending.then(disposeBatch, () => undefined);
      this.#epoch++;
      this.#batch = 0;
      this.#epochStart = null;
    }
  }

  #beginEpoch(): { batches: number[][]; seed: number } {
    if (this.#epochStart) this.generator.setState(this.#epochStart);
    else this.#epochStart = this.generator.getState();
    const order = this.shuffle ? permutation(this.dataset.length, this.generator) : [...Array(this.dataset.length).keys()];
    const seed = this.generator.nextUint32();
    const batches: number[][] = [];
    for (let i = 0; i < order.length; i += this.batchSize) batches.push(order.slice(i, i + this.batchSize));
    if (this.dropLast && batches.length && batches.at(-1)!.length < this.batchSize) batches.pop();
    return { batches, seed };
  }

  async #load(indices: readonly number[], seed: number): Promise<B> {
    const samples = await Promise.all(indices.map((i) => this.dataset.getItem(i, sampleGenerator(seed, i))));
    return this.#collate(samples);
  }
}

function disposeBatch(batch: unknown): void {
  const tensors = Array.isArray(batch) ? batch : [batch];
  for (const t of tensors) if (t && typeof (t as Tensor).dispose === 'function') (t as Tensor).dispose();
}
