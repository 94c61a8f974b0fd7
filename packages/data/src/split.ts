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

/**
 * The sample indices in groups — one group of all samples, or with `labels` one group per class
 * (in label order) so splits keep the class proportions — each group shuffled when asked.
 */
function strata(n: number, labels: ArrayLike<number> | undefined, shuffle: Generator | undefined, who: string): number[][] {
  if (labels && labels.length !== n) throw new ValueError(`${who}: ${labels.length} labels for ${n} samples`);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const key = labels ? labels[i]! : 0;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(i);
  }
  return [...groups.keys()]
    .sort((a, b) => a - b)
    .map((key) => {
      const group = groups.get(key)!;
      return shuffle ? permutation(group.length, shuffle).map((j) => group[j]!) : group;
    });
}

export interface SplitOptions {
  /** Each sample's class: splits then keep every class's share (stratified, as §2.1 advises). */
  stratify?: ArrayLike<number>;
}

export interface TrainValTest<T> {
  train: Subset<T>;
  val: Subset<T>;
  test: Subset<T>;
}

/**
 * The three splits of §2.1: train on one, tune hyperparameters on val, report once on test.
 * `val` and `test` are fractions (of each class, with `stratify`), rounded.
 */
export function trainValTestSplit<T>(
  dataset: Dataset<T>,
  fractions: { val: number; test: number } & SplitOptions,
  generator: Generator = defaultGenerator(),
): TrainValTest<T> {
  const { val, test } = fractions;
  if (!(val >= 0 && test >= 0 && val + test < 1)) throw new ValueError(`trainValTestSplit: need val, test >= 0 with val + test < 1, got ${val}, ${test}`);
  const parts: [number[], number[], number[]] = [[], [], []];
  for (const group of strata(dataset.length, fractions.stratify, generator, 'trainValTestSplit')) {
    const nVal = Math.round(val * group.length);
    const nTest = Math.round(test * group.length);
    const nTrain = group.length - nVal - nTest;
    parts[0].push(...group.slice(0, nTrain));
    parts[1].push(...group.slice(nTrain, nTrain + nVal));
    parts[2].push(...group.slice(nTrain + nVal));
  }
  const [train, valSet, testSet] = parts.map((indices) => new Subset(dataset, indices));
  return { train: train!, val: valSet!, test: testSet! };
}

export interface Fold<T> {
  train: Subset<T>;
  val: Subset<T>;
}

/**
 * k-fold cross-validation (§2.1): fold i validates on part i of the samples and trains on the
 * rest. Parts are contiguous runs of near-equal size (the first `n % k` one larger); with
 * `stratify`, each class is dealt across the parts in turn so every fold keeps the class mix.
 */
export function kFold<T>(dataset: Dataset<T>, k: number, options: { shuffle?: boolean; generator?: Generator } & SplitOptions = {}): Fold<T>[] {
  const n = dataset.length;
  if (!Number.isInteger(k) || k < 2 || k > n) throw new ValueError(`kFold: k must be an integer from 2 to the ${n} samples, got ${k}`);
  const shuffle = options.shuffle ? (options.generator ?? defaultGenerator()) : undefined;
  const folds: number[][] = Array.from({ length: k }, () => []);
  if (options.stratify) {
    let next = 0;
    for (const group of strata(n, options.stratify, shuffle, 'kFold')) for (const i of group) folds[next++ % k]!.push(i);
  } else {
    const [order] = strata(n, undefined, shuffle, 'kFold');
    for (let i = 0, at = 0; i < k; i++) folds[i]!.push(...order!.slice(at, (at += Math.floor(n / k) + (i < n % k ? 1 : 0))));
  }
  return folds.map((val, i) => ({ train: new Subset(dataset, folds.filter((_, j) => j !== i).flat()), val: new Subset(dataset, val) }));
}
