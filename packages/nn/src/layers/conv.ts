import { conv2d, ValueError, zeros, type IntOrPair, type Tensor } from '@fovea/core';
import { defaultLayerInit } from '../init.js';
import { Module } from '../module.js';

export interface Conv2dOptions {
  stride?: IntOrPair;
  padding?: IntOrPair;
  dilation?: IntOrPair;
  groups?: number;
  bias?: boolean;
}

const pair = (v: IntOrPair): [number, number] => (typeof v === 'number' ? [v, v] : [v[0]!, v[1]!]);

/** 2-D convolution over NCHW input; weight [outChannels, inChannels/groups, kh, kw]. */
export class Conv2d extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly kernelSize: [number, number];
  readonly stride: IntOrPair;
  readonly padding: IntOrPair;
  readonly dilation: IntOrPair;
  readonly groups: number;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: IntOrPair,
    options: Conv2dOptions = {},
  ) {
    super();
    this.kernelSize = pair(kernelSize);
    this.stride = options.stride ?? 1;
    this.padding = options.padding ?? 0;
    this.dilation = options.dilation ?? 1;
    this.groups = options.groups ?? 1;
    const g = this.groups;
    if (!Number.isInteger(g) || g < 1 || inChannels % g || outChannels % g) {
      throw new ValueError(`Conv2d: groups=${g} must be a positive integer dividing inChannels ${inChannels} and outChannels ${outChannels}`);
    }
    if ([inChannels, outChannels, ...this.kernelSize].some((n) => !Number.isInteger(n) || n < 1)) {
      throw new ValueError(`Conv2d: channels and kernel size must be positive integers, got ${inChannels}, ${outChannels}, [${this.kernelSize}]`);
    }
    this.weight = this.registerParameter('weight', zeros([outChannels, inChannels / g, ...this.kernelSize]));
    this.bias = options.bias === false ? null : this.registerParameter('bias', zeros([outChannels]));
    defaultLayerInit(this.weight, this.bias);
  }

  protected override extraRepr() {
    const { stride, padding, dilation, groups } = this;
    return { inChannels: this.inChannels, outChannels: this.outChannels, kernelSize: this.kernelSize, stride, padding, dilation, groups, bias: this.bias !== null };
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }
}
