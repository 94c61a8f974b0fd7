/** Edge shapes (size-0 and size-1 dims, rank-0 tensors, views from permute/slice) and extreme values. */
import * as fv from '@fovea/core';
import type { Tensor } from '@fovea/core';
import { valueChecks, type ValueCase } from './values.js';

const f = (shape: number[], ...data: number[]) => fv.tensor(Float32Array.from(data), shape);
const range = (...shape: number[]) => fv.reshape(fv.cast(fv.arange(shape.reduce((a, b) => a * b, 1)), 'float32'), shape);
const zeros = (...shape: number[]) => fv.zeros(shape);
const outer = (v: number[]) => v.flatMap((a) => v.map((b) => a * b));
/** The gradient of sum(y) with respect to x. */
const gradOf = (x: Tensor, y: (x: Tensor) => Tensor) => fv.grad(fv.sum(y(x.requiresGrad_())), [x])[0]!;

const CASES: ValueCase[] = [
  { name: 'size-0/broadcast add', fn: () => fv.add(zeros(0, 3), fv.ones([3])), expect: { shape: [0, 3], data: [] } },
  { name: 'size-0/unary', fn: () => fv.exp(zeros(2, 0)), expect: { shape: [2, 0], data: [] } },
  { name: 'size-0/sum over the empty dim', fn: () => fv.sum(zeros(2, 0), 1), expect: { shape: [2], data: [0, 0] } },
  { name: 'size-0/sum over another dim', fn: () => fv.sum(zeros(0, 3), 1), expect: { shape: [0], data: [] } },
  { name: 'size-0/matmul with empty inner dim', fn: () => fv.matmul(zeros(2, 0), zeros(0, 3)), expect: { shape: [2, 3], data: [0, 0, 0, 0, 0, 0] } },
  { name: 'size-0/matmul with empty rows', fn: () => fv.matmul(zeros(0, 4), zeros(4, 3)), expect: { shape: [0, 3], data: [] } },
  { name: 'size-0/concat with an empty part', fn: () => fv.concat([zeros(0, 2), f([1, 2], 1, 2)], 0), expect: { shape: [1, 2], data: [1, 2] } },
  { name: 'size-0/empty slice', fn: () => fv.slice(range(3, 4), [1, 0], [1, 4]), expect: { shape: [0, 4], data: [] } },
  { name: 'size-0/conv2d of an empty batch', fn: () => fv.conv2d(zeros(0, 1, 3, 3), fv.ones([1, 1, 2, 2])), expect: { shape: [0, 1, 2, 2], data: [] } },
  { name: 'size-0/gradient', fn: () => gradOf(zeros(0, 3), (x) => fv.mul(x, 2)), expect: { shape: [0, 3], data: [] } },
  { name: 'size-1/softmax over one class', fn: () => fv.softmax(f([2, 1], 3, -7), 1), expect: { shape: [2, 1], data: [1, 1] } },
  { name: 'size-1/sum over a size-1 dim', fn: () => fv.sum(f([1, 3], 1, 2, 3), 0), expect: { shape: [3], data: [1, 2, 3] } },
  { name: 'size-1/broadcast of [1]', fn: () => fv.add(range(2, 3), f([1], 10)), expect: { shape: [2, 3], data: [10, 11, 12, 13, 14, 15] } },
  { name: 'size-1/matmul 1x1', fn: () => fv.matmul(f([1, 1], 3), f([1, 1], -2)), expect: { shape: [1, 1], data: [-6] } },
  { name: 'size-1/conv2d 1x1 image and kernel', fn: () => fv.conv2d(f([1, 1, 1, 1], 3), f([1, 1, 1, 1], 2), f([1], 1)), expect: { shape: [1, 1, 1, 1], data: [7] } },
  { name: 'size-1/maxPool2d 1x1', fn: () => fv.maxPool2d(f([1, 1, 1, 1], -4), { kernelSize: 1 }), expect: { shape: [1, 1, 1, 1], data: [-4] } },
  { name: 'rank-0/add', fn: () => fv.add(fv.tensor(2), fv.tensor(3)), expect: { shape: [], data: [5] } },
  { name: 'rank-0/broadcast against a matrix', fn: () => fv.mul(range(2, 2), fv.tensor(3)), expect: { shape: [2, 2], data: [0, 3, 6, 9] } },
  { name: 'rank-0/broadcast against size-0', fn: () => fv.add(zeros(0), fv.tensor(1)), expect: { shape: [0], data: [] } },
  { name: 'rank-0/where with a rank-0 condition', fn: () => fv.where(fv.tensor(false), range(2), fv.tensor(-1)), expect: { shape: [2], data: [-1, -1] } },
  { name: 'rank-0/full reduction', fn: () => fv.sum(range(2, 3)), expect: { shape: [], data: [15] } },
  { name: 'rank-0/gradient of a broadcast operand', fn: () => gradOf(fv.tensor(2), (s) => fv.mul(range(2, 3), s)), expect: { shape: [], data: [15] } },
  { name: 'rank-0/gradient', fn: () => gradOf(fv.tensor(3), (x) => fv.mul(x, x)), expect: { shape: [], data: [6] } },
  {
    name: 'ceilMode/maxPool2d keeps the partial last window',
    fn: () => fv.maxPool2d(range(1, 1, 5, 5), { kernelSize: 2, ceilMode: true }),
    expect: { shape: [1, 1, 3, 3], data: [6, 8, 9, 16, 18, 19, 21, 23, 24] },
  },
  {
    name: 'ceilMode/avgPool2d averages the partial last window over what it covers',
    fn: () => fv.avgPool2d(range(1, 1, 5, 5), { kernelSize: 2, ceilMode: true }),
    expect: { shape: [1, 1, 3, 3], data: [3, 5, 6.5, 13, 15, 16.5, 20.5, 22.5, 24] },
  },
  {
    // PyTorch divides by the window clipped to the padded input: padding counts, the overhang past it does not.
    name: 'ceilMode/avgPool2d with countIncludePad counts padding but not the overhang',
    fn: () => fv.avgPool2d(fv.ones([1, 1, 6, 6]), { kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: true }),
    expect: { shape: [1, 1, 4, 4], data: outer([2 / 3, 1, 1, 1 / 2]) },
  },
  { name: 'large/sum of 100000 ones', fn: () => fv.sum(fv.ones([100000])), expect: { shape: [], data: [100000] } },
  { name: 'large/max and argmax of 100000 values', fn: () => fv.stack([fv.max(range(100000)), fv.cast(fv.argmax(range(100000)), 'float32')]), expect: { shape: [2], data: [99999, 99999] } },
  { name: 'large/elementwise over 100000 values', fn: () => fv.sum(fv.mul(fv.ones([100000]), fv.ones([100000]))), expect: { shape: [], data: [100000] } },
  { name: 'large/matmul 65x300 by 300x70', fn: () => fv.sum(fv.matmul(fv.ones([65, 300]), fv.ones([300, 70])), 0), expect: { shape: [70], data: new Array(70).fill(65 * 300) } },
  {
    name: 'aliasing/a tensor added to itself',
    fn: () => {
      const x = range(2, 3);
      return fv.add(x, x);
    },
    expect: { shape: [2, 3], data: [0, 2, 4, 6, 8, 10] },
  },
  { name: 'aliasing/gradient of x * x', fn: () => gradOf(range(2, 3), (x) => fv.mul(x, x)), expect: { shape: [2, 3], data: [0, 2, 4, 6, 8, 10] } },
  {
    name: 'broadcast/where broadcasts all three operands',
    fn: () => fv.where(fv.tensor([[true], [false]]), range(1, 3), fv.tensor(-1)),
    expect: { shape: [2, 3], data: [0, 1, 2, -1, -1, -1] },
  },
  { name: 'extremes/softmax with -Infinity scores', fn: () => fv.softmax(f([1, 3], -Infinity, 0, -Infinity), 1), expect: { shape: [1, 3], data: [0, 1, 0] } },
  { name: 'extremes/logSoftmax of large scores', fn: () => fv.logSoftmax(f([1, 2], 1000, 0), 1), expect: { shape: [1, 2], data: [0, -1000] } },
  { name: 'extremes/logsumexp of an all -Infinity row', fn: () => fv.logsumexp(f([1, 2], -Infinity, -Infinity), 1), expect: { shape: [1], data: [-Infinity] } },
  { name: 'extremes/sigmoid saturates', fn: () => fv.sigmoid(f([2], -100, 100)), expect: { shape: [2], data: [0, 1] } },
  { name: 'extremes/softplus of large inputs', fn: () => fv.softplus(f([2], -100, 100)), expect: { shape: [2], data: [0, 100] } },
  { name: 'extremes/crossEntropy of large scores', fn: () => fv.crossEntropy(f([1, 2], 1000, 0), fv.tensor(Int32Array.from([1]))), expect: { shape: [], data: [1000] } },
  { name: 'extremes/bceWithLogits of large logits', fn: () => fv.bceWithLogits(f([2], 100, -100), f([2], 0, 1)), expect: { shape: [], data: [100] } },
  { name: 'extremes/gradient of crossEntropy at large scores', fn: () => gradOf(f([1, 2], 1000, 0), (s) => fv.crossEntropy(s, fv.tensor(Int32Array.from([1])))), expect: { shape: [1, 2], data: [1, -1] } },
  {
    name: 'views/matmul of a permuted input',
    fn: () => {
      const a = f([3, 2], 1, 2, 3, 4, 5, 6);
      return fv.matmul(fv.permute(a, [1, 0]), a);
    },
    expect: { shape: [2, 2], data: [35, 44, 44, 56] },
  },
  { name: 'views/arithmetic on a strided slice', fn: () => fv.mul(fv.slice(range(3, 4), [0, 1], [3, 4], [2, 2]), 2), expect: { shape: [2, 2], data: [2, 6, 18, 22] } },
  { name: 'views/reduction of a transpose', fn: () => fv.sum(fv.transpose(f([2, 3], 1, 2, 3, 4, 5, 6), 0, 1), 1), expect: { shape: [3], data: [5, 7, 9] } },
  {
    name: 'views/conv2d of a permuted NHWC input',
    fn: () => fv.conv2d(fv.permute(range(1, 2, 2, 2), [0, 3, 1, 2]), fv.ones([1, 2, 1, 1])),
    expect: { shape: [1, 1, 2, 2], data: [1, 5, 9, 13] },
  },
  { name: 'views/gradient through a slice', fn: () => gradOf(range(2, 3), (x) => fv.slice(x, [0, 1], [2, 3])), expect: { shape: [2, 3], data: [0, 1, 1, 0, 1, 1] } },
  {
    name: 'views/gradient through a permute',
    fn: () => gradOf(range(2, 3), (x) => fv.mul(fv.permute(x, [1, 0]), f([3, 2], 1, 2, 3, 4, 5, 6))),
    expect: { shape: [2, 3], data: [1, 3, 5, 2, 4, 6] },
  },
];

export const edgeChecks = () => valueChecks(CASES);
