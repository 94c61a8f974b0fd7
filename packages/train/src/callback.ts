import type { History } from './history.js';
import type { Logs, Optimizer, Scheduler, TrainableModel } from './types.js';

/** One training batch as callbacks see it. */
export interface BatchLogs {
  /** Samples in the batch. */
  size: number;
  /** This batch's loss. */
  loss: number;
  /** Means over the epoch so far: `loss` and the training metrics. */
  running: Logs;
}

/**
 * Where `fit` stands, handed to every callback. `epoch` counts completed epochs and `step` the
 * batches completed in the current one, so (epoch, step) is exactly where a checkpoint saved now
 * resumes. Set `stopTraining` to end training after the current batch.
 */
export interface FitState {
  readonly model: TrainableModel;
  readonly optimizer: Optimizer;
  readonly scheduler: Scheduler | undefined;
  readonly epochs: number;
  readonly epoch: number;
  readonly step: number;
  /** Batches per epoch, when the loader knows. */
  readonly stepsPerEpoch: number | undefined;
  readonly history: History;
  stopTraining: boolean;
  /** Saves a checkpoint from which `fit({resume})` continues exactly where training is now. */
  checkpoint(path: string): Promise<void>;
}

/** Hooks into `fit` (each optional, each may be async); `logs` of an epoch are also in `history`. */
export interface Callback {
  onTrainBegin?(state: FitState): void | Promise<void>;
  onEpochBegin?(state: FitState): void | Promise<void>;
  onBatchEnd?(state: FitState, batch: BatchLogs): void | Promise<void>;
  onEpochEnd?(state: FitState, logs: Logs): void | Promise<void>;
  onTrainEnd?(state: FitState): void | Promise<void>;
}
