import { flatten, type Tensor } from '@fovea/core';
import { AdaptiveAvgPool2d, Conv2d, Dropout, fuseForInference, init, MaxPool2d, ReLU, Sequential, type Module } from '@fovea/nn';
import { ImageClassifier } from '@fovea/vision';
import { Fire } from './fire.js';

export type SqueezeNetVersion = '1_0' | '1_1';

export interface SqueezeNetOptions {
  numClasses?: number;
  /** Dropout before the final conv (default 0.5). */
  dropout?: number;
  /** torchvision's initialisation (default true; false keeps nn's default, e.g. before loading weights). */
  initWeights?: boolean;
}

/** A layer of the feature stack: a fire module [in, squeeze, expand] or a ceil-mode 3×3/2 max pool. */
type Layer = [number, number, number] | 'pool';

/**
 * Iandola et al. 2016. 1.0 opens with a 7×7/2 conv to 96 channels; 1.1 with a 3×3/2 conv to 64
 * and earlier pooling (2.4× less computation, same accuracy). Both end in a 1×1 conv to the
 * classes and global average pooling, with torchvision's `features.*`/`classifier.1.*` names.
 */
const LAYOUTS: Record<SqueezeNetVersion, { stem: [number, number]; layers: Layer[]; minInputSize: number }> = {
  '1_0': {
    stem: [96, 7],
    layers: ['pool', [96, 16, 64], [128, 16, 64], [128, 32, 128], 'pool', [256, 32, 128], [256, 48, 192], [384, 48, 192], [384, 64, 256], 'pool', [512, 64, 256]],
    minInputSize: 21,
  },
  '1_1': {
    stem: [64, 3],
    layers: ['pool', [64, 16, 64], [128, 16, 64], 'pool', [128, 32, 128], [256, 32, 128], 'pool', [256, 48, 192], [384, 48, 192], [384, 64, 256], [512, 64, 256]],
    minInputSize: 17,
  },
};

/** The stem conv and ReLU, then fire modules and ceil-mode max pools. */
function featureLayers(version: SqueezeNetVersion): Sequential {
  const { stem, layers } = LAYOUTS[version];
  const modules: Module[] = [new Conv2d(3, stem[0], stem[1], { stride: 2 }), new ReLU()];
  for (const l of layers) modules.push(l === 'pool' ? new MaxPool2d(3, { stride: 2, ceilMode: true }) : new Fire(l[0], l[1], l[2], l[2]));
  return new Sequential(...modules);
}

/** What a SqueezeNet and its fused inference form share: torchvision's module names, the head and the forward. */
export abstract class SqueezeNetBase extends ImageClassifier {
  readonly arch: string;
  readonly headPath = 'classifier';
  readonly minInputSize: number;
  readonly features: Sequential;

  constructor(
    readonly version: SqueezeNetVersion,
    numClasses: number,
    /** The classifier's dropout probability. */
    readonly dropout: number,
    features: Sequential,
  ) {
    super(numClasses);
    this.arch = `squeezenet${version}`;
    this.minInputSize = LAYOUTS[version].minInputSize;
    this.features = this.register('features', features);
  }

  /** Dropout, the final 1×1 conv to the classes (normal, std 0.01), ReLU, global average pool. */
  protected makeHead(numClasses: number): Module {
    const conv = new Conv2d(512, numClasses, 1);
    init.normal(conv.weight, 0, 0.01);
    init.zeros(conv.bias!);
    return new Sequential(new Dropout(this.dropout), conv, new ReLU(), new AdaptiveAvgPool2d(1));
  }

  protected backbone(x: Tensor): Tensor {
    return this.features.call(x);
  }

  override forwardHead(features: Tensor): Tensor {
    return flatten(this.head.call(features), 1);
  }
}

export class SqueezeNet extends SqueezeNetBase {
  constructor(version: SqueezeNetVersion, options: SqueezeNetOptions = {}) {
    super(version, options.numClasses ?? 1000, options.dropout ?? 0.5, featureLayers(version));
    this.register('classifier', this.makeHead(this.numClasses));
    if (options.initWeights ?? true) {
      for (const m of this.features.modules()) {
        if (m instanceof Conv2d) {
          init.kaimingUniform(m.weight);
          init.zeros(m.bias!);
        }
      }
    }
  }

  /**
   * The network for inference (`fuseForInference`): the stem's and the classifier's conv with
   * the ReLU after it, and every conv of the fire modules with its ReLU, each as one op.
   */
  override fuse(): Module {
    return new FusedSqueezeNet(this.version, this.numClasses, this.dropout, fuseForInference(this.features) as Sequential, fuseForInference(this.head));
  }
}

/** A SqueezeNet's eval-mode forward with each conv → ReLU fused, made by `fuseForInference(squeezenet)`. */
export class FusedSqueezeNet extends SqueezeNetBase {
  constructor(version: SqueezeNetVersion, numClasses: number, dropout: number, features: Sequential, classifier: Module) {
    super(version, numClasses, dropout, features);
    this.register('classifier', classifier);
  }
}
