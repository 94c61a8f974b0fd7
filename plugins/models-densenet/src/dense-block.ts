import { concat, dropout, relu, type Tensor } from '@fovea/core';
import { AvgPool2d, BatchNorm2d, Conv2d, fuseConv, Module, ReLU, Sequential, type FusedConv2d } from '@fovea/nn';

/** What a dense layer and its fused inference form share: the forward around the bottleneck. */
export abstract class DenseLayerBase extends Module {
  abstract readonly norm1: BatchNorm2d;
  abstract readonly conv2: Conv2d;

  constructor(readonly dropRate: number) {
    super();
  }

  /** The bottleneck, from relu(norm1(x)) to the 3×3 conv's input. */
  protected abstract bottleneck(x: Tensor): Tensor;

  forward(...features: Tensor[]): Tensor {
    const x = features.length === 1 ? features[0]! : concat(features, 1);
    const y = this.conv2.call(this.bottleneck(relu(this.norm1.call(x))));
    return this.dropRate > 0 ? dropout(y, this.dropRate, this.training) : y;
  }
}

/**
 * One layer of a dense block: BN → ReLU → 1×1 conv to `bnSize·growth` channels (the bottleneck)
 * → BN → ReLU → 3×3 conv to `growth` new channels, over the concatenation of every earlier
 * feature map of the block.
 */
export class DenseLayer extends DenseLayerBase {
  readonly norm1: BatchNorm2d;
  readonly conv1: Conv2d;
  readonly norm2: BatchNorm2d;
  readonly conv2: Conv2d;

  constructor(inChannels: number, growth: number, bnSize: number, dropRate: number) {
    super(dropRate);
    const mid = bnSize * growth;
    this.norm1 = this.register('norm1', new BatchNorm2d(inChannels));
    this.register('relu1', new ReLU());
    this.conv1 = this.register('conv1', new Conv2d(inChannels, mid, 1, { bias: false }));
    this.norm2 = this.register('norm2', new BatchNorm2d(mid));
    this.register('relu2', new ReLU());
    this.conv2 = this.register('conv2', new Conv2d(mid, growth, 3, { padding: 1, bias: false }));
  }

  protected bottleneck(x: Tensor): Tensor {
    return relu(this.norm2.call(this.conv1.call(x)));
  }

  /**
   * The layer for inference (`fuseForInference`): the bottleneck conv1 → norm2 → ReLU as one
   * FusedConv2d. norm1 stays (it normalises the concatenation, and a ReLU parts it from
   * conv1), and so does conv2 (nothing of its own follows it); both are shared.
   */
  override fuse(): FusedDenseLayer {
    return new FusedDenseLayer(this.norm1, fuseConv(this.conv1, { bn: this.norm2, activation: 'relu' }), this.conv2, this.dropRate);
  }
}

/** A dense layer's forward with its bottleneck as one FusedConv2d, made by `fuseForInference`. */
export class FusedDenseLayer extends DenseLayerBase {
  constructor(
    readonly norm1: BatchNorm2d,
    readonly conv1: FusedConv2d,
    readonly conv2: Conv2d,
    dropRate: number,
  ) {
    super(dropRate);
    this.register('norm1', norm1);
    this.register('conv1', conv1);
    this.register('conv2', conv2);
  }

  protected bottleneck(x: Tensor): Tensor {
    return this.conv1.call(x);
  }
}

/** Dense layers, each fed every earlier output; returns them all concatenated. */
export abstract class DenseBlockBase<L extends DenseLayerBase> extends Module {
  constructor(readonly layers: readonly L[]) {
    super();
    layers.forEach((layer, i) => this.register(`denselayer${i + 1}`, layer));
  }

  forward(x: Tensor): Tensor {
    const features = [x];
    for (const layer of this.layers) features.push(layer.call(...features));
    return concat(features, 1);
  }
}

/** `layers` dense layers adding `growth` channels each to `inChannels`. */
export class DenseBlock extends DenseBlockBase<DenseLayer> {
  readonly outChannels: number;

  constructor(layers: number, inChannels: number, growth: number, bnSize: number, dropRate: number) {
    super(Array.from({ length: layers }, (_, i) => new DenseLayer(inChannels + i * growth, growth, bnSize, dropRate)));
    this.outChannels = inChannels + layers * growth;
  }

  /** The block for inference (`fuseForInference`): each layer's bottleneck fused. */
  override fuse(): FusedDenseBlock {
    return new FusedDenseBlock(this.layers.map((layer) => layer.fuse()));
  }
}

/** A dense block of fused layers, made by `fuseForInference`. */
export class FusedDenseBlock extends DenseBlockBase<FusedDenseLayer> {}

/** Between blocks: BN → ReLU → 1×1 conv to `outChannels` → 2×2 average pool. */
export function transition(inChannels: number, outChannels: number): Sequential {
  return new Sequential({
    norm: new BatchNorm2d(inChannels),
    relu: new ReLU(),
    conv: new Conv2d(inChannels, outChannels, 1, { bias: false }),
    pool: new AvgPool2d(2, { stride: 2 }),
  });
}
