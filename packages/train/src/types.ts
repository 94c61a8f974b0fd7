import type { Tensor } from '@fovea/core';

/**
 * Something whose state can be saved and restored (optimizers, schedulers, data loaders).
 * `loadStateDict` must copy any tensors it is given: checkpoints free theirs after restoring.
 */
export interface Stateful {
  stateDict(): unknown;
  loadStateDict(state: unknown): unknown;
}

/** A model's saveable side (an `@fovea/nn` Module has it). */
export interface StatefulModel {
  stateDict(): Map<string, Tensor>;
  loadStateDict(state: Map<string, Tensor>, options?: { strict?: boolean }): unknown;
}

/** What `fit` and `evaluate` need from a model (an `@fovea/nn` Module has it). */
export interface TrainableModel extends StatefulModel {
  readonly training: boolean;
  call(input: Tensor): Tensor;
  train(mode?: boolean): unknown;
}

/** What `fit` needs from an optimizer (every `@fovea/optim` optimizer has it). */
export interface Optimizer extends Stateful {
  step(): unknown;
  zeroGrad(): void;
}

/** A learning-rate schedule; `fit` steps it once per epoch, passing the monitored value. */
export interface Scheduler extends Stateful {
  step(metric?: number): unknown;
}

/** One batch: inputs and integer class labels (or regression targets), as a DataLoader yields them. */
export type Batch = readonly Tensor[];

/**
 * Batches to iterate over, once per epoch (a `@fovea/data` DataLoader). `length` (batches per
 * epoch) gives the progress bar its ETA. `state()`/`loadState()` let checkpoints resume the same
 * data order: restoring what `state()` returned before an epoch's loop must replay that epoch.
 */
export interface Loader extends AsyncIterable<Batch> {
  readonly length?: number;
  state?(): unknown;
  loadState?(state: unknown): unknown;
}

/** A loss: a function of (output, target) or a module with `call` (CrossEntropyLoss). */
export type Loss = ((output: Tensor, target: Tensor) => Tensor) | { call(output: Tensor, target: Tensor): Tensor };

/** Numbers logged per batch or per epoch: `loss`, metric names, `valLoss`, `valAccuracy`, `lr`… */
export type Logs = Record<string, number>;
