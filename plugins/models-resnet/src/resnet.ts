import { adaptiveAvgPool2d, flatten, relu, ValueError, type Generator, type Tensor } from '@fovea/core';
import { BatchNorm2d, Conv2d, fuseConv, fuseForInference, init, Linear, MaxPool2d, Sequential, type Module } from '@fovea/nn';
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

/** The modules a ResNet's forward runs, in order; its fused inference form runs fused ones the same way. */
export interface ResNetParts {
  /** The stem's 7×7 stride-2 convolution (once fused, a FusedConv2d with bn1 and the ReLU inside). */
  conv1: Conv2d;
  /** The stem's BN, followed by a ReLU; null in pre-activation nets (their first block has it) and once fused. */
  bn1: BatchNorm2d | null;
  maxpool: MaxPool2d;
  /** The four stages of residual blocks. */
  layers: Sequential[];
  /** Pre-activation nets' final BN, followed by a ReLU. */
  bnFinal: BatchNorm2d | null;
  /** Channels the head reads. */
  features: number;
}

/** What a ResNet and its fused inference form share: torchvision's module names and the forward. */
export abstract class ResNetBase extends ImageClassifier {
  readonly headPath = 'fc';
  readonly minInputSize = 1;
  readonly #parts: ResNetParts;

  constructor(
    readonly arch: string,
    numClasses: number,
    parts: ResNetParts,
  ) {
    super(numClasses);
    this.#parts = parts;
    this.register('conv1', parts.conv1);
    if (parts.bn1) this.register('bn1', parts.bn1);
    this.register('maxpool', parts.maxpool);
    parts.layers.forEach((layer, i) => this.register(`layer${i + 1}`, layer));
    if (parts.bnFinal) this.register('bn_final', parts.bnFinal);
  }

  protected get parts(): Readonly<ResNetParts> {
    return this.#parts;
  }

  protected makeHead(numClasses: number): Module {
    return new Linear(this.#parts.features, numClasses);
  }

  protected backbone(x: Tensor): Tensor {
    const { conv1, bn1, maxpool, layers, bnFinal } = this.#parts;
    let y = conv1.call(x);
    if (bn1) y = relu(bn1.call(y));
    y = layers.reduce((h, layer) => layer.call(h), maxpool.call(y));
    if (bnFinal) y = relu(bnFinal.call(y));
    return flatten(adaptiveAvgPool2d(y, 1), 1);
  }
}

/** The stem, the stages of blocks and the final BN of an architecture, freshly built. */
function buildParts(arch: string, config: ResNetConfig, options: ResNetOptions): ResNetParts & { blocks: ResidualBlock[] } {
  const preact = config.preact ?? false;
  const total = config.layers.reduce((a, b) => a + b, 0);
  const last = options.stochasticDepth ?? 1;
  if (!(last > 0 && last <= 1)) throw new ValueError(`${arch}: stochasticDepth must be a survival probability in (0, 1], got ${last}`);
  if (config.layers.some((n) => !Number.isInteger(n) || n < 1)) throw new ValueError(`${arch}: layers must be positive integers, got [${config.layers}]`);

  const base = config.basePlanes ?? 64;
  const blocks: ResidualBlock[] = [];
  let channels = base;
  const layers = config.layers.map((n, stage) => {
    const planes = base * 2 ** stage;
    const stageBlocks = Array.from({ length: n }, (_, j) => {
      const block = new ResidualBlock({
        kind: config.block,
        inChannels: channels,
        planes,
        stride: stage > 0 && j === 0 ? 2 : 1,
        groups: config.groups ?? 1,
        widthPerGroup: config.widthPerGroup ?? 64,
        preact,
        survival: 1 - ((blocks.length + 1) / total) * (1 - last),
        ...(options.generator ? { generator: options.generator } : {}),
      });
      channels = block.outChannels;
      blocks.push(block);
      return block;
    });
    return new Sequential(...stageBlocks);
  });
  return {
    // The stem; pre-activation nets leave its BN–ReLU to their first block.
    conv1: new Conv2d(3, base, 7, { stride: 2, padding: 3, bias: false }),
    bn1: preact ? null : new BatchNorm2d(base),
    maxpool: new MaxPool2d(3, { stride: 2, padding: 1 }),
    layers,
    bnFinal: preact ? new BatchNorm2d(channels) : null,
    features: channels,
    blocks,
  };
}

/**
 * ResNet (He et al. 2015) in torchvision's layout: a 7×7 stride-2 stem and max pool, four stages
 * of residual blocks (the first block of stages 2–4 halves the resolution; bottlenecks stride
 * in the 3×3 conv, "ResNet v1.5"), global average pooling and the `fc` head.
 */
export class ResNet extends ResNetBase {
  readonly blocks: ResidualBlock[];

  constructor(
    arch: string,
    readonly config: ResNetConfig,
    options: ResNetOptions = {},
  ) {
    const { blocks, ...parts } = buildParts(arch, config, options);
    super(arch, options.numClasses ?? 1000, parts);
    this.blocks = blocks;
    this.register('fc', this.makeHead(this.numClasses));
    if (options.initWeights ?? true) this.#init(options.zeroInitResidual ?? false);
  }

  #init(zeroInitResidual: boolean): void {
    for (const m of this.modules()) {
      if (m instanceof Conv2d) init.kaimingNormal(m.weight, { mode: 'fanOut', nonlinearity: 'relu' });
    }
    if (zeroInitResidual) for (const b of this.blocks) init.zeros(b.lastNorm.weight!);
  }

  /**
   * The network for inference (`fuseForInference`): the stem's BN and ReLU fused into its conv,
   * every block fused, the pooling, final BN and head shared.
   */
  override fuse(): Module {
    const { conv1, bn1, layers } = this.parts;
    const stem = bn1 ? fuseConv(conv1, { bn: bn1, activation: 'relu' }) : conv1;
    const fused = { ...this.parts, conv1: stem, bn1: null, layers: layers.map((layer) => fuseForInference(layer) as Sequential) };
    return new FusedResNet(this.arch, this.numClasses, fused, this.head);
  }
}

/** A ResNet's eval-mode forward with every batch norm folded, made by `fuseForInference(resnet)`. */
export class FusedResNet extends ResNetBase {
  constructor(arch: string, numClasses: number, parts: ResNetParts, head: Module) {
    super(arch, numClasses, parts);
    this.register('fc', head);
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
