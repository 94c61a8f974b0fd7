import { linear, max, reshape, ValueError, zeros, type Tensor } from '@fovea/core';
import { defaultLayerInit } from '../init.js';
import { Module } from '../module.js';

export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

function requireSize(value: number, layer: string, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new ValueError(`${layer}: ${name} must be a positive integer, got ${value}`);
  return value;
}

/** y = x·Wᵀ + b; weight [outFeatures, inFeatures] as in PyTorch, initialised as torch does. */
export class Linear extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    super();
    requireSize(inFeatures, 'Linear', 'inFeatures');
    requireSize(outFeatures, 'Linear', 'outFeatures');
    this.weight = this.registerParameter('weight', zeros([outFeatures, inFeatures]));
    this.bias = options.bias === false ? null : this.registerParameter('bias', zeros([outFeatures]));
    defaultLayerInit(this.weight, this.bias);
  }

  protected override extraRepr() {
    return { inFeatures: this.inFeatures, outFeatures: this.outFeatures, bias: this.bias !== null };
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }
}

export interface MaxoutOptions extends LinearOptions {
  /** Linear pieces per output unit (default 2). */
  pieces?: number;
}

/**
 * The notes' maxout unit: max(w₁ᵀx + b₁, …, w_kᵀx + b_k) per output. The weight holds the k
 * pieces of each output in consecutive rows: [outFeatures·pieces, inFeatures].
 */
export class Maxout extends Module {
  readonly weight: Tensor;
  readonly bias: Tensor | null;
  readonly pieces: number;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: MaxoutOptions = {},
  ) {
    super();
    requireSize(inFeatures, 'Maxout', 'inFeatures');
    requireSize(outFeatures, 'Maxout', 'outFeatures');
    this.pieces = requireSize(options.pieces ?? 2, 'Maxout', 'pieces');
    const rows = outFeatures * this.pieces;
    this.weight = this.registerParameter('weight', zeros([rows, inFeatures]));
    this.bias = options.bias === false ? null : this.registerParameter('bias', zeros([rows]));
    defaultLayerInit(this.weight, this.bias);
  }

  protected override extraRepr() {
    return { inFeatures: this.inFeatures, outFeatures: this.outFeatures, pieces: this.pieces, bias: this.bias !== null };
  }

  forward(x: Tensor): Tensor {
    const y = linear(x, this.weight, this.bias);
    return max(reshape(y, [...y.shape.slice(0, -1), this.outFeatures, this.pieces]), -1);
  }
}
