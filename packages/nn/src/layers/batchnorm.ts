import { add, batchNorm, noGrad, ones, ShapeError, tidy, ValueError, zeros, type Tensor } from '@fovea/core';
import { Module } from '../module.js';

export interface BatchNormOptions {
  eps?: number;
  /** Weight of the newest batch in the running statistics (default 0.1). */
  momentum?: number;
  /** Learn a per-channel scale (`weight`) and shift (`bias`) (default true). */
  affine?: boolean;
  /** Keep running statistics for eval mode (default true); without them eval uses batch statistics. */
  trackRunningStats?: boolean;
}

/**
 * Batch normalisation over channel dim 1, with PyTorch's parameter and buffer names (`weight`,
 * `bias`, `running_mean`, `running_var`, `num_batches_tracked`) and running-statistics update
 * (unbiased batch variance, momentum 0.1).
 */
abstract class BatchNorm extends Module {
  readonly weight: Tensor | null;
  readonly bias: Tensor | null;
  readonly runningMean: Tensor | null;
  readonly runningVar: Tensor | null;
  readonly numBatchesTracked: Tensor | null;
  readonly eps: number;
  readonly momentum: number;

  protected abstract readonly ranks: readonly number[];

  constructor(
    readonly numFeatures: number,
    options: BatchNormOptions = {},
  ) {
    super();
    if (!Number.isInteger(numFeatures) || numFeatures < 1) throw new ValueError(`${new.target.name}: numFeatures must be a positive integer, got ${numFeatures}`);
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum ?? 0.1;
    const affine = options.affine ?? true;
    const track = options.trackRunningStats ?? true;
    this.weight = affine ? this.registerParameter('weight', ones([numFeatures])) : null;
    this.bias = affine ? this.registerParameter('bias', zeros([numFeatures])) : null;
    this.runningMean = track ? this.registerBuffer('running_mean', zeros([numFeatures])) : null;
    this.runningVar = track ? this.registerBuffer('running_var', ones([numFeatures])) : null;
    this.numBatchesTracked = track ? this.registerBuffer('num_batches_tracked', zeros([], { dtype: 'int32' })) : null;
  }

  protected override extraRepr() {
    return { numFeatures: this.numFeatures, eps: this.eps, momentum: this.momentum, affine: this.weight !== null, trackRunningStats: this.runningMean !== null };
  }

  forward(x: Tensor): Tensor {
    if (!this.ranks.includes(x.ndim) || x.shape[1] !== this.numFeatures) {
      const want = this.ranks.map((r) => `${r}-D`).join(' or ');
      throw new ShapeError(`${this.constructor.name}(${this.numFeatures}): expected ${want} input with ${this.numFeatures} channels in dim 1, got [${x.shape.join(', ')}]`);
    }
    const counter = this.numBatchesTracked;
    if (this.training && counter) noGrad(() => tidy(() => void counter.assign(add(counter, 1))));
    return batchNorm(x, this.runningMean, this.runningVar, this.weight, this.bias, {
      training: this.training || !this.runningMean,
      momentum: this.momentum,
      eps: this.eps,
    });
  }
}

/** Over [N, C] or [N, C, L] input. */
export class BatchNorm1d extends BatchNorm {
  protected readonly ranks = [2, 3];
}

/** Over [N, C, H, W] input. */
export class BatchNorm2d extends BatchNorm {
  protected readonly ranks = [4];
}
