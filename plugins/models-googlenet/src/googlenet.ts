import { add, adaptiveAvgPool2d, concat, crossEntropy, flatten, mul, slice, type Tensor } from '@fovea/core';
import { Conv2d, Dropout, fuseForInference, init, Linear, MaxPool2d, type Module } from '@fovea/nn';
import { ImageClassifier } from '@fovea/vision';
import { BasicConv2d, Inception, InceptionAux, type InceptionSpec } from './inception.js';

export interface GoogLeNetOptions {
  numClasses?: number;
  /** Build the two auxiliary classifiers (default true, as torchvision without pretrained weights). */
  auxLogits?: boolean;
  /** Map inputs normalised with ImageNet's mean/std to the (x − 0.5)/0.5 range the original weights expect (default false). */
  transformInput?: boolean;
  /** Dropout before `fc` (default 0.2) and in the auxiliary heads (default 0.7). */
  dropout?: number;
  dropoutAux?: number;
  /** torchvision's initialisation: weights normal with std 0.01 (default true). */
  initWeights?: boolean;
}

/** Main logits, and in training with auxiliary heads their logits [aux1 (after 4a), aux2 (after 4d)]. */
export interface GoogLeNetOutputs {
  logits: Tensor;
  aux: Tensor[];
}

const spec = (ch1x1: number, ch3x3red: number, ch3x3: number, ch5x5red: number, ch5x5: number, poolProj: number): InceptionSpec => ({ ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, poolProj });

/** The inception modules in order; 'pool' is a ceil-mode 3×3/2 max pool (2×2/2 before stage 5). */
const STAGES: [string, InceptionSpec | 'pool'][] = [
  ['inception3a', spec(64, 96, 128, 16, 32, 32)],
  ['inception3b', spec(128, 128, 192, 32, 96, 64)],
  ['maxpool3', 'pool'],
  ['inception4a', spec(192, 96, 208, 16, 48, 64)],
  ['inception4b', spec(160, 112, 224, 24, 64, 64)],
  ['inception4c', spec(128, 128, 256, 24, 64, 64)],
  ['inception4d', spec(112, 144, 288, 32, 64, 64)],
  ['inception4e', spec(256, 160, 320, 32, 128, 128)],
  ['maxpool4', 'pool'],
  ['inception5a', spec(256, 160, 320, 32, 128, 128)],
  ['inception5b', spec(384, 192, 384, 48, 128, 128)],
];

/** The modules a GoogLeNet's forward runs; its fused inference form runs fused ones the same way. */
export interface GoogLeNetParts {
  /** The stem convs, max pools and inception modules, by torchvision's names, in order. */
  trunk: [string, Module][];
  /** The auxiliary classifiers after inception4a and 4d (null without them, and once fused). */
  aux1: InceptionAux | null;
  aux2: InceptionAux | null;
  dropout: Dropout;
}

/** The trunk of a freshly built network. */
function buildTrunk(): [string, Module][] {
  const pool = (k: number) => new MaxPool2d(k, { stride: 2, ceilMode: true });
  const trunk: [string, Module][] = [
    ['conv1', new BasicConv2d(3, 64, 7, { stride: 2, padding: 3 })],
    ['maxpool1', pool(3)],
    ['conv2', new BasicConv2d(64, 64, 1)],
    ['conv3', new BasicConv2d(64, 192, 3, { padding: 1 })],
    ['maxpool2', pool(3)],
  ];
  let channels = 192;
  for (const [name, s] of STAGES) {
    if (s === 'pool') {
      trunk.push([name, pool(name === 'maxpool4' ? 2 : 3)]);
    } else {
      const m = new Inception(channels, s);
      trunk.push([name, m]);
      channels = m.outChannels;
    }
  }
  return trunk;
}

/** What a GoogLeNet and its fused inference form share: torchvision's module names, the heads and the forward. */
export abstract class GoogLeNetBase extends ImageClassifier {
  readonly arch = 'googlenet';
  readonly headPath = 'fc';
  readonly minInputSize = 15;
  readonly aux1: InceptionAux | null;
  readonly aux2: InceptionAux | null;
  readonly #parts: GoogLeNetParts;

  constructor(
    numClasses: number,
    readonly transformInput: boolean,
    parts: GoogLeNetParts,
  ) {
    super(numClasses);
    this.#parts = parts;
    for (const [name, m] of parts.trunk) this.register(name, m);
    this.aux1 = parts.aux1 && this.register('aux1', parts.aux1);
    this.aux2 = parts.aux2 && this.register('aux2', parts.aux2);
    this.register('dropout', parts.dropout);
  }

  protected get parts(): Readonly<GoogLeNetParts> {
    return this.#parts;
  }

