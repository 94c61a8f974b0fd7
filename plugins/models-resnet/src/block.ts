import { add, defaultGenerator, div, relu, ValueError, type Generator, type Tensor } from '@fovea/core';
import { BatchNorm2d, Conv2d, fuseConv, fuseForInference, Module, Sequential } from '@fovea/nn';
import { FusedResidualBlock } from './fused-block.js';

export type BlockKind = 'basic' | 'bottleneck';

/** Output channels per `planes`: basic blocks keep them, bottlenecks expand 4×. */
export const EXPANSION: Record<BlockKind, number> = { basic: 1, bottleneck: 4 };

export interface BlockSpec {
  kind: BlockKind;
  inChannels: number;
  planes: number;
  stride: number;
  /** Grouped 3×3 convolution (ResNeXt's cardinality); bottleneck only. */
  groups: number;
  /** Channels per group of the 3×3 convolution at 64 planes (64 plain, 128 for Wide ResNet-2). */
  widthPerGroup: number;
  /** He et al. 2016's pre-activation ordering (BN → ReLU → conv) instead of conv → BN → ReLU. */
  preact: boolean;
  /** Probability the block runs in training (stochastic depth); 1 keeps it always. */
  survival: number;
  generator?: Generator;
}

interface ConvSpec {
  inC: number;
  outC: number;
  k: number;
  stride: number;
  groups: number;
}

/** The convolutions of a block's residual branch: two 3×3, or 1×1 → 3×3 (grouped) → 1×1. */
function branchConvs(s: BlockSpec): ConvSpec[] {
  const out = s.planes * EXPANSION[s.kind];
  if (s.kind === 'basic') {
    if (s.groups !== 1 || s.widthPerGroup !== 64) throw new ValueError(`basic residual blocks need groups=1 and widthPerGroup=64, got ${s.groups} and ${s.widthPerGroup}`);
    return [
      { inC: s.inChannels, outC: s.planes, k: 3, stride: s.stride, groups: 1 },
      { inC: s.planes, outC: s.planes, k: 3, stride: 1, groups: 1 },
    ];
  }
  const width = Math.floor((s.planes * s.widthPerGroup) / 64) * s.groups;
  return [
    { inC: s.inChannels, outC: width, k: 1, stride: 1, groups: 1 },
    { inC: width, outC: width, k: 3, stride: s.stride, groups: s.groups },
    { inC: width, outC: out, k: 1, stride: 1, groups: 1 },
  ];
}

/**
 * One residual block of any kind: basic or bottleneck, post- or pre-activation, optionally
 * dropped whole in training (stochastic depth, Huang et al. 2016). Children are named as in
 * torchvision (`conv1`, `bn1`, …, `downsample.0`/`.1`); pre-activation blocks register each BN
 * before its conv and project the shortcut from the pre-activated input, without a BN.
 */
export class ResidualBlock extends Module {
  readonly convs: Conv2d[] = [];
  readonly norms: BatchNorm2d[] = [];
  readonly downsample: Sequential | null;
  readonly outChannels: number;
  /** How many training forwards skipped the branch (for inspection and tests). */
  dropped = 0;

  constructor(readonly spec: BlockSpec) {
    super();
    if (!(spec.survival > 0 && spec.survival <= 1)) throw new ValueError(`residual block survival probability must be in (0, 1], got ${spec.survival}`);
    branchConvs(spec).forEach((c, i) => {
      const conv = new Conv2d(c.inC, c.outC, c.k, { stride: c.stride, padding: (c.k - 1) / 2, groups: c.groups, bias: false });
      const norm = new BatchNorm2d(spec.preact ? c.inC : c.outC);
      if (spec.preact) this.norms.push(this.register(`bn${i + 1}`, norm));
      this.convs.push(this.register(`conv${i + 1}`, conv));
      if (!spec.preact) this.norms.push(this.register(`bn${i + 1}`, norm));
    });
    this.outChannels = spec.planes * EXPANSION[spec.kind];
    const project = spec.stride !== 1 || spec.inChannels !== this.outChannels;
    const shortcut = () => new Conv2d(spec.inChannels, this.outChannels, 1, { stride: spec.stride, bias: false });
    this.downsample = !project ? null : this.register('downsample', spec.preact ? new Sequential(shortcut()) : new Sequential(shortcut(), new BatchNorm2d(this.outChannels)));
  }

  /** The last BN of the branch (torchvision's `zero_init_residual` zeroes its scale). */
  get lastNorm(): BatchNorm2d {
    return this.norms.at(-1)!;
  }

  /**
   * The block for inference (`fuseForInference`): each conv with the BN after it folded in and
   * the ReLU after that fused — in pre-activation blocks the BN after a conv is the next conv's
   * pre-activation — and the last conv taking the shortcut as its residual.
   */
  override fuse(): Module {
    const { preact } = this.spec;
    const last = this.convs.length - 1;
    const convs = this.convs.map((conv, i) => {
      if (!preact) return fuseConv(conv, { bn: this.norms[i]!, activation: 'relu' });
      return i < last ? fuseConv(conv, { bn: this.norms[i + 1]!, activation: 'relu' }) : fuseConv(conv);
    });
    return new FusedResidualBlock(preact ? this.norms[0]! : null, convs, this.downsample && fuseForInference(this.downsample));
  }

  forward(x: Tensor): Tensor {
    const { preact, survival } = this.spec;
    const skip = this.training && survival < 1 && (this.spec.generator ?? defaultGenerator()).uniform() >= survival;
    if (skip) this.dropped++;
    // A dropped pre-activation block still pre-activates its input when its shortcut projects it.
    const pre = preact && (!skip || this.downsample) ? relu(this.norms[0]!.call(x)) : x;
    const shortcut = this.downsample ? this.downsample.call(pre) : x;
    if (skip) return preact ? shortcut : relu(shortcut);
    let y = pre;
    this.convs.forEach((conv, i) => {
      if (preact) {
        y = conv.call(i === 0 ? y : relu(this.norms[i]!.call(y)));
      } else {
        y = this.norms[i]!.call(conv.call(y));
        if (i < this.convs.length - 1) y = relu(y);
      }
    });
    // Inverted scaling: survivors are scaled up in training, so the full net runs unscaled at test.
    if (this.training && survival < 1) y = div(y, survival);
    const out = add(y, shortcut);
    return preact ? out : relu(out);
  }
}
