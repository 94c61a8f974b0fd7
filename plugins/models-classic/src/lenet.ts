import { flatten, type Tensor } from '@fovea/core';
import { AvgPool2d, Conv2d, Linear, Sequential, Tanh, type Module } from '@fovea/nn';
import { ImageClassifier } from '@fovea/vision';

export interface LeNet5Options {
  numClasses?: number;
  /** Channels of the input (default 1, grayscale digits). */
  inChannels?: number;
}

/**
 * LeNet-5 (LeCun et al. 1998) on 32×32 input: conv 5×5 to 6 maps → tanh → 2×2 average
 * subsampling → conv 5×5 to 16 → tanh → subsampling → fully connected 120 → 84 → classes, tanh
 * between. (The original's trainable subsampling coefficients and partial C3 connectivity are
 * replaced by plain average pooling and full connectivity, as modern re-implementations do.)
 */
export class LeNet5 extends ImageClassifier {
  readonly arch = 'lenet5';
  readonly headPath = 'classifier.4';
  readonly minInputSize = 32;
  override readonly fixedInputSize = 32;
  override readonly inChannels: number;
  readonly features: Sequential;
  readonly classifier: Sequential;

  constructor(options: LeNet5Options = {}) {
    super(options.numClasses ?? 10);
    this.inChannels = options.inChannels ?? 1;
    this.features = this.register('features', new Sequential(new Conv2d(this.inChannels, 6, 5), new Tanh(), new AvgPool2d(2), new Conv2d(6, 16, 5), new Tanh(), new AvgPool2d(2)));
    this.classifier = this.register('classifier', new Sequential(new Linear(400, 120), new Tanh(), new Linear(120, 84), new Tanh(), this.makeHead(this.numClasses)));
  }

  protected makeHead(numClasses: number): Module {
    return new Linear(84, numClasses);
  }

  protected backbone(x: Tensor): Tensor {
    return this.classifier.children().slice(0, -1).reduce((h, m) => m.call(h), flatten(this.features.call(x), 1));
  }
}