  protected makeHead(numClasses: number): Module {
    return new Linear(1024, numClasses);
  }

  /** Runs the trunk; `taps` collects the auxiliary classifiers' logits when given. */
  #run(x: Tensor, taps: Tensor[] | null): Tensor {
    let y = this.transformInput ? this.#transform(x) : x;
    for (const [name, m] of this.#parts.trunk) {
      y = m.call(y);
      if (taps && name === 'inception4a') taps.push(this.aux1!.call(y));
      if (taps && name === 'inception4d') taps.push(this.aux2!.call(y));
    }
    const pooled = flatten(adaptiveAvgPool2d(y, 1), 1);
    return this.#parts.dropout.call(pooled);
  }

  /** (x·std + mean − 0.5) / 0.5 per channel: from ImageNet normalisation to the original [-1, 1] scaling. */
  #transform(x: Tensor): Tensor {
    const mean = [0.485, 0.456, 0.406];
    const std = [0.229, 0.224, 0.225];
    const channels = [0, 1, 2].map((c) => add(mul(slice(x, [0, c], [null, c + 1] as number[]), std[c]! / 0.5), (mean[c]! - 0.5) / 0.5));
    return concat(channels, 1);
  }

  protected backbone(x: Tensor): Tensor {
    return this.#run(x, null);
  }

  /** Main logits plus, in training with auxiliary heads, theirs. */
  forwardWithAux(x: Tensor): GoogLeNetOutputs {
    this.checkInput(x);
    const taps = this.training && this.aux1 ? [] : null;
    const logits = this.forwardHead(this.#run(x, taps));
    return { logits, aux: taps ?? [] };
  }

  /** Cross-entropy of the main logits, plus `auxWeight` (default 0.3, the paper's) times each auxiliary loss in training. */
  loss(x: Tensor, labels: Tensor, options: { auxWeight?: number } = {}): Tensor {
    const { logits, aux } = this.forwardWithAux(x);
    return aux.reduce((total, a) => add(total, mul(crossEntropy(a, labels), options.auxWeight ?? 0.3)), crossEntropy(logits, labels));
  }

  /** Replaces the main head and the auxiliary heads' last layers. */
  override replaceHead(numClasses: number): Module {
    for (const a of [this.aux1, this.aux2]) {
      if (!a) continue;
      const old = a.fc2;
      a.register('fc2', new Linear(1024, numClasses)).train(this.training);
      old.dispose();
    }
    return super.replaceHead(numClasses);
  }

  override headParameters(): Tensor[] {
    return [...super.headParameters(), ...[this.aux1, this.aux2].flatMap((a) => (a ? a.fc2.parameters() : []))];
  }
}

/**
 * GoogLeNet / Inception v1 (Szegedy et al. 2014) in torchvision's layout, BN in every conv. In
 * training the auxiliary classifiers after inception4a and 4d add their losses (`loss`,
 * `forwardWithAux`); in eval they are skipped and `forward` gives the main logits.
 */
export class GoogLeNet extends GoogLeNetBase {
  constructor(options: GoogLeNetOptions = {}) {
    const numClasses = options.numClasses ?? 1000;
    const trunk = buildTrunk();
    const aux = options.auxLogits ?? true;
    const dropoutAux = options.dropoutAux ?? 0.7;
    super(numClasses, options.transformInput ?? false, {
      trunk,
      aux1: aux ? new InceptionAux(512, numClasses, dropoutAux) : null,
      aux2: aux ? new InceptionAux(528, numClasses, dropoutAux) : null,
      dropout: new Dropout(options.dropout ?? 0.2),
    });
    this.register('fc', this.makeHead(this.numClasses));
    if (options.initWeights ?? true) {
      for (const m of this.modules()) if (m instanceof Conv2d || m instanceof Linear) init.normal(m.weight, 0, 0.01);
    }
  }

  /**
   * The network for inference (`fuseForInference`): every conv → BN → ReLU of the stem and the
   * inception modules as one FusedConv2d. The auxiliary classifiers, which run only in
   * training, are left out; the dropout and `fc` are shared.
   */
  override fuse(): Module {
    const { trunk, dropout } = this.parts;
    const fused = trunk.map(([name, m]): [string, Module] => [name, fuseForInference(m)]);
    return new FusedGoogLeNet(this.numClasses, this.transformInput, { trunk: fused, aux1: null, aux2: null, dropout }, this.head);
  }
}

/** A GoogLeNet's eval-mode forward with every batch norm folded, made by `fuseForInference(googlenet)`. */
export class FusedGoogLeNet extends GoogLeNetBase {
  constructor(numClasses: number, transformInput: boolean, parts: GoogLeNetParts, head: Module) {
    super(numClasses, transformInput, parts);
    this.register('fc', head);
  }
}
