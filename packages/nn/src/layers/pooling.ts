import { adaptiveAvgPool2d, avgPool2d, maxPool2d, type IntOrPair, type Tensor } from '@fovea/core';
import { Module } from '../module.js';

export interface Pool2dOptions {
  /** Defaults to the kernel size. */
  stride?: IntOrPair;
  padding?: IntOrPair;
  /** Round the output size up, as PyTorch's `ceil_mode` (default false). */
  ceilMode?: boolean;
}

export class MaxPool2d extends Module {
  constructor(
    readonly kernelSize: IntOrPair,
    readonly options: Pool2dOptions = {},
  ) {
    super();
  }

  protected override extraRepr() {
    return { kernelSize: this.kernelSize, ...this.options };
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, { kernelSize: this.kernelSize, ...this.options });
  }
}

export class AvgPool2d extends Module {
  constructor(
    readonly kernelSize: IntOrPair,
    readonly options: Pool2dOptions & { countIncludePad?: boolean } = {},
  ) {
    super();
  }

  protected override extraRepr() {
    return { kernelSize: this.kernelSize, ...this.options };
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, { kernelSize: this.kernelSize, ...this.options });
  }
}

/** Averages each channel down to `outputSize` whatever the input size (PyTorch's bin edges). */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: IntOrPair) {
    super();
  }

  protected override extraRepr() {
    return { outputSize: this.outputSize };
  }

  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }
}
