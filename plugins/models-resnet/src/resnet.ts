import { adaptiveAvgPool2d, flatten, relu, ValueError, type Generator, type Tensor } from '@fovea/core';
import { BatchNorm2d, Conv2d, init, Linear, MaxPool2d, Sequential, type Module } from '@fovea/nn';
import { ImageClassifier } from '@fovea/vision';
import { ResidualBlock, type BlockKind } from './block.js';

/** The shape of a residual network: block kind, blocks per stage, and block variants. */
export interface ResNetConfig {
  block: BlockKind;
  /** Blocks in each of the four stages (64, 128, 256, 512 planes by default). */
  layers: readonly [number, number, number, number];
  /** ResNeXt's cardinality: groups of the bottleneck's 3×3 conv (default 1). */
  groups?: number;
  /** Width of each group at 64 planes (default 64; Wide ResNet-k uses 64·k). */
  widthPerGroup?: number;
  /** Pre-activation blocks (He et al. 2016) with a final BN–ReLU before pooling. */
  preact?: boolean;
  /** Planes of the stem and first stage, doubling per stage (default 64; smaller for small images and quick experiments). */
  basePlanes?: number;
}

export interface ResNetOptions {
  /** Classes of the head (default 1000). */
  numClasses?: number;
  /**
   * Stochastic depth: the survival probability of the last block, decaying linearly from 1 at
   * the first (Huang et al. use 0.5). Dropped blocks are skipped whole in training; at test the
   * full network runs. Default 1 (off).
   */
  stochasticDepth?: number;
  /** Generator for stochastic depth's draws (default: the global one). */
  generator?: Generator;
  /** Zero the last BN scale of every block, so each starts as the identity (default false). */
  zeroInitResidual?: boolean;
  /** Kaiming-normal convolutions as torchvision (default true; false keeps nn's default init, e.g. before loading weights). */
  initWeights?: boolean;
}

/**
 * ResNet (He et al. 2015) in torchvision's layout: a 7×7 stride-2 stem and max pool, four stages
 * of residual blocks (the first block of stages 2–4 halves the resolution; bottlenecks stride
 * in the 3×3 conv, "ResNet v1.5"), global average pooling and the `fc` head.
 */
export class ResNet extends ImageClassifier {
  readonly headPath = 'fc';
  readonly minInputSize = 1;
  readonly blocks: ResidualBlock[] = [];
  readonly #conv1: Conv2d;
  readonly #bn1: BatchNorm2d | null;
  readonly #maxpool: MaxPool2d;
  readonly #finalNorm: BatchNorm2d | null;
  readonly #features: number;

  constructor(
    readonly arch: string,
    readonly config: ResNetConfig,
    options: ResNetOptions = {},
  ) {
    super(options.numClasses ?? 1000);
    const preact = config.preact ?? false;
    const total = config.layers.reduce((a, b) => a + b, 0);
    const last = options.stochasticDepth ?? 1;
    if (!(last > 0 && last <= 1)) throw new ValueError(`${arch}: stochasticDepth must be a survival probability in (0, 1], got ${last}`);
    if (config.layers.some((n) => !Number.isInteger(n) || n < 1)) throw new ValueError(`${arch}: layers must be positive integers, got [${config.layers}]`);

    const base = config.basePlanes ?? 64;
    // The stem; pre-activation nets leave its BN–ReLU to their first block.
    this.#conv1 = this.register('conv1', new Conv2d(3, base, 7, { stride: 2, padding: 3, bias: false }));
    this.#bn1 = preact ? null : this.register('bn1', new BatchNorm2d(base));
    this.#maxpool = this.register('maxpool', new MaxPool2d(3, { stride: 2, padding: 1 }));
    let channels = base;
    config.layers.forEach((n, stage) => {
      const planes = base * 2 ** stage;
      const blocks = Array.from({ length: n }, (_, j) => {
        const block = new ResidualBlock({
          kind: config.block,
          inChannels: channels,
          planes,
          stride: stage > 0 && j === 0 ? 2 : 1,
          groups: config.groups ?? 1,
          widthPerGroup: config.widthPerGroup ?? 64,
          preact,
          survival: 1 - ((this.blocks.length + 1) / total) * (1 - last),
          ...(options.generator ? { generator: options.generator } : {}),
        });
        channels = block.outChannels;
        this.blocks.push(block);
        return block;
      });
      this.register(`layer${stage + 1}`, new Sequential(...blocks));
    });
    this.#finalNorm = preact ? this.register('bn_final', new BatchNorm2d(channels)) : null;
    this.#features = channels;
    this.register('fc', this.makeHead(this.numClasses));
    if (options.initWeights ?? true) this.#init(options.zeroInitResidual ?? false);
  }

  #init(zeroInitResidual: boolean): void {
    for (const m of this.modules()) {
      if (m instanceof Conv2d) init.kaimingNormal(m.weight, { mode: 'fanOut', nonlinearity: 'relu' });
    }
    if (zeroInitResidual) for (const b of this.blocks) init.zeros(b.lastNorm.weight!);
  }

  protected makeHead(numClasses: number): Module {
    return new Linear(this.#features, numClasses);
  }

  protected backbone(x: Tensor): Tensor {
    let y = this.#conv1.call(x);
    if (this.#bn1) y = relu(this.#bn1.call(y));
    y = this.#maxpool.call(y);
    for (const b of this.blocks) y = b.call(y);
    if (this.#finalNorm) y = relu(this.#finalNorm.call(y));
    return flatten(adaptiveAvgPool2d(y, 1), 1);
  }
}

const depths: Record<number, [BlockKind, ResNetConfig['layers']]> = {
  18: ['basic', [2, 2, 2, 2]],
  34: ['basic', [3, 4, 6, 3]],
  50: ['bottleneck', [3, 4, 6, 3]],
  101: ['bottleneck', [3, 4, 23, 3]],
  152: ['bottleneck', [3, 8, 36, 3]],
};

/** The registered architectures: torchvision's names, plus `preact_resnet{depth}`. */
export const RESNETS: Record<string, ResNetConfig> = {};
for (const [depth, [block, layers]] of Object.entries(depths)) {
  RESNETS[`resnet${depth}`] = { block, layers };
  RESNETS[`preact_resnet${depth}`] = { block, layers, preact: true };
}
for (const depth of [50, 101]) RESNETS[`wide_resnet${depth}_2`] = { block: 'bottleneck', layers: depths[depth]![1], widthPerGroup: 128 };
for (const [depth, groups, width] of [[50, 32, 4], [101, 32, 8], [101, 64, 4]] as const) {
  RESNETS[`resnext${depth}_${groups}x${width}d`] = { block: 'bottleneck', layers: depths[depth]![1], groups, widthPerGroup: width };
}
