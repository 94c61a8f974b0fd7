import { noGrad, tidy, type Tensor } from '@fovea/core';
import type { Loss, Optimizer, TrainableModel } from './types.js';

/** Host copies of one batch's results. */
export interface BatchResult {
  size: number;
  loss: number;
  /** Row-major [batch, classes] scores, read only when metrics need them. */
  scores?: ArrayLike<number>;
  labels?: ArrayLike<number>;
}

export const lossFunction = (loss: Loss) => (typeof loss === 'function' ? loss : (o: Tensor, t: Tensor) => loss.call(o, t));

/**
 * One optimisation step inside `tidy`, so every intermediate tensor is freed before the next
 * batch: zero the gradients, forward, loss, backward, step.
 */
export function trainBatch(model: TrainableModel, optimizer: Optimizer, loss: Loss, x: Tensor, y: Tensor, wantScores: boolean): Promise<BatchResult> {
  const lossFn = lossFunction(loss);
  const [value, scores] = tidy(() => {
    optimizer.zeroGrad();
    const output = model.call(x);
    const l = lossFn(output, y);
    l.backward();
    optimizer.step();
    return [l.detach(), wantScores ? output.detach() : null] as const;
  });
  return readBack(value, scores, y);
}

/** A forward pass without gradients; the loss only when a loss is given. */
export function evalBatch(model: TrainableModel, loss: Loss | undefined, x: Tensor, y: Tensor, wantScores: boolean): Promise<BatchResult> {
  const lossFn = loss && lossFunction(loss);
  const [value, scores] = noGrad(() =>
    tidy(() => {
      const output = model.call(x);
      return [lossFn ? lossFn(output, y) : null, wantScores ? output : null] as const;
    }),
  );
  return readBack(value, scores, y);
}

/** Reads results to the host (asynchronously, so GPU backends work) and frees them. */
async function readBack(loss: Tensor | null, scores: Tensor | null, y: Tensor): Promise<BatchResult> {
  try {
    const result: BatchResult = { size: y.shape[0] ?? 1, loss: loss ? (await loss.data())[0]! : NaN };
    if (scores) {
      result.scores = await scores.data();
      result.labels = await y.data();
    }
    return result;
  } finally {
    loss?.dispose();
    scores?.dispose();
  }
}
