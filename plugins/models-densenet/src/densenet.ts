import { adaptiveAvgPool2d, flatten, relu, type Tensor } from '@fovea/core';
import { BatchNorm2d, Conv2d, fuseForInference, init, Linear, MaxPool2d, ReLU, Sequential, type Module } from '@fovea/nn';
import { ImageClassifier } from '@fovea/vision';
import { DenseBlock, transition } from './dense-block.js';

export interface DenseNetConfig {
  /** New channels per dense layer (k). */
  growthRate: number;
  /** Dense layers per block. */
  blockConfig: readonly number[];
  /** Channels of the stem. */
  initFeatures: number;
}

export interface DenseNetOptions {
  numClasses?: number;
  /** Bottleneck width as a multiple of the growth rate (default 4). */
  bnSize?: number;
  /** Dropout after every dense layer (default 0). */
  dropRate?: number;
  /** torchvision's initialisation (default true; false keeps nn's default, e.g. before loading weights). */
  initWeights?: boolean;
}

export const DENSENETS: Record<string, DenseNetConfig> = {
  densenet121: { growthRate: 32, blockConfig: [6, 12, 24, 16], initFeatures: 64 },
  densenet161: { growthRate: 48, blockConfig: [6, 12, 36, 24], initFeatures: 96 },
  densenet169: { growthRate: 32, blockConfig: [6, 12, 32, 32], initFeatures: 64 },
  densenet201: { growthRate: 32, blockConfig: [6, 12, 48, 32], initFeatures: 64 },
};

/** The stem, dense blocks and transitions and the final norm5, by torchvision's names; and its output channels. */
function buildFeatures(config: DenseNetConfig, options: DenseNetOptions): [Sequential, number] {
  const layers: Record<string, Module> = {
    conv0: new Conv2d(3, config.initFeatures, 7, { stride: 2, padding: 3, bias: false }),
    norm0: new BatchNorm2d(config.initFeatures),
    relu0: new ReLU(),
    pool0: new MaxPool2d(3, { stride: 2, padding: 1 }),
  };
  let channels = config.initFeatures;
  config.blockConfig.forEach((n, i) => {
    const block = new DenseBlock(n, channels, config.growthRate, options.bnSize ?? 4, options.dropRate ?? 0);
    layers[`denseblock${i + 1}`] = block;
    channels = block.outChannels;
    if (i < config.blockConfig.length - 1) {
      layers[`transition${i + 1}`] = transition(channels, Math.floor(channels / 2));
      channels = Math.floor(channels / 2);
    }
  });
  layers.norm5 = new BatchNorm2d(channels);
  return [new Sequential(layers), channels];
}

/** What a DenseNet and its fused inference form share: torchvision's module names, the head and the forward. */
export abstract class DenseNetBase extends ImageClassifier {
  readonly headPath = 'classifier';
  readonly minInputSize = 29;
  readonly features: Sequential;

  constructor(
    readonly arch: string,
    numClasses: number,
    features: Sequential,
    /** Channels of the features the classifier reads. */
    readonly numFeatures: number,
  ) {
    super(numClasses);
    this.features = this.register('features', features);
  }

  /** A linear layer with zero bias, as torchvision initialises it. */
  protected makeHead(numClasses: number): Module {
    const fc = new Linear(this.numFeatures, numClasses);
    init.zeros(fc.bias!);
    return fc;
  }

  protected backbone(x: Tensor): Tensor {
    return flatten(adaptiveAvgPool2d(relu(this.features.call(x)), 1), 1);
  }
}

/**
 * DenseNet-BC (Huang et al. 2017) in torchvision's layout: a 7×7/2 stem and max pool, dense
 * blocks joined by transitions that halve channels and resolution, a final BN–ReLU, global
 * average pooling and the `classifier` head.
 */
export class DenseNet extends DenseNetBase {
  constructor(arch: string, config: DenseNetConfig, options: DenseNetOptions = {}) {
    const [features, channels] = buildFeatures(config, options);
    super(arch, options.numClasses ?? 1000, features, channels);
    this.register('classifier', this.makeHead(this.numClasses));
    if (options.initWeights ?? true) {
      for (const m of this.features.modules()) if (m instanceof Conv2d) init.kaimingNormal(m.weight);
    }
  }

  /**
   * The network for inference (`fuseForInference`): the stem's conv0 → norm0 → relu0 and each
   * dense layer's conv1 → norm2 → ReLU as one FusedConv2d. The pre-activation batch norms
   * (norm1, the transitions' norm, norm5) stay: they normalise concatenations, not a conv's
   * output. What is not fused is shared, the classifier included.
   */
  override fuse(): Module {
    return new FusedDenseNet(this.arch, this.numClasses, fuseForInference(this.features) as Sequential, this.numFeatures, this.head);
  }
}

/** A DenseNet's eval-mode forward with its conv → BN → ReLU runs fused, made by `fuseForInference(densenet)`. */
export class FusedDenseNet extends DenseNetBase {
  constructor(arch: string, numClasses: number, features: Sequential, numFeatures: number, classifier: Module) {
    super(arch, numClasses, features, numFeatures);
    this.register('classifier', classifier);
  }
}
