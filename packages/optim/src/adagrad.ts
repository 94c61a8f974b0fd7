import { add, div, mul, sqrt, sub, type Tensor } from '@fovea/core';
import { Optimizer, requireRange, store, stored, type ParamState, type ParamsInput } from './optimizer.js';

export interface AdagradOptions {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
}

/** Adagrad: per-element steps lr·g/(√Σg² + eps), the sum kept since the start. */
export class Adagrad extends Optimizer<AdagradOptions> {
  constructor(params: ParamsInput<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super(params, { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, ...options });
  }

  protected validate(o: AdagradOptions): void {
    requireRange('Adagrad', o, ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps']);
  }

  protected update(p: Tensor, grad: Tensor, state: ParamState, o: AdagradOptions): void {
    const step = (state.step = ((state.step as number | undefined) ?? 0) + 1);
    const g = o.weightDecay ? add(grad, mul(p, o.weightDecay)) : grad;
    const sum = store(state, 'sum', add(stored(state, 'sum', p, o.initialAccumulatorValue), mul(g, g)));
    const lr = o.lr / (1 + (step - 1) * o.lrDecay);
    p.assign(sub(p, mul(div(g, add(sqrt(sum), o.eps)), lr)));
  }
}
