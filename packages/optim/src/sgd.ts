import { add, mul, sub, ValueError, type Tensor } from '@fovea/core';
import { Optimizer, requireRange, store, type ParamState, type ParamsInput } from './optimizer.js';

export interface SGDOptions {
  lr: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
}

/**
 * Stochastic gradient descent with PyTorch's semantics: g ← ∇ + λw; with momentum
 * v ← μv + (1 − dampening)g (v = g on the first step) and the step is v, or g + μv for Nesterov.
 */
export class SGD extends Optimizer<SGDOptions> {
  constructor(params: ParamsInput<SGDOptions>, options: Partial<SGDOptions> & { lr: number }) {
    super(params, { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, ...options });
  }

  protected validate(o: SGDOptions): void {
    requireRange('SGD', o, ['lr', 'momentum', 'dampening', 'weightDecay']);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) throw new ValueError('SGD: Nesterov momentum needs momentum > 0 and dampening 0');
  }

  protected update(p: Tensor, grad: Tensor, state: ParamState, o: SGDOptions): void {
    let d = o.weightDecay ? add(grad, mul(p, o.weightDecay)) : grad;
    if (o.momentum) {
      const previous = state.momentumBuffer as Tensor | undefined;
      const buf = store(state, 'momentumBuffer', previous ? add(mul(previous, o.momentum), mul(d, 1 - o.dampening)) : d);
      d = o.nesterov ? add(d, mul(buf, o.momentum)) : buf;
    }
    p.assign(sub(p, mul(d, o.lr)));
  }
}
