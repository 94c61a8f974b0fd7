import { flatten, type Tensor } from '@fovea/core';
import { Module } from '../module.js';

/** Flattens dims startDim..endDim (by default all but the batch dim). */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }

  protected override extraRepr() {
    return { startDim: this.startDim, endDim: this.endDim };
  }

  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }
}

/** Passes its input through (a placeholder where an architecture needs a layer slot). */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}
