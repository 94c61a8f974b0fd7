import { adaptiveAvgPool2d, concat, flatten, relu, type Tensor } from '@fovea/core';
import { BatchNorm2d, Conv2d, Dropout, fuseConv, fuseForInference, Linear, MaxPool2d, Module, Sequential, type Conv2dOptions } from '@fovea/nn';

/** Conv (no bias) → BN (eps 0.001) → ReLU, torchvision's `BasicConv2d` (`conv`, `bn`). */
export class BasicConv2d extends Module {
  readonly conv: Conv2d;
  readonly bn: BatchNorm2d;

  constructor(inChannels: number, outChannels: number, kernelSize: number, options: Omit<Conv2dOptions, 'bias'> = {}) {
    super();
    this.conv = this.register('conv', new Conv2d(inChannels, outChannels, kernelSize, { ...options, bias: false }));
    this.bn = this.register('bn', new BatchNorm2d(outChannels, { eps: 0.001 }));
  }

  /** The block for inference (`fuseForInference`): one FusedConv2d, the BN folded into its weight and bias, the ReLU inside. */
  override fuse(): Module {
    return fuseConv(this.conv, { bn: this.bn, activation: 'relu' });
  }

  forward(x: Tensor): Tensor {
    return relu(this.bn.call(this.conv.call(x)));
  }
}

/** Output channels of an inception module's four branches, and the reductions before them. */
export interface InceptionSpec {
  ch1x1: number;
  ch3x3red: number;
  ch3x3: number;
  ch5x5red: number;
  ch5x5: number;
  poolProj: number;
}

/** Branches run on one input, their outputs concatenated along channels: an inception module's forward. */
export class Branches extends Module {
  constructor(readonly branches: readonly Module[]) {
    super();
    branches.forEach((b, i) => this.register(`branch${i + 1}`, b));
  }

  forward(x: Tensor): Tensor {
    return concat(this.branches.map((b) => b.call(x)), 1);
  }
}

/**
 * The inception module (Szegedy et al. 2014): 1×1; 1×1 → 3×3; 1×1 → "5×5"; 3×3 max pool → 1×1,
 * concatenated along channels. As in torchvision (whose weights this must load), the "5×5"
 * branch uses a 3×3 kernel.
 */
export class Inception extends Branches {
  readonly outChannels: number;

  constructor(inChannels: number, s: InceptionSpec) {
    super([
      new BasicConv2d(inChannels, s.ch1x1, 1),
      new Sequential(new BasicConv2d(inChannels, s.ch3x3red, 1), new BasicConv2d(s.ch3x3red, s.ch3x3, 3, { padding: 1 })),
      new Sequential(new BasicConv2d(inChannels, s.ch5x5red, 1), new BasicConv2d(s.ch5x5red, s.ch5x5, 3, { padding: 1 })),
      new Sequential(new MaxPool2d(3, { stride: 1, padding: 1, ceilMode: true }), new BasicConv2d(inChannels, s.poolProj, 1)),
    ]);
    this.outChannels = s.ch1x1 + s.ch3x3 + s.ch5x5 + s.poolProj;
  }

  /** The module for inference (`fuseForInference`): every conv → BN → ReLU of its branches as one FusedConv2d. */
  override fuse(): Module {
    return new Branches(this.branches.map((b) => fuseForInference(b)));
  }
}

/** An auxiliary classifier: 4×4 average pool, 1×1 conv to 128, fc 2048 → 1024, dropout 0.7, fc2 to the classes. */
export class InceptionAux extends Module {
  readonly conv: BasicConv2d;
  readonly fc1: Linear;
  readonly dropout: Dropout;

  constructor(inChannels: number, numClasses: number, dropout = 0.7) {
    super();
    this.conv = this.register('conv', new BasicConv2d(inChannels, 128, 1));
    this.fc1 = this.register('fc1', new Linear(2048, 1024));
    this.register('fc2', new Linear(1024, numClasses));
    this.dropout = this.register('dropout', new Dropout(dropout));
  }

  /** The classifier's last layer (looked up by name, so a replaced one is used). */
  get fc2(): Linear {
    return this.namedChildren().find(([n]) => n === 'fc2')![1] as Linear;
  }

  forward(x: Tensor): Tensor {
    const h = flatten(this.conv.call(adaptiveAvgPool2d(x, 4)), 1);
    return this.fc2.call(this.dropout.call(relu(this.fc1.call(h))));
  }
}
