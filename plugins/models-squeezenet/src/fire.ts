import { concat, relu, type Tensor } from '@fovea/core';
import { Conv2d, fuseConv, Module, type FusedConv2d } from '@fovea/nn';

/**
 * SqueezeNet's fire module: a 1×1 "squeeze" conv down to `squeeze` channels, then 1×1 and 3×3
 * "expand" convs side by side, concatenated (`expand1x1 + expand3x3` output channels).
 */
export class Fire extends Module {
  readonly squeeze: Conv2d;
  readonly expand1x1: Conv2d;
  readonly expand3x3: Conv2d;

  constructor(inChannels: number, squeeze: number, expand1x1: number, expand3x3: number) {
    super();
    this.squeeze = this.register('squeeze', new Conv2d(inChannels, squeeze, 1));
    this.expand1x1 = this.register('expand1x1', new Conv2d(squeeze, expand1x1, 1));
    this.expand3x3 = this.register('expand3x3', new Conv2d(squeeze, expand3x3, 3, { padding: 1 }));
  }

  get outChannels(): number {
    return this.expand1x1.outChannels + this.expand3x3.outChannels;
  }

  /** The module for inference (`fuseForInference`): each conv with the ReLU after it in one op. */
  override fuse(): Module {
    const [squeeze, expand1x1, expand3x3] = [this.squeeze, this.expand1x1, this.expand3x3].map((conv) => fuseConv(conv, { activation: 'relu' }));
    return new FusedFire(squeeze!, expand1x1!, expand3x3!);
  }

  forward(x: Tensor): Tensor {
    const s = relu(this.squeeze.call(x));
    return concat([relu(this.expand1x1.call(s)), relu(this.expand3x3.call(s))], 1);
  }
}

/** A fire module's forward with its ReLUs inside the convolutions, made by `fuseForInference`. */
export class FusedFire extends Module {
  constructor(
    readonly squeeze: FusedConv2d,
    readonly expand1x1: FusedConv2d,
    readonly expand3x3: FusedConv2d,
  ) {
    super();
    this.register('squeeze', squeeze);
    this.register('expand1x1', expand1x1);
    this.register('expand3x3', expand3x3);
  }

  forward(x: Tensor): Tensor {
    const s = this.squeeze.call(x);
    return concat([this.expand1x1.call(s), this.expand3x3.call(s)], 1);
  }
}
