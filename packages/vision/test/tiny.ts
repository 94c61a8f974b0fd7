import { flatten, adaptiveAvgPool2d, relu, type Tensor } from '@fovea/core';
import { Conv2d, Linear, type Module } from '@fovea/nn';
import { ImageClassifier } from '../src/index.js';

/** A two-layer classifier for the tests: conv 3×3/2 → ReLU → global pool → `fc`. */
export class Tiny extends ImageClassifier {
  readonly arch = 'tiny';
  readonly headPath = 'fc';
  readonly minInputSize = 3;
  readonly conv: Conv2d;

  constructor(numClasses = 4) {
    super(numClasses);
    this.conv = this.register('conv', new Conv2d(3, 8, 3, { stride: 2 }));
    this.register('fc', this.makeHead(numClasses));
  }

  protected makeHead(numClasses: number): Module {
    return new Linear(8, numClasses);
  }

  protected backbone(x: Tensor): Tensor {
    return flatten(adaptiveAvgPool2d(relu(this.conv.call(x)), 1), 1);
  }
}
