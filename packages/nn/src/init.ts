/**
 * In-place initialisers in the manner of `torch.nn.init`. Each overwrites a tensor's values
 * (without recording gradients) and returns it. Random ones draw from the default generator
 * unless given one, so `manualSeed` makes them reproducible.
 */
import { full, noGrad, rand, randn, tidy, ValueError, type Generator, type Tensor } from '@fovea/core';

export interface RandomInit {
  generator?: Generator;
}

export type Nonlinearity = 'linear' | 'conv2d' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu';

/** The gain that keeps activations' variance steady through a nonlinearity (PyTorch's table). */
export function calculateGain(nonlinearity: Nonlinearity, negativeSlope = 0.01): number {
  switch (nonlinearity) {
    case 'linear':
    case 'conv2d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leakyRelu':
      return Math.sqrt(2 / (1 + negativeSlope ** 2));
    default:
      throw new ValueError(`calculateGain: unknown nonlinearity ${JSON.stringify(nonlinearity)}`);
  }
}

/** Inputs and outputs per unit: [out, in, ...kernel] weights have fanIn = in·k, fanOut = out·k. */
export function fans(t: Tensor): { fanIn: number; fanOut: number } {
  if (t.ndim < 2) throw new ValueError(`fan in and fan out need a tensor with at least 2 dims, got [${t.shape.join(', ')}]`);
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: t.shape[1]! * receptive, fanOut: t.shape[0]! * receptive };
}

function fill(t: Tensor, make: () => Tensor): Tensor {
  noGrad(() => tidy(() => void t.assign(make())));
  return t;
}

export function uniform(t: Tensor, low = 0, high = 1, options: RandomInit = {}): Tensor {
  return fill(t, () => rand(t.shape, { low, high, ...options }));
}

export function normal(t: Tensor, mean = 0, std = 1, options: RandomInit = {}): Tensor {
  return fill(t, () => randn(t.shape, { mean, std, ...options }));
}

export function constant(t: Tensor, value: number): Tensor {
  return fill(t, () => full(t.shape, value, { dtype: t.dtype }));
}

export function zeros(t: Tensor): Tensor {
  return constant(t, 0);
}

export function ones(t: Tensor): Tensor {
  return constant(t, 1);
}

/** Glorot & Bengio: variance gain²·2/(fanIn + fanOut), the notes' 2/(n_in + n_out). */
export function xavierUniform(t: Tensor, options: RandomInit & { gain?: number } = {}): Tensor {
  const bound = Math.sqrt(3) * xavierStd(t, options.gain);
  return uniform(t, -bound, bound, options);
}

export function xavierNormal(t: Tensor, options: RandomInit & { gain?: number } = {}): Tensor {
  return normal(t, 0, xavierStd(t, options.gain), options);
}

function xavierStd(t: Tensor, gain = 1): number {
  const { fanIn, fanOut } = fans(t);
  return gain * Math.sqrt(2 / (fanIn + fanOut));
}

export interface KaimingOptions extends RandomInit {
  /** Negative slope of the leaky ReLU that follows (0 for ReLU). */
  a?: number;
  /** Preserve the variance of activations ('fanIn', the default) or of gradients ('fanOut'). */
  mode?: 'fanIn' | 'fanOut';
  nonlinearity?: Nonlinearity;
}

/** He et al.: variance gain²/fan, i.e. the notes' 2/n for ReLU units (§6.3). */
export function kaimingUniform(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(t, options);
  return uniform(t, -bound, bound, options);
}

export function kaimingNormal(t: Tensor, options: KaimingOptions = {}): Tensor {
  return normal(t, 0, kaimingStd(t, options), options);
}

function kaimingStd(t: Tensor, options: KaimingOptions): number {
  const { fanIn, fanOut } = fans(t);
  const fan = (options.mode ?? 'fanIn') === 'fanIn' ? fanIn : fanOut;
  return calculateGain(options.nonlinearity ?? 'leakyRelu', options.a ?? 0) / Math.sqrt(fan);
}

/**
 * PyTorch's default for Linear and Conv2d: weights and bias uniform on ±1/√fanIn (what
 * `kaiming_uniform_(a=√5)` works out to), so fresh layers match torch's distributions.
 */
export function defaultLayerInit(weight: Tensor, bias: Tensor | null): void {
  if (skipping > 0) return;
  const bound = 1 / Math.sqrt(fans(weight).fanIn);
  uniform(weight, -bound, bound);
  if (bias) uniform(bias, -bound, bound);
}

let skipping = 0;

/**
 * Builds modules without their default random initialisation (PyTorch's
 * `torch.nn.utils.skip_init`): parameters stay zero and the default generator is not drawn
 * from, for layers whose values are about to be overwritten (fused copies, loaded weights).
 */
export function skipInit<T>(make: () => T): T {
  skipping++;
  try {
    return make();
  } finally {
    skipping--;
  }
}
