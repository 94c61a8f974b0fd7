/**
 * PyTorch's op and attribute names, as the golden files use them, mapped to Fovea's calls.
 * A call returns one tensor (`y`) or named outputs.
 */
import * as fv from '@fovea/core';
import type { Tensor } from '@fovea/core';

export type Inputs = Record<string, Tensor>;
export type Attrs = Record<string, any>;
export type Call = (inputs: Inputs, attrs: Attrs) => Tensor | Record<string, Tensor>;

const unary = (fn: (x: Tensor) => Tensor): Call => ({ x }) => fn(x!);
const binary = (fn: (a: Tensor, b: Tensor) => Tensor): Call => ({ a, b }) => fn(a!, b!);
const reduction = (fn: (x: Tensor, dim?: number | number[], keepdim?: boolean) => Tensor): Call => ({ x }, { dim, keepdim }) => fn(x!, dim ?? undefined, keepdim);
const alongDim = (fn: (x: Tensor, dim: number) => Tensor): Call => ({ x }, { dim }) => fn(x!, dim);
const pairLoss = (fn: typeof fv.mseLoss): Call => ({ input, target }, { reduction }) => fn(input!, target!, { reduction });
const pool = (fn: typeof fv.avgPool2d): Call => ({ x }, a) =>
  fn(x!, { kernelSize: a.kernel_size, stride: a.stride, padding: a.padding, countIncludePad: a.count_include_pad });

/** Training updates the running statistics in place; they are outputs too. */
const batchNorm: Call = ({ x, weight, bias, running_mean, running_var }, a) => {
  const stat = (given: Tensor | undefined, initial?: { shape: number[]; data: number[] }) =>
    given ?? (initial ? fv.tensor(Float32Array.from(initial.data), initial.shape) : null);
  const [mean, variance] = [stat(running_mean, a.running_mean), stat(running_var, a.running_var)];
  const y = fv.batchNorm(x!, mean, variance, weight ?? null, bias ?? null, { training: a.training, momentum: a.momentum, eps: a.eps });
  const stats: Record<string, Tensor> = mean && variance ? { running_mean: mean, running_var: variance } : {};
  return { y, ...stats };
};

export const GOLDEN_OPS: Readonly<Record<string, Call>> = {
  relu: unary(fv.relu),
  sigmoid: unary(fv.sigmoid),
  tanh: unary(fv.tanh),
  exp: unary(fv.exp),
  neg: unary(fv.neg),
  abs: unary(fv.abs),
  log: unary(fv.log),
  sqrt: unary(fv.sqrt),
  softplus: unary(fv.softplus),
  leaky_relu: ({ x }, a) => fv.leakyRelu(x!, a.negative_slope),
  elu: ({ x }, a) => fv.elu(x!, a.alpha),
  prelu: ({ x, weight }) => fv.prelu(x!, weight!),
  add: binary(fv.add),
  sub: binary(fv.sub),
  mul: binary(fv.mul),
  div: binary(fv.div),
  pow: binary(fv.pow),
  maximum: binary(fv.maximum),
  where: ({ cond, a, b }) => fv.where(cond!, a!, b!),
  sum: reduction(fv.sum),
  mean: reduction(fv.mean),
  max: reduction(fv.max),
  argmax: ({ x }, { dim }) => fv.argmax(x!, dim),
  softmax: alongDim(fv.softmax),
  log_softmax: alongDim(fv.logSoftmax),
  logsumexp: alongDim(fv.logsumexp),
  matmul: binary(fv.matmul),
  linear: ({ x, weight, bias }) => fv.linear(x!, weight!, bias),
  conv2d: ({ x, weight, bias }, { stride, padding, dilation, groups }) => fv.conv2d(x!, weight!, bias ?? null, { stride, padding, dilation, groups }),
  max_pool2d: pool(fv.maxPool2d),
  avg_pool2d: pool(fv.avgPool2d),
  adaptive_avg_pool2d: ({ x }, a) => fv.adaptiveAvgPool2d(x!, a.output_size),
  batch_norm: batchNorm,
  cross_entropy: ({ scores, labels }, { reduction }) => fv.crossEntropy(scores!, labels!, { reduction }),
  svm_hinge: ({ scores, labels }, { margin, reduction }) => fv.svmHinge(scores!, labels!, { margin, reduction }),
  mse_loss: pairLoss(fv.mseLoss),
  l1_loss: pairLoss(fv.l1Loss),
  binary_cross_entropy_with_logits: pairLoss(fv.bceWithLogits),
  reshape: ({ x }, a) => fv.reshape(x!, a.shape),
  permute: ({ x }, a) => fv.permute(x!, a.dims),
  slice: ({ x }, a) => fv.slice(x!, a.begin, a.end, a.step),
  concat: ({ a, b }, { dim }) => fv.concat([a!, b!], dim),
  pad: ({ x }, a) => fv.pad(x!, a.pad, a.value),
  flip: ({ x }, a) => fv.flip(x!, a.dims),
  embedding: ({ indices, weight }) => fv.embedding(indices!, weight!),
  gather: ({ x, index }, { dim }) => fv.gather(x!, dim, index!),
};
