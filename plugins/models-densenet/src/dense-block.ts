import { concat, dropout, relu, type Tensor } from '@fovea/core';
import { AvgPool2d, BatchNorm2d, Conv2d, Module, ReLU, Sequential } from '@fovea/nn';

/**
 * One layer of a dense block: BN → ReLU → 1×1 conv to `bnSize·growth` channels (the bottleneck)
 * → BN → ReLU → 3×3 conv to `growth` new channels, over the concatenation of every earlier
 * feature map of the block.
 */
export class DenseLayer extends Module {
  readonly norm1: BatchNorm2d;
  readonly conv1: Conv2d;
  readonly norm2: BatchNorm2d;
  readonly conv2: Conv2d;

  constructor(inChannels: number, growth: number, bnSize: number, readonly dropRate: number) {
    super();
    const mid = bnSize * growth;
    this.norm1 = this.register('norm1', new BatchNorm2d(inChannels));
    this.register('relu1', new ReLU());
    this.conv1 = this.register('conv1', new Conv2d(inChannels, mid, 1, { bias: false }));
    this.norm2 = this.register('norm2', new BatchNorm2d(mid));
    this.register('relu2', new ReLU());
    this.conv2 = this.register('conv2', new Conv2d(mid, growth, 3, { padding: 1, bias: false }));
  }

  forward(...features: Tensor[]): Tensor {
    const x = features.length === 1 ? features[0]! : concat(features, 1);
    const y = this.conv2.call(relu(this.norm2.call(this.conv1.call(relu(this.norm1.call(x))))));
    return this.dropRate > 0 ? dropout(y, this.dropRate, this.training) : y;
  }
}

/** `layers` dense layers, each fed every earlier output; returns them all concatenated. */
export class DenseBlock extends Module {
  readonly layers: DenseLayer[] = [];
  readonly outChannels: number;

  constructor(layers: number, inChannels: number, growth: number, bnSize: number, dropRate: number) {
    super();
    for (let i = 0; i < layers; i++) {
      this.layers.push(this.register(`denselayer${i + 1}`, new DenseLayer(inChannels + i * growth, growth, bnSize, dropRate)));
    }
    this.outChannels = inChannels + layers * growth;
  }

  forward(x: Tensor): Tensor {
    const features = [x];
    for (const layer of this.layers) features.push(layer.call(...features));
    return concat(features, 1);
  }
}

/** Between blocks: BN → ReLU → 1×1 conv to `outChannels` → 2×2 average pool. */
export function transition(inChannels: number, outChannels: number): Sequential {
  return new Sequential({
    norm: new BatchNorm2d(inChannels),
    relu: new ReLU(),
    conv: new Conv2d(inChannels, outChannels, 1, { bias: false }),
    pool: new AvgPool2d(2, { stride: 2 }),
  });
}
