import { flatten, type Tensor } from '@fovea/core';
import { AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Dropout, fuseForInference, init, Linear, MaxPool2d, ReLU, Sequential, type Module } from '@fovea/nn';
import { ImageClassifier } from '@fovea/vision';
import { minInputSize, type Window } from './windows.js';

/** A feature layer: a conv `{ conv: [outChannels, kernel, stride, padding] }` (→ BN → ReLU) or a max pool `{ pool: [kernel, stride, padding] }`. */
export type FeatureLayer = { conv: readonly [outChannels: number, kernel: number, stride: number, padding: number] } | { pool: Window };

/** The shape of an AlexNet-like network: conv/pool features, adaptive pooling, three fully connected layers. */
export interface ConvNetConfig {
  features: readonly FeatureLayer[];
  /** Side of the adaptive average pool before the classifier (6 for AlexNet/ZFNet, 7 for VGG). */
  poolSize: number;
  /** Batch norm after every conv (VGG-BN). */
  batchNorm?: boolean;
  /** Dropout before each hidden linear layer (AlexNet, ZFNet) instead of after it (VGG). */
  dropoutFirst?: boolean;
  /** torchvision's VGG initialisation rather than nn's defaults (AlexNet keeps the defaults). */
  vggInit?: boolean;
}

export interface ConvNetOptions {
  numClasses?: number;
  /** Dropout probability in the classifier (default 0.5). */
  dropout?: number;
  /** The architecture's initialisation (default true; false keeps nn's default, e.g. before loading weights). */
  initWeights?: boolean;
}

const HIDDEN = 4096;

/** The feature layers of a configuration: convs (→ BN) → ReLU and max pools. */
function featureLayers(config: ConvNetConfig): Sequential {
  const layers: Module[] = [];
  let channels = 3;
  for (const layer of config.features) {
    if ('pool' in layer) {
      const [k, s, p] = layer.pool;
      layers.push(new MaxPool2d(k, { stride: s, padding: p }));
    } else {
      const [out, k, s, p] = layer.conv;
      layers.push(new Conv2d(channels, out, k, { stride: s, padding: p }));
      if (config.batchNorm) layers.push(new BatchNorm2d(out));
      layers.push(new ReLU());
      channels = out;
    }
  }
  return new Sequential(...layers);
}

/** Output channels of the last conv. */
const featureChannels = (config: ConvNetConfig) => config.features.reduce((c, layer) => ('conv' in layer ? layer.conv[0] : c), 3);

/** What a ConvNet and its fused inference form share: torchvision's module names and the forward. */
export abstract class ConvNetBase extends ImageClassifier {
  readonly headPath = 'classifier.6';
  readonly minInputSize: number;
  readonly features: Sequential;
  abstract readonly classifier: Sequential;
  readonly #avgpool: AdaptiveAvgPool2d;

  constructor(
    readonly arch: string,
    readonly config: ConvNetConfig,
    numClasses: number,
    features: Sequential,
  ) {
    super(numClasses);
    this.minInputSize = minInputSize(config.features.map((layer): Window => ('pool' in layer ? layer.pool : [layer.conv[1], layer.conv[2], layer.conv[3]])));
    this.features = this.register('features', features);
    this.#avgpool = this.register('avgpool', new AdaptiveAvgPool2d(config.poolSize));
  }

  protected makeHead(numClasses: number): Module {
    const fc = new Linear(HIDDEN, numClasses);
    if (this.config.vggInit) {
      init.normal(fc.weight, 0, 0.01);
      init.zeros(fc.bias!);
    }
    return fc;
  }

  /** The 4096 features the head reads: conv features, pooled, through the hidden layers. */
  protected backbone(x: Tensor): Tensor {
    const pooled = flatten(this.#avgpool.call(this.features.call(x)), 1);
    return this.classifier.children().slice(0, -1).reduce((h, m) => m.call(h), pooled);
  }
}

/**
 * AlexNet, ZFNet and VGG: `features` (convs with ReLU, max pools), `avgpool` to a fixed grid, and
 * `classifier` — two 4096-unit hidden layers with dropout and the head at `classifier.6` —
 * with torchvision's module names and numbering.
 */
export class ConvNet extends ConvNetBase {
  readonly classifier: Sequential;

  constructor(arch: string, config: ConvNetConfig, options: ConvNetOptions = {}) {
    super(arch, config, options.numClasses ?? 1000, featureLayers(config));
    const p = options.dropout ?? 0.5;
    const hidden = (inF: number) => (config.dropoutFirst ? [new Dropout(p), new Linear(inF, HIDDEN), new ReLU()] : [new Linear(inF, HIDDEN), new ReLU(), new Dropout(p)]);
    this.classifier = this.register('classifier', new Sequential(...hidden(featureChannels(config) * config.poolSize ** 2), ...hidden(HIDDEN), this.makeHead(this.numClasses)));
    if ((options.initWeights ?? true) && config.vggInit) {
      for (const m of this.modules()) {
        if (m instanceof Conv2d) init.kaimingNormal(m.weight, { mode: 'fanOut', nonlinearity: 'relu' });
        if (m instanceof Linear) init.normal(m.weight, 0, 0.01);
        if ((m instanceof Conv2d || m instanceof Linear) && m.bias) init.zeros(m.bias);
      }
    }
  }

  /** The network for inference (`fuseForInference`): each conv (→ BN) → ReLU of `features` fused; the classifier shared. */
  override fuse(): Module {
    return new FusedConvNet(this.arch, this.config, this.numClasses, fuseForInference(this.features) as Sequential, this.classifier);
  }
}

/** A ConvNet's eval-mode forward with its feature convs fused, made by `fuseForInference(convnet)`. */
export class FusedConvNet extends ConvNetBase {
  constructor(
    arch: string,
    config: ConvNetConfig,
    numClasses: number,
    features: Sequential,
    readonly classifier: Sequential,
  ) {
    super(arch, config, numClasses, features);
    this.register('classifier', classifier);
  }
}
