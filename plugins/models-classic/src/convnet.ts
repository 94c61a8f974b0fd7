import { flatten, type Tensor } from '@fovea/core';
import { AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Dropout, init, Linear, MaxPool2d, ReLU, Sequential, type Module } from '@fovea/nn';
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

/**
 * AlexNet, ZFNet and VGG: `features` (convs with ReLU, max pools), `avgpool` to a fixed grid, and
 * `classifier` — two 4096-unit hidden layers with dropout and the head at `classifier.6` —
 * with torchvision's module names and numbering.
 */
export class ConvNet extends ImageClassifier {
  readonly headPath = 'classifier.6';
  readonly minInputSize: number;
  readonly features: Sequential;
  readonly classifier: Sequential;
  readonly #avgpool: AdaptiveAvgPool2d;

  constructor(
    readonly arch: string,
    readonly config: ConvNetConfig,
    options: ConvNetOptions = {},
  ) {
    super(options.numClasses ?? 1000);
    const layers: Module[] = [];
    const windows: Window[] = [];
    let channels = 3;
    for (const layer of config.features) {
      if ('pool' in layer) {
        const [k, s, p] = layer.pool;
        layers.push(new MaxPool2d(k, { stride: s, padding: p }));
        windows.push(layer.pool);
      } else {
        const [out, k, s, p] = layer.conv;
        layers.push(new Conv2d(channels, out, k, { stride: s, padding: p }));
        if (config.batchNorm) layers.push(new BatchNorm2d(out));
        layers.push(new ReLU());
        windows.push([k, s, p]);
        channels = out;
      }
    }
    this.minInputSize = minInputSize(windows);
    this.features = this.register('features', new Sequential(...layers));
    this.#avgpool = this.register('avgpool', new AdaptiveAvgPool2d(config.poolSize));
    const p = options.dropout ?? 0.5;
    const hidden = (inF: number) => (config.dropoutFirst ? [new Dropout(p), new Linear(inF, HIDDEN), new ReLU()] : [new Linear(inF, HIDDEN), new ReLU(), new Dropout(p)]);
    this.classifier = this.register('classifier', new Sequential(...hidden(channels * config.poolSize ** 2), ...hidden(HIDDEN), this.makeHead(this.numClasses)));
    if ((options.initWeights ?? true) && config.vggInit) {
      for (const m of this.modules()) {
        if (m instanceof Conv2d) init.kaimingNormal(m.weight, { mode: 'fanOut', nonlinearity: 'relu' });
        if (m instanceof Linear) init.normal(m.weight, 0, 0.01);
        if ((m instanceof Conv2d || m instanceof Linear) && m.bias) init.zeros(m.bias);
      }
    }
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
