/**
 * @fovea/train — the training loop: `fit` and `evaluate` with metrics, callbacks (progress bar,
 * early stopping, checkpoints), a confusion matrix, and resumable safetensors checkpoints.
 */
export { fit, type FitOptions } from './fit.js';
export { evaluate, type EvaluateOptions } from './evaluate.js';
export { History } from './history.js';
export type { BatchLogs, Callback, FitState } from './callback.js';
export { TopKAccuracy, toMetric, type Metric, type MetricSpec } from './metrics.js';
export { ConfusionMatrix } from './confusion.js';
export { ProgressBar, type ProgressOptions, type ProgressStream } from './progress.js';
export { EarlyStopping, type EarlyStoppingOptions } from './early-stopping.js';
export { ModelCheckpoint, type ModelCheckpointOptions } from './model-checkpoint.js';
export type { MonitorMode } from './monitor.js';
export { Checkpoint, loadCheckpoint, saveCheckpoint, type CheckpointContents, type RestoreTargets } from './checkpoint.js';
export { CheckpointError } from './errors.js';
export type { Json } from './state-tree.js';
export type { Batch, Loader, Logs, Loss, Optimizer, Scheduler, Stateful, StatefulModel, TrainableModel } from './types.js';
