import { evalBatch } from './batch.js';
import type { ConfusionMatrix } from './confusion.js';
import type { MetricSpec } from './metrics.js';
import { batchesOf, PassStats } from './stats.js';
import type { Loader, Logs, Loss, TrainableModel } from './types.js';

export interface EvaluateOptions {
  /** Metric names ('accuracy', 'top5', any 'topK') or Metric objects; default ['accuracy']. */
  metrics?: readonly MetricSpec[];
  /** Also report the mean loss. */
  loss?: Loss;
  /** Filled with (true, predicted) counts as batches pass. */
  confusion?: ConfusionMatrix;
}

/**
 * Runs the model over every batch in eval mode without gradients and returns the mean loss
 * (when `loss` is given) and the metrics. The model's training mode is restored afterwards.
 */
export async function evaluate(model: TrainableModel, loader: Loader, options: EvaluateOptions = {}): Promise<Logs> {
  const stats = new PassStats(options.metrics ?? ['accuracy'], options.confusion);
  const wasTraining = model.training;
  model.train(false);
  try {
    for await (const [x, y] of batchesOf(loader)) stats.add(await evalBatch(model, options.loss, x, y, stats.needsScores));
  } finally {
    model.train(wasTraining);
  }
  return stats.logs();
}
