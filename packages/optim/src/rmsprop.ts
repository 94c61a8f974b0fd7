import { add, div, mul, sqrt, sub, type Tensor } from '@fovea/core';
import { Optimizer, requireRange, store, stored, type ParamState, type ParamsInput } from './optimizer.js';

export interface RMSpropOptions {
  lr: number;
  /** Decay rate of the running average of squared gradients. */
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  /** Normalise by the variance estimate (E[g²] − E[g]²) instead of E[g²]. */
  centered: boolean;
}

/** RMSprop (Hinton's lecture 6e, PyTorch's form: eps outside the square root, optional momentum). */
export class RMSprop extends Optimizer<RMSpropOptions> {
  constructor(params: ParamsInput<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super(params, { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, ...options });
  }

  protected validate(o: RMSpropOptions): void {
    requireRange('RMSprop', o, ['lr', 'eps', 'weightDecay', 'momentum', 'alpha']);
  }

  protected update(p: Tensor, grad: Tensor, state: ParamState, o: RMSpropOptions): void {
    const g = o.weightDecay ? add(grad, mul(p, o.weightDecay)) : grad;
    const ema = (key: string, v: Tensor) => store(state, key, add(mul(stored(state, key, p), o.alpha), mul(v, 1 - o.alpha)));
    let variance = ema('squareAvg', mul(g, g));
    if (o.centered) {
      const mean = ema('gradAvg', g);
      variance = sub(variance, mul(mean, mean));
    }
    const direction = div(g, add(sqrt(variance), o.eps));
    const stepDir = o.momentum ? store(state, 'momentumBuffer', add(mul(stored(state, 'momentumBuffer', p), o.momentum), direction)) : direction;
    p.assign(sub(p, mul(stepDir, o.lr)));
  }
}
