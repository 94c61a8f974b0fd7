import { elu, full, leakyRelu, prelu, relu, sigmoid, tanh, type Tensor } from '@fovea/core';
import { Module } from '../module.js';

export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }

  protected override extraRepr() {
    return { negativeSlope: this.negativeSlope };
  }

  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
}

/** Leaky ReLU with a learned slope: one shared (default) or one per channel (dim 1). */
export class PReLU extends Module {
  readonly weight: Tensor;

  constructor(numParameters = 1, init = 0.25) {
    super();
    this.weight = this.registerParameter('weight', full([numParameters], init));
  }

  protected override extraRepr() {
    return { numParameters: this.weight.size };
  }

  forward(x: Tensor): Tensor {
    return prelu(x, this.weight);
  }
}

export class ELU extends Module {
  constructor(readonly alpha = 1) {
    super();
  }

  protected override extraRepr() {
    return { alpha: this.alpha };
  }

  forward(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }
}

export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
}

export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
}
