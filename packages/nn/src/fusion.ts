/**
 * Inference-time fusion: batch norm folded into the preceding convolution and the ReLU after it
 * run inside one `fusedConv2d` op (PyTorch's `fuse_conv_bn_eval` and `fuse_modules`, found
 * automatically). Fused modules hold new tensors; the model they came from is left as it is.
 */
import { add, dispose, div, mul, neg, noGrad, reshape, ShapeError, sqrt, sub, tidy, ValueError, type FusedActivation, type Tensor } from '@fovea/core';
import { Sequential } from './containers.js';
import { skipInit } from './init.js';
import { ReLU } from './layers/activation.js';
import { BatchNorm2d } from './layers/batchnorm.js';
import { Conv2d, type Conv2dOptions } from './layers/conv.js';
import { FusedConv2d } from './layers/fused-conv.js';
import { Identity } from './layers/reshape.js';
import type { Module } from './module.js';

function requireEval(fn: string, modules: readonly Module[]): void {
  const training = modules.find((m) => m.training);
  if (training) {
    throw new ValueError(`${fn}: fusion is for inference only, but ${training.constructor.name} is in training mode (batch norm would still use batch statistics); call .eval() first`);
  }
}

/**
 * The convolution's weight and bias with the batch norm's eval-mode affine map folded in
 * (torch.nn.utils.fusion.fuse_conv_bn_weights): scale = γ/√(σ² + ε), w' = w·scale per output
 * channel, b' = (b − μ)·scale + β.
 */
function foldBn(conv: Conv2d, bn: BatchNorm2d): [Tensor, Tensor] {
  const { runningMean: mean, runningVar: variance } = bn;
  if (!mean || !variance) throw new ValueError(`cannot fold ${bn} into a convolution: without running statistics it normalises by each batch's`);
  if (bn.numFeatures !== conv.outChannels) throw new ShapeError(`cannot fold BatchNorm2d(${bn.numFeatures}) into a convolution with ${conv.outChannels} output channels`);
  return noGrad(() =>
    tidy(() => {
      const invStd = div(1, sqrt(add(variance, bn.eps)));
      const scale = bn.weight ? mul(bn.weight, invStd) : invStd;
      const weight = mul(conv.weight, reshape(scale, [-1, 1, 1, 1]));
      const shifted = mul(conv.bias ? sub(conv.bias, mean) : neg(mean), scale);
      return [weight, bn.bias ? add(shifted, bn.bias) : shifted];
    }),
  );
}

/** A convolution of `conv`'s geometry holding `weight` and `bias`, in eval mode. */
function rebuild<C extends Conv2d>(conv: Conv2d, weight: Tensor, bias: Tensor | null, make: (options: Conv2dOptions) => C): C {
  const { stride, padding, dilation, groups } = conv;
  const made = skipInit(() => make({ stride, padding, dilation, groups, bias: bias !== null }));
  noGrad(() => {
    made.weight.assign(weight);
    if (bias) made.bias!.assign(bias);
  });
  return made.eval();
}

/** Rebuilds `conv` with `bn` folded in, or as it is without one. */
function foldInto<C extends Conv2d>(conv: Conv2d, bn: BatchNorm2d | null, make: (options: Conv2dOptions) => C): C {
  if (!bn) return rebuild(conv, conv.weight, conv.bias, make);
  const [weight, bias] = foldBn(conv, bn);
  try {
    return rebuild(conv, weight, bias, make);
  } finally {
    dispose([weight, bias]);
  }
}

/**
 * A new Conv2d computing `bn(conv(x))` of the eval-mode pair: the batch norm's running
 * statistics, eps and affine parameters folded into the weight and a bias (PyTorch's
 * `torch.nn.utils.fusion.fuse_conv_bn_eval`). Both modules must be in eval mode.
 */
export function fuseConvBnEval(conv: Conv2d, bn: BatchNorm2d): Conv2d {
  requireEval('fuseConvBnEval', [conv, bn]);
  return foldInto(conv, bn, (options) => new Conv2d(conv.inChannels, conv.outChannels, conv.kernelSize, options));
}

export interface FuseConvOptions {
  /** An eval-mode batch norm after the convolution, folded into it. */
  bn?: BatchNorm2d | null;
  /** The activation after the convolution (and batch norm). */
  activation?: FusedActivation;
}

/**
 * conv (→ bn) (→ activation) as one FusedConv2d with its own tensors, for `fuse()` hooks of
 * modules that call their layers themselves (residual blocks). Modules must be in eval mode.
 */
export function fuseConv(conv: Conv2d, { bn = null, activation = 'none' }: FuseConvOptions = {}): FusedConv2d {
  requireEval('fuseConv', bn ? [conv, bn] : [conv]);
  return foldInto(conv, bn, (options) => new FusedConv2d(conv.inChannels, conv.outChannels, conv.kernelSize, { ...options, activation }));
}

/** The fusable run at the start of `modules`: Conv2d → BatchNorm2d → ReLU, Conv2d → BatchNorm2d or Conv2d → ReLU. */
function convRun([conv, next, after]: readonly Module[]): (FuseConvOptions & { length: number }) | null {
  // Exact classes, as fuse_modules matches them: a subclass may compute something else.
  if (conv?.constructor !== Conv2d) return null;
  const bn = next?.constructor === BatchNorm2d && (next as BatchNorm2d).runningMean ? (next as BatchNorm2d) : null;
  const relu = (bn ? after : next)?.constructor === ReLU;
  if (!bn && !relu) return null;
  return { bn, activation: relu ? 'relu' : 'none', length: 1 + Number(bn !== null) + Number(relu) };
}

/** A new Sequential with each fusable run fused into its conv's slot and the absorbed slots Identity (so names and indices stay). */
function fuseSequential(seq: Sequential): Sequential {
  const out = new Sequential();
  const children = seq.namedChildren();
  for (let i = 0; i < children.length; ) {
    const [name, m] = children[i]!;
    const run = convRun(children.slice(i, i + 3).map(([, c]) => c));
    if (!run) {
      out.register(name, fuseModule(m));
      i++;
      continue;
    }
    out.register(name, fuseConv(m as Conv2d, run));
    for (const [absorbed] of children.slice(i + 1, i + run.length)) out.register(absorbed, new Identity());
    i += run.length;
  }
  return out.eval();
}

function fuseModule(m: Module): Module {
  if (m.fuse) return m.fuse().eval();
  if (m.constructor === Sequential) return fuseSequential(m as Sequential);
  return m;
}

/**
 * The eval-mode model with its convolutions fused for inference, leaving `model` as it is.
 * Inside Sequentials, runs of Conv2d → BatchNorm2d → ReLU (and Conv2d → BatchNorm2d,
 * Conv2d → ReLU) become one FusedConv2d — the batch norm folded into its weight and bias, the
 * ReLU applied in the same op — and the absorbed slots become Identity. A module with a `fuse()`
 * hook rewrites itself (ResNet blocks feed their shortcut to the last conv as its residual).
 * Other modules are kept, shared with `model`: leaves (Linear, pooling…) have nothing to fuse,
 * and a module with children but no hook calls them itself, so they cannot be swapped.
 * The model must be in eval mode: fusion folds the running statistics.
 */
export function fuseForInference(model: Module): Module {
  requireEval('fuseForInference', model.modules());
  return fuseModule(model);
}
