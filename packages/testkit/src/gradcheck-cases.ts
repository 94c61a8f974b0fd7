/**
 * Every differentiable user-facing op, on small random inputs, for finite-difference checks.
 * Each input is drawn uniformly from [low, high) (default [-2, 2)); integer and boolean
 * arguments are constants inside `fn`.
 */
import * as fv from '@fovea/core';
import type { Tensor } from '@fovea/core';

export interface InputSpec {
  readonly shape: readonly number[];
  readonly low?: number;
  readonly high?: number;
}

export interface GradCase {
  readonly name: string;
  readonly inputs: readonly (readonly number[] | InputSpec)[];
  readonly fn: (...xs: Tensor[]) => Tensor;
}

const positive = (...shape: number[]): InputSpec => ({ shape, low: 0.5, high: 2 });
const labels = () => fv.tensor(Int32Array.from([2, 0, 3]));
const mask = () => fv.tensor([[true, false, true], [false, false, true]]);
const index = () => fv.tensor(Int32Array.from([0, 2, 2, 1, 0, 1]), [2, 3]);

export const GRAD_CASES: readonly GradCase[] = [
  ...(['neg', 'abs', 'exp', 'square', 'relu', 'sigmoid', 'tanh', 'softplus', 'leakyRelu', 'elu'] as const).map(
    (op): GradCase => ({ name: op, inputs: [[2, 3]], fn: (x) => fv[op](x) }),
  ),
  { name: 'log', inputs: [positive(2, 3)], fn: fv.log },
  { name: 'sqrt', inputs: [positive(2, 3)], fn: fv.sqrt },
  { name: 'clamp', inputs: [[2, 3]], fn: (x) => fv.clamp(x, -0.5, 0.7) },
  { name: 'prelu', inputs: [[2, 3, 2], [3]], fn: fv.prelu },
  ...(['add', 'sub', 'mul', 'maximum', 'minimum'] as const).map(
    (op): GradCase => ({ name: `${op}/broadcast`, inputs: [[2, 1, 3], [4, 1]], fn: (a, b) => fv[op](a, b) }),
  ),
  { name: 'div/broadcast', inputs: [[2, 3], positive(3)], fn: fv.div },
  { name: 'pow', inputs: [positive(2, 3), [2, 3]], fn: fv.pow },
  { name: 'where', inputs: [[2, 3], [3]], fn: (a, b) => fv.where(mask(), a, b) },
  { name: 'sum', inputs: [[2, 3, 4]], fn: (x) => fv.sum(x, [0, 2], true) },
  { name: 'mean', inputs: [[2, 3, 4]], fn: (x) => fv.mean(x, 1) },
  { name: 'max', inputs: [[2, 3, 4]], fn: (x) => fv.max(x, 2) },
  { name: 'min', inputs: [[2, 3, 4]], fn: (x) => fv.min(x, 0) },
  { name: 'variance', inputs: [[3, 4]], fn: (x) => fv.variance(x, 1) },
  { name: 'logsumexp', inputs: [[3, 4]], fn: (x) => fv.logsumexp(x, 1) },
  { name: 'softmax', inputs: [[3, 4]], fn: (x) => fv.softmax(x, 1) },
  { name: 'logSoftmax', inputs: [[3, 4]], fn: (x) => fv.logSoftmax(x, 0) },
  { name: 'matmul/batched', inputs: [[2, 2, 3], [3, 2]], fn: fv.matmul },
  { name: 'linear', inputs: [[3, 4], [2, 4], [2]], fn: fv.linear },
  { name: 'conv2d', inputs: [[2, 2, 5, 5], [3, 2, 3, 3], [3]], fn: (x, w, b) => fv.conv2d(x, w, b, { stride: 2, padding: 1 }) },
  {
    name: 'conv2d/dilated-grouped',
    inputs: [[1, 4, 6, 5], [4, 2, 2, 3]],
    fn: (x, w) => fv.conv2d(x, w, null, { stride: [1, 2], padding: [1, 0], dilation: 2, groups: 2 }),
  },
  {
    name: 'fusedConv2d/relu-bias-residual',
    inputs: [[2, 2, 5, 5], [3, 2, 3, 3], [3], [2, 3, 3, 3]],
    fn: (x, w, b, r) => fv.fusedConv2d(x, w, b, { stride: 2, padding: 1, activation: 'relu', residual: r }),
  },
  {
    name: 'fusedConv2d/dilated-grouped-residual',
    inputs: [[1, 4, 6, 5], [4, 2, 2, 3], [1, 4, 6, 1]],
    fn: (x, w, r) => fv.fusedConv2d(x, w, null, { stride: [1, 2], padding: [1, 0], dilation: 2, groups: 2, residual: r }),
  },
  { name: 'maxPool2d', inputs: [[1, 2, 5, 5]], fn: (x) => fv.maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }) },
  { name: 'avgPool2d', inputs: [[1, 2, 5, 5]], fn: (x) => fv.avgPool2d(x, { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false }) },
  { name: 'maxPool2d/ceilMode', inputs: [[1, 1, 5, 6]], fn: (x) => fv.maxPool2d(x, { kernelSize: 2, stride: 2, ceilMode: true }) },
  { name: 'avgPool2d/ceilMode', inputs: [[1, 1, 5, 6]], fn: (x) => fv.avgPool2d(x, { kernelSize: 3, stride: 2, padding: 1, ceilMode: true }) },
  { name: 'adaptiveAvgPool2d', inputs: [[1, 2, 5, 5]], fn: (x) => fv.adaptiveAvgPool2d(x, [2, 3]) },
  {
    name: 'batchNorm/training',
    inputs: [[4, 3, 2], [3], [3]],
    fn: (x, w, b) => fv.batchNorm(x, fv.zeros([3]), fv.ones([3]), w, b, { training: true, momentum: 0.1, eps: 1e-5 }),
  },
  // Without affine parameters or running statistics (batch statistics in either mode), over [N, C, H, W].
  { name: 'batchNorm/batch-statistics', inputs: [[3, 2, 2, 3]], fn: (x) => fv.batchNorm(x, null, null, null, null, { eps: 1e-3 }) },
  {
    name: 'dropout',
    inputs: [[4, 5]],
    fn: (x) => {
      fv.manualSeed(7);
      return fv.dropout(x, 0.5);
    },
  },
  { name: 'reshape', inputs: [[2, 3, 2]], fn: (x) => fv.reshape(x, [3, -1]) },
  { name: 'flatten', inputs: [[2, 3, 2]], fn: (x) => fv.flatten(x, 1) },
  { name: 'squeeze-unsqueeze', inputs: [[2, 1, 3]], fn: (x) => fv.unsqueeze(fv.squeeze(x, 1), 0) },
  { name: 'permute', inputs: [[2, 3, 4]], fn: (x) => fv.permute(x, [2, 0, 1]) },
  { name: 'transpose', inputs: [[2, 3, 4]], fn: (x) => fv.transpose(x, 0, 2) },
  { name: 'expand', inputs: [[3, 1]], fn: (x) => fv.expand(x, [2, 3, 4]) },
  { name: 'slice', inputs: [[4, 5]], fn: (x) => fv.slice(x, [1, 0], [4, 5], [2, 2]) },
  { name: 'concat', inputs: [[2, 3], [1, 3]], fn: (a, b) => fv.concat([a, b], 0) },
  { name: 'stack', inputs: [[2, 3], [2, 3]], fn: (a, b) => fv.stack([a, b], 1) },
  { name: 'split', inputs: [[2, 5]], fn: (x) => fv.split(x, [2, 3], 1)[1]! },
  { name: 'pad', inputs: [[2, 3]], fn: (x) => fv.pad(x, [1, 2, 0, 1], 0.5) },
  { name: 'flip', inputs: [[2, 3]], fn: (x) => fv.flip(x, [0, 1]) },
  { name: 'gather', inputs: [[2, 4]], fn: (x) => fv.gather(x, 1, index()) },
  { name: 'scatterAdd', inputs: [[2, 4], [2, 3]], fn: (x, src) => fv.scatterAdd(x, 1, index(), src) },
  { name: 'indexSelect', inputs: [[4, 3]], fn: (x) => fv.indexSelect(x, 0, fv.tensor(Int32Array.from([3, 0, 3]))) },
  { name: 'embedding', inputs: [[5, 2]], fn: (w) => fv.embedding(index(), w) },
  { name: 'crossEntropy', inputs: [[3, 4]], fn: (s) => fv.crossEntropy(s, labels()) },
  { name: 'svmHinge', inputs: [[3, 4]], fn: (s) => fv.svmHinge(s, labels(), { reduction: 'sum' }) },
  { name: 'mseLoss', inputs: [[2, 3], [2, 3]], fn: (a, b) => fv.mseLoss(a, b) },
  { name: 'l1Loss', inputs: [[2, 3], [2, 3]], fn: (a, b) => fv.l1Loss(a, b, { reduction: 'none' }) },
  { name: 'bceWithLogits', inputs: [[2, 3], { shape: [2, 3], low: 0, high: 1 }], fn: (a, b) => fv.bceWithLogits(a, b) },
];
