import { relu, type Tensor } from '@fovea/core';
import { Module, type BatchNorm2d, type FusedConv2d } from '@fovea/nn';

/**
 * A residual block's eval-mode forward with every batch norm that follows a convolution folded
 * into it and the ReLUs fused: the branch is a chain of FusedConv2d, and the last one adds the
 * shortcut as its residual before its activation (`relu(bn2(conv2(y)) + shortcut)` as one op).
 * A pre-activation block keeps its first BN–ReLU, which acts on the block's input.
 */
export class FusedResidualBlock extends Module {
  constructor(
    readonly preNorm: BatchNorm2d | null,
    readonly convs: readonly FusedConv2d[],
    readonly downsample: Module | null,
  ) {
    super();
    if (preNorm) this.register('bn1', preNorm);
    convs.forEach((conv, i) => this.register(`conv${i + 1}`, conv));
    if (downsample) this.register('downsample', downsample);
  }

  forward(x: Tensor): Tensor {
    const pre = this.preNorm ? relu(this.preNorm.call(x)) : x;
    const shortcut = this.downsample ? this.downsample.call(pre) : x;
    const y = this.convs.slice(0, -1).reduce((h, conv) => conv.call(h), pre);
    return this.convs.at(-1)!.call(y, shortcut);
  }
}
