import { rand } from '../creation.js';
import { DTypeError, ShapeError, ValueError } from '../errors.js';
import type { Generator } from '../random.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { abs, add, cast, div, less, mul, neg, relu, sub, where, exp, log } from './elementwise.js';
import { gather } from './indexing.js';
import { reshape } from './movement.js';
import { logSoftmax, mean, sum } from './reduce.js';
import { requireFinite } from './util.js';

/** Inverted dropout: zeroes each element with probability `p` and scales survivors by 1/(1−p). */
export function dropout(x: Tensor, p = 0.5, training = true, generator?: Generator): Tensor {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ValueError(`dropout: p must be in [0, 1], got ${p}`);
  if (!training || p === 0) return mul(x, 1);
  if (p === 1) return mul(x, 0);
  const keep = less(rand(x.shape, generator ? { generator } : {}), 1 - p);
  return where(keep, div(x, 1 - p), 0);
}

export type Reduction = 'mean' | 'sum' | 'none';

function reduce(loss: Tensor, reduction: Reduction, op: string): Tensor {
  if (reduction === 'mean') return mean(loss);
  if (reduction === 'sum') return sum(loss);
  if (reduction === 'none') return loss;
  throw new ValueError(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`);
}

/** Scores [N, C] and int32 labels [N]: the correct class's entry of each row, as [N, 1]. */
function pickLabels(values: Tensor, labels: Tensor, op: string): Tensor {
  if (values.ndim !== 2) throw new ShapeError(`${op}: scores must be [N, C], got ${fmtShape(values.shape)}`);
  if (labels.dtype !== 'int32') throw new DTypeError(`${op}: labels must be int32 class indices, got ${labels.dtype}`);
  if (labels.ndim !== 1 || labels.size !== values.shape[0]) {
    throw new ShapeError(`${op}: labels must be [${values.shape[0]}] for scores ${fmtShape(values.shape)}, got ${fmtShape(labels.shape)}`);
  }
  return gather(values, 1, reshape(labels, [labels.size, 1]));
}

export interface LossOptions {
  reduction?: Reduction;
}

/** Softmax cross-entropy (natural log) of raw scores against class labels. */
export function crossEntropy(scores: Tensor, labels: Tensor, options: LossOptions = {}): Tensor {
  const picked = pickLabels(logSoftmax(scores, 1), labels, 'crossEntropy');
  return reduce(neg(reshape(picked, [labels.size])), options.reduction ?? 'mean', 'crossEntropy');
}

/**
 * The notes' multiclass SVM loss: Σ over wrong classes of max(0, s_j − s_y + margin) per example.
 * The correct class contributes exactly `margin`, which is subtracted back.
 */
export function svmHinge(scores: Tensor, labels: Tensor, options: LossOptions & { margin?: number } = {}): Tensor {
  const margin = requireFinite(options.margin ?? 1, 'svmHinge', 'margin');
  const correct = pickLabels(scores, labels, 'svmHinge');
  const perExample = sub(sum(relu(add(sub(scores, correct), margin)), 1), Math.max(margin, 0));
  return reduce(perExample, options.reduction ?? 'mean', 'svmHinge');
}

function checkPair(input: Tensor, target: Tensor, op: string): void {
  if (input.shape.join() !== target.shape.join()) {
    throw new ShapeError(`${op}: input ${fmtShape(input.shape)} and target ${fmtShape(target.shape)} must have the same shape`);
  }
}

export function mseLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkPair(input, target, 'mseLoss');
  const d = sub(input, target);
  return reduce(mul(d, d), options.reduction ?? 'mean', 'mseLoss');
}

export function l1Loss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkPair(input, target, 'l1Loss');
  return reduce(abs(sub(input, target)), options.reduction ?? 'mean', 'l1Loss');
}

/** Binary cross-entropy on logits, in the overflow-free form max(x,0) − x·t + log(1 + e^−|x|). */
export function bceWithLogits(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkPair(input, target, 'bceWithLogits');
  const t = cast(target, 'float32');
  const loss = add(sub(relu(input), mul(input, t)), log(add(exp(neg(abs(input))), 1)));
  return reduce(loss, options.reduction ?? 'mean', 'bceWithLogits');
}
