import { FUSED_ACTIVATIONS, fusedConv2d, ValueError, type FusedActivation, type IntOrPair, type Tensor } from '@fovea/core';
import { Conv2d, type Conv2dOptions } from './conv.js';

export interface FusedConv2dOptions extends Conv2dOptions {
  /** Applied after the bias and the residual (default 'none'). */
  activation?: FusedActivation;
}

/**
 * A Conv2d whose bias, optional residual and activation run inside one `fusedConv2d` op:
 * `act(conv(x) + bias + residual)`. `fuseForInference` puts these in place of
 * Conv2d → BatchNorm2d → ReLU runs; it also trains like a Conv2d.
 */
export class FusedConv2d extends Conv2d {
  readonly activation: FusedActivation;

  constructor(inChannels: number, outChannels: number, kernelSize: IntOrPair, options: FusedConv2dOptions = {}) {
    super(inChannels, outChannels, kernelSize, options);
    this.activation = options.activation ?? 'none';
    if (!FUSED_ACTIVATIONS.includes(this.activation)) {
      throw new ValueError(`FusedConv2d: unknown activation ${JSON.stringify(this.activation)}; expected one of ${FUSED_ACTIVATIONS.join(', ')}`);
    }
  }

  protected override extraRepr() {
    return { ...super.extraRepr(), activation: this.activation };
  }

  /** `residual`, when given, must have the output's shape; it is added before the activation. */
  override forward(x: Tensor, residual?: Tensor): Tensor {
    const { stride, padding, dilation, groups, activation } = this;
    return fusedConv2d(x, this.weight, this.bias, { stride, padding, dilation, groups, activation, residual: residual ?? null });
  }
}
