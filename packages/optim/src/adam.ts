import { adamStep, ValueError, type Tensor } from '@fovea/core';
import { Optimizer, requireRange, store, stored, type ParamState, type ParamsInput } from './optimizer.js';

export interface AdamOptions {
  lr: number;
  betas: [number, number];
  eps: number;
  weightDecay: number;
  /** Use the maximum of past second-moment estimates (Reddi et al.). */
  amsgrad: boolean;
}

/**
 * Adam with bias correction; weight decay is added to the gradient (L2), as in PyTorch's Adam.
 * AdamW below decays the weights directly instead. Each parameter's update is one `adamStep` op.
 */
export class Adam extends Optimizer<AdamOptions> {
  /** Decoupled weight decay (AdamW) rather than L2 added to the gradient. */
  protected readonly decoupled: boolean = false;

  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, ...options });
  }

  protected validate(o: AdamOptions): void {
    const name = this.constructor.name;
    if (!Array.isArray(o.betas) || o.betas.length !== 2) throw new ValueError(`${name}: betas must be a pair, got ${JSON.stringify(o.betas)}`);
    requireRange(name, o, ['lr', 'eps', 'weightDecay']);
    requireRange(name, { beta1: o.betas[0], beta2: o.betas[1] }, [], ['beta1', 'beta2']);
  }

  protected update(p: Tensor, grad: Tensor, state: ParamState, o: AdamOptions): void {
    const step = (state.step = ((state.step as number | undefined) ?? 0) + 1);
    const moments = ['expAvg', 'expAvgSq', ...(o.amsgrad ? ['maxExpAvgSq'] : [])];
    const [beta1, beta2] = o.betas;
    const [next, ...updated] = adamStep([p, grad, ...moments.map((key) => stored(state, key, p))], {
      lr: o.lr, beta1, beta2, eps: o.eps, weightDecay: o.weightDecay, decoupled: this.decoupled, amsgrad: o.amsgrad, step,
    });
    moments.forEach((key, i) => store(state, key, updated[i]!));
    p.assign(next!);
  }
}

/** Adam with decoupled weight decay (Loshchilov & Hutter): w ← w(1 − lr·λ) before the Adam step. */
export class AdamW extends Adam {
  protected override readonly decoupled: boolean = true;

  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, { weightDecay: 1e-2, ...options });
  }
}
