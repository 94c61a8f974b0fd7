import { ValueError, defaultGenerator, type Generator } from '@fovea/core';
import { Subset, type Dataset } from './dataset.js';
import { permutation } from './permutation.js';

/**
 * Counts from `lengths`: whole numbers that add up to `n`, or fractions that add up to 1 (floored,
 * with the remainder handed out one by one from the first split on, as PyTorch does).
 */
function splitCounts(n: number, lengths: readonly number[]): number[] {
  if (lengths.length === 0 || lengths.some((l) => !(l >= 0))) throw new ValueError(`randomSplit: lengths must be non-negative, got [${lengths.join(', ')}]`);
  const total = lengths.reduce((a, b) => a + b, 0);
  if (lengths.every(Number.isInteger) && total === n) return [...lengths];
  if (Math.abs(total - 1) > 1e-9) {
    throw new ValueError(`randomSplit: lengths [${lengths.join(', ')}] must add up to the ${n} samples, or be fractions that add up to 1`);
  }
  const counts = lengths.map((f) => Math.floor(f * n));
  for (let i = 0, left = n - counts.reduce((a, b) => a + b, 0); left > 0; i = (i + 1) % counts.length, left--) counts[i]!++;
  return counts;
}

/** Disjoint random subsets of the given sizes, like `torch.utils.data.random_split`. */
export function randomSplit<T>(dataset: Dataset<T>, lengths: readonly number[], generator: Generator = defaultGenerator()): Subset<T>[] {
  const order = permutation(dataset.length, generator);
  let at = 0;
  return splitCounts(dataset.length, lengths).map((count) => new Subset(dataset, order.slice(at, (at += count))));
}

export interface TrainValTest<T> {
  train: Subset<T>;
  val: Subset<T>;
  test: Subset<T>;
}

/** The three splits of §2.1: train on one, tune hyperparameters on val, report once on test. */
export function trainValTestSplit<T>(dataset: Dataset<T>, fractions: { val: number; test: number }, generator: Generator = defaultGenerator()): TrainValTest<T> {
  const { val, test } = fractions;
  if (!(val >= 0 && test >= 0 && val + test < 1)) throw new ValueError(`trainValTestSplit: need val, test >= 0 with val + test < 1, got ${val}, ${test}`);
  const nVal = Math.round(val * dataset.length);
  const nTest = Math.round(test * dataset.length);
  const [trainSet, valSet, testSet] = randomSplit(dataset, [dataset.length - nVal - nTest, nVal, nTest], generator);
  return { train: trainSet!, val: valSet!, test: testSet! };
}

export interface Fold<T> {
  train: Subset<T>;
  val: Subset<T>;
}

/**
 * k-fold cross-validation (§2.1): the samples are split into `k` folds of near-equal size (the
 * first `n % k` one larger); fold i validates on part i and trains on the rest.
 */
export function kFold<T>(dataset: Dataset<T>, k: number, options: { shuffle?: boolean; generator?: Generator } = {}): Fold<T>[] {
  const n = dataset.length;
  if (!Number.isInteger(k) || k < 2 || k > n) throw new ValueError(`kFold: k must be an integer from 2 to the ${n} samples, got ${k}`);
  const order = options.shuffle ? permutation(n, options.generator ?? defaultGenerator()) : [...Array(n).keys()];
  const folds: number[][] = [];
  for (let i = 0, at = 0; i < k; i++) {
    const size = Math.floor(n / k) + (i < n % k ? 1 : 0);
    folds.push(order.slice(at, (at += size)));
  }
  return folds.map((val, i) => ({ train: new Subset(dataset, folds.filter((_, j) => j !== i).flat()), val: new Subset(dataset, val) }));
}
