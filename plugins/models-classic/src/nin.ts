import { adaptiveAvgPool2d, flatten, type Tensor } from '@fovea/core';
import { Conv2d, Dropout, MaxPool2d, ReLU, Sequential, type Module } from '@fovea/nn';
import { ImageClassifier } from '@fovea/vision';
import { minInputSize, type Window } from './windows.js';

/** An mlpconv block: a k×k conv, then two 1×1 convs (the "micro network"), ReLU after each. */
export function ninBlock(inChannels: number, outChannels: number, [k, stride, padding]: Window): Sequential {
  return new Sequential(
    new Conv2d(inChannels, outChannels, k, { stride, padding }), new ReLU(),
    new Conv2d(outChannels, outChannels, 1), new ReLU(),
    new Conv2d(outChannels, outChannels, 1), new ReLU(),
  );
}

export interface NiNOptions {
  numClasses?: number;
  /** Dropout before the last block (default 0.5). */
  dropout?: number;
}

const POOL: Window = [3, 2, 0];
const LAST: Window = [3, 1, 1];

/**
 * Network in Network (Lin et al. 2013) for ImageNet-sized input: three mlpconv blocks with max
 * pooling, dropout, a last mlpconv block with one map per class (the head, `features.7`), and
 * global average pooling instead of fully connected layers.
 */
export class NiN extends ImageClassifier {
  readonly arch = 'nin';
  readonly headPath = 'features.7';
  readonly minInputSize = minInputSize([[11, 4, 0], POOL, [5, 1, 2], POOL, [3, 1, 1], POOL, LAST]);
  readonly features: Sequential;

  constructor(options: NiNOptions = {}) {
    super(options.numClasses ?? 1000);
    this.features = this.register('features', new Sequential(
      ninBlock(3, 96, [11, 4, 0]), new MaxPool2d(3, { stride: 2 }),
      ninBlock(96, 256, [5, 1, 2]), new MaxPool2d(3, { stride: 2 }),
      ninBlock(256, 384, [3, 1, 1]), new MaxPool2d(3, { stride: 2 }),
      new Dropout(options.dropout ?? 0.5), this.makeHead(this.numClasses),
    ));
  }

  protected makeHead(numClasses: number): Module {
    return ninBlock(384, numClasses, LAST);
  }

  /** Everything before the last block: 384 feature maps. */
  protected backbone(x: Tensor): Tensor {
    return this.features.children().slice(0, -1).reduce((h, m) => m.call(h), x);
  }

  override forwardHead(features: Tensor): Tensor {
    return flatten(adaptiveAvgPool2d(this.head.call(features), 1), 1);
  }
}
