import { embedding, randn, ValueError, type Tensor } from '@fovea/core';
import { Module } from '../module.js';

/** A lookup table of `numEmbeddings` vectors of size `embeddingDim`, initialised N(0, 1) as in torch. */
export class Embedding extends Module {
  readonly weight: Tensor;

  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
  ) {
    super();
    if ([numEmbeddings, embeddingDim].some((n) => !Number.isInteger(n) || n < 1)) {
      throw new ValueError(`Embedding: sizes must be positive integers, got ${numEmbeddings}, ${embeddingDim}`);
    }
    this.weight = this.registerParameter('weight', randn([numEmbeddings, embeddingDim]));
  }

  protected override extraRepr() {
    return { numEmbeddings: this.numEmbeddings, embeddingDim: this.embeddingDim };
  }

  /** int32 indices of any shape → [...indices.shape, embeddingDim]. */
  forward(indices: Tensor): Tensor {
    return embedding(indices, this.weight);
  }
}
