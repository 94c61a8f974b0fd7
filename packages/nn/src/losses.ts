import { bceWithLogits, crossEntropy, l1Loss, mseLoss, svmHinge, type LossOptions, type Tensor } from '@fovea/core';
import { Module } from './module.js';

type LossFn<O> = (input: Tensor, target: Tensor, options: O) => Tensor;

/** A loss function as a module: `loss.call(scores, targets)`. */
abstract class Loss<O extends LossOptions> extends Module {
  constructor(
    private readonly fn: LossFn<O>,
    readonly options: O,
  ) {
    super();
  }

  protected override extraRepr(): Record<string, unknown> {
    return { ...(this.options as Record<string, unknown>) };
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return this.fn(input, target, this.options);
  }
}

/** Softmax cross-entropy of raw scores [N, C] against int32 labels [N]. */
export class CrossEntropyLoss extends Loss<LossOptions> {
  constructor(options: LossOptions = {}) {
    super(crossEntropy, options);
  }
}

/** The notes' multiclass SVM loss: Σ_{j≠y} max(0, s_j − s_y + margin), mean over the batch. */
export class SVMHingeLoss extends Loss<LossOptions & { margin?: number }> {
  constructor(options: LossOptions & { margin?: number } = {}) {
    super(svmHinge, options);
  }
}

export class MSELoss extends Loss<LossOptions> {
  constructor(options: LossOptions = {}) {
    super(mseLoss, options);
  }
}

export class L1Loss extends Loss<LossOptions> {
  constructor(options: LossOptions = {}) {
    super(l1Loss, options);
  }
}

/** Binary cross-entropy on logits, numerically stable. */
export class BCEWithLogitsLoss extends Loss<LossOptions> {
  constructor(options: LossOptions = {}) {
    super(bceWithLogits, options);
  }
}
