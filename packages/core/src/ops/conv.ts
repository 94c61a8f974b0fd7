import type { TensorSpec } from '../backend.js';
import { vjp } from '../autograd.js';
import { ones } from '../creation.js';
import { ShapeError, ValueError } from '../errors.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add, div } from './elementwise.js';
import { concat, dilate, flip, reshape, slice, unsqueeze } from './movement.js';
import { argmax, mean } from './reduce.js';
import { gather } from './indexing.js';
import { convAttrs, defineOps, pair, requireDType, run } from './util.js';

export type Pair = [number, number];

export interface ConvAttrs {
  stride: Pair;
  padding: Pair;
  dilation: Pair;
  groups: number;
}

export interface PoolAttrs {
  kernel: Pair;
  stride: Pair;
  padding: Pair;
  countIncludePad?: boolean;
  /** Round the output size up, as PyTorch's `ceil_mode`: a last, partial window is kept if it starts inside the input or its left padding. */
  ceilMode?: boolean;
}

/** Output length of a sliding window over `size`; with `ceil`, PyTorch's ceil-mode rule. */
function windows(size: number, kernel: number, stride: number, pad: number, dilation: number, ceil = false): number {
  const span = size + 2 * pad - dilation * (kernel - 1) - 1;
  const out = (ceil ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  return ceil && (out - 1) * stride >= size + pad ? out - 1 : out;
}

function checkPair(op: string, name: string, v: unknown, min: number): Pair {
  if (!Array.isArray(v) || v.length !== 2 || v.some((x) => typeof x !== 'number' || !Number.isInteger(x) || x < min)) {
    throw new ValueError(`${op}: ${name} must be integers >= ${min}, got ${String(v)}`);
  }
  return v as Pair;
}

function require4d(op: string, x: TensorSpec, what = 'input'): void {
  if (x.shape.length !== 4) throw new ShapeError(`${op}: ${what} must be 4-D NCHW, got ${fmtShape(x.shape)}`);
}

/** Output spatial size of a window op, with the errors PyTorch gives for impossible windows. */
function windowOutput(op: string, x: TensorSpec, kernel: Pair, stride: Pair, padding: Pair, dilation: Pair, ceil = false): Pair {
  const out = [0, 1].map((i) => {
    const size = x.shape[2 + i]!;
    const reach = dilation[i]! * (kernel[i]! - 1) + 1;
    const n = windows(size, kernel[i]!, stride[i]!, padding[i]!, dilation[i]!, ceil);
    // Ceil mode keeps a partial window over a too-small input, as PyTorch does, while one output remains.
    if (ceil ? n < 1 : reach > size + 2 * padding[i]!) {
      throw new ShapeError(`${op}: kernel ${fmtShape(kernel)} (dilated extent ${reach}) is larger than the padded input ${size + 2 * padding[i]!} in ${fmtShape(x.shape)}`);
    }
    return n;
  });
  return out as Pair;
}

function checkConv(op: string, x: TensorSpec, w: TensorSpec, a: ConvAttrs): Pair {
  require4d(op, x);
  require4d(op, w, 'weight');
  requireDType(x, ['float32'], op);
  requireDType(w, ['float32'], op, 'weight');
  checkPair(op, 'stride', a.stride, 1);
  checkPair(op, 'padding', a.padding, 0);
  checkPair(op, 'dilation', a.dilation, 1);
  if (!Number.isInteger(a.groups) || a.groups < 1) throw new ValueError(`${op}: groups must be a positive integer, got ${a.groups}`);
  if (x.shape[1] !== w.shape[1]! * a.groups || w.shape[0]! % a.groups !== 0) {
    throw new ShapeError(`${op}: input ${fmtShape(x.shape)} and weight ${fmtShape(w.shape)} do not fit groups=${a.groups} (expected ${w.shape[1]! * a.groups} input channels)`);
  }
  return windowOutput(op, x, [w.shape[2]!, w.shape[3]!], a.stride, a.padding, a.dilation);
}

/** Pads (positive) or crops (negative) the two spatial dims. */
function padOrCrop(x: Tensor, top: number, bottom: number, left: number, right: number): Tensor {
  const grown = run('pad', [x], { pads: [[0, 0], [0, 0], [Math.max(top, 0), Math.max(bottom, 0)], [Math.max(left, 0), Math.max(right, 0)]], value: 0 });
  const [, , h, w] = grown.shape as number[];
  if (top >= 0 && bottom >= 0 && left >= 0 && right >= 0) return grown;
  return slice(grown, [0, 0, Math.max(-top, 0), Math.max(-left, 0)], [null, null, h! - Math.max(-bottom, 0), w! - Math.max(-right, 0)] as number[]);
}

/** dL/dx of conv2d: a stride-1 convolution of the stride-dilated dy with flipped, regrouped weights. */
function convInputGrad(dy: Tensor, w: Tensor, a: ConvAttrs & { inputShape: number[] }): Tensor {
  const [, , hIn, wIn] = a.inputShape as [number, number, number, number];
  const [o, cg, kh, kw] = w.shape as [number, number, number, number];
  const g = a.groups;
  let d = dy;
  if (a.stride[0] > 1) d = dilate(d, 2, a.stride[0]);
  if (a.stride[1] > 1) d = dilate(d, 3, a.stride[1]);
  const edge = [0, 1].map((i) => a.dilation[i]! * ([kh, kw][i]! - 1) - a.padding[i]!);
  // Rows the forward pass never reached (stride remainder) get zero gradient.
  const rest = [0, 1].map((i) => ([hIn, wIn][i]! + 2 * a.padding[i]! - a.dilation[i]! * ([kh, kw][i]! - 1) - 1) % a.stride[i]!);
  const padded = padOrCrop(d, edge[0]!, edge[0]! + rest[0]!, edge[1]!, edge[1]! + rest[1]!);
  const regrouped = reshape(run('transpose', [reshape(w, [g, o / g, cg, kh, kw])], { perm: [0, 2, 1, 3, 4] }), [g * cg, o / g, kh, kw]);
  return run('conv2d', [padded, flip(regrouped, [2, 3])], { stride: [1, 1], padding: [0, 0], dilation: a.dilation, groups: g });
}

/** dL/dw of conv2d: x (channels as batch) convolved with dy (batch as channels). */
function convFilterGrad(x: Tensor, dy: Tensor, a: ConvAttrs & { filterShape: number[] }): Tensor {
  const [n, c, h, wd] = x.shape as [number, number, number, number];
  const [o, cg, kh, kw] = a.filterShape as [number, number, number, number];
  const g = a.groups;
  const [oh, ow] = dy.shape.slice(2) as [number, number];
  const xs = reshape(run('transpose', [reshape(x, [n, g, c / g, h, wd])], { perm: [2, 1, 0, 3, 4] }), [cg, g * n, h, wd]);
  const ds = reshape(run('transpose', [reshape(dy, [n, g, o / g, oh, ow])], { perm: [1, 2, 0, 3, 4] }), [o, n, oh, ow]);
  const full = run('conv2d', [xs, ds], { stride: a.dilation, padding: a.padding, dilation: a.stride, groups: g });
  return run('transpose', [slice(full, [0, 0, 0, 0], [cg, o, kh, kw])], { perm: [1, 0, 2, 3] });
}

/**
 * The pooling windows as a stack [kh·kw, N, C, OH, OW] of strided slices of the input, padded
 * with `edgeFill` by `padding` and then, for ceil mode's partial last windows, with `fill`.
 */
function windowStack(x: Tensor, a: PoolAttrs, fill: number, edgeFill = fill): Tensor {
  const [n, c] = x.shape as [number, number];
  const [oh, ow] = windowOutput('pool', x, a.kernel, a.stride, a.padding, [1, 1], a.ceilMode);
  const extra = [oh, ow].map((o, i) => Math.max(0, (o - 1) * a.stride[i]! + a.kernel[i]! - x.shape[2 + i]! - 2 * a.padding[i]!));
  const [ph, pw] = a.padding;
  let xp = edgeFill === fill
    ? run('pad', [x], { pads: [[0, 0], [0, 0], [ph, ph + extra[0]!], [pw, pw + extra[1]!]], value: fill })
    : run('pad', [x], { pads: [[0, 0], [0, 0], [ph, ph], [pw, pw]], value: edgeFill });
  if (edgeFill !== fill && (extra[0]! > 0 || extra[1]! > 0)) {
    xp = run('pad', [xp], { pads: [[0, 0], [0, 0], [0, extra[0]!], [0, extra[1]!]], value: fill });
  }
  const parts: Tensor[] = [];
  for (let i = 0; i < a.kernel[0]; i++) {
    for (let j = 0; j < a.kernel[1]; j++) {
      const win = run('slice', [xp], { begin: [0, 0, i, j], size: [n, c, oh, ow], step: [1, 1, a.stride[0], a.stride[1]] });
      parts.push(unsqueeze(win, 0));
    }
  }
  return concat(parts, 0);
}

function maxPoolDecomposed(x: Tensor, a: PoolAttrs): Tensor {
  const stack = windowStack(x, a, -Infinity);
  // gather at the first maximum: the gradient goes to one element per window, as in PyTorch.
  return reshape(gather(stack, 0, argmax(stack, 0, true)), stack.shape.slice(1));
}

/**
 * PyTorch's divisors: the window clipped to the padded input (countIncludePad) or to the input
 * itself; ceil mode's overhang past the padding never counts.
 */
function avgPoolDecomposed(x: Tensor, a: PoolAttrs): Tensor {
  const total = run('sum', [windowStack(x, a, 0)], { axes: [0], keepdim: false });
  const includePad = a.countIncludePad !== false;
  const [oh, ow] = total.shape.slice(2) as [number, number];
  const overhang = [oh, ow].some((o, i) => (o - 1) * a.stride[i]! + a.kernel[i]! > x.shape[2 + i]! + 2 * a.padding[i]!);
  if (includePad && !overhang) return div(total, a.kernel[0] * a.kernel[1]);
  const counts = run('sum', [windowStack(ones([1, 1, ...x.shape.slice(2)]), a, 0, includePad ? 1 : 0)], { axes: [0], keepdim: false });
  return div(total, counts);
}

function checkPool(op: string, x: TensorSpec, a: PoolAttrs): TensorSpec[] {
  require4d(op, x);
  requireDType(x, ['float32'], op);
  checkPair(op, 'kernelSize', a.kernel, 1);
  checkPair(op, 'stride', a.stride, 1);
  checkPair(op, 'padding', a.padding, 0);
  if (a.padding.some((p, i) => p > a.kernel[i]! / 2)) {
    throw new ValueError(`${op}: padding ${fmtShape(a.padding)} must be at most half the kernel ${fmtShape(a.kernel)}`);
  }
  if (a.ceilMode !== undefined && typeof a.ceilMode !== 'boolean') throw new ValueError(`${op}: ceilMode must be a boolean, got ${JSON.stringify(a.ceilMode)}`);
  const [oh, ow] = windowOutput(op, x, a.kernel, a.stride, a.padding, [1, 1], a.ceilMode);
  return [{ shape: [x.shape[0]!, x.shape[1]!, oh, ow], dtype: x.dtype }];
}


defineOps(
  {
    name: 'conv2d',
    infer: ([x, w], a: ConvAttrs) => {
      const [oh, ow] = checkConv('conv2d', x!, w!, a);
      return [{ shape: [x!.shape[0]!, w!.shape[0]!, oh, ow], dtype: 'float32' }];
    },
    grad: ([dy], { inputs: [x, w], attrs }) => [
      x!.requiresGrad ? run('conv2dBackpropInput', [dy!, w!], { ...attrs, inputShape: x!.shape }) : null,
      w!.requiresGrad ? run('conv2dBackpropFilter', [x!, dy!], { ...attrs, filterShape: w!.shape }) : null,
    ],
  },
  {
    name: 'conv2dBackpropInput',
    infer: ([, w], a: ConvAttrs & { inputShape: number[] }) => [{ shape: a.inputShape, dtype: w!.dtype }],
    decompose: ([dy, w], a) => [convInputGrad(dy!, w!, a)],
  },
  {
    name: 'conv2dBackpropFilter',
    infer: ([x], a: ConvAttrs & { filterShape: number[] }) => [{ shape: a.filterShape, dtype: x!.dtype }],
    decompose: ([x, dy], a) => [convFilterGrad(x!, dy!, a)],
  },
  {
    name: 'maxPool2d',
    infer: ([x], a: PoolAttrs) => checkPool('maxPool2d', x!, a),
    decompose: ([x], a) => [maxPoolDecomposed(x!, a)],
    grad: ([dy], { inputs: [x], attrs }) => [run('maxPool2dGrad', [dy!, x!], attrs)],
  },
  {
    name: 'maxPool2dGrad',
    infer: ([, x]) => [{ shape: x!.shape, dtype: x!.dtype }],
    decompose: ([dy, x], a) => [vjp((xx) => maxPoolDecomposed(xx!, a), [x!], [dy!])[0]!],
  },
  {
    name: 'avgPool2d',
    infer: ([x], a: PoolAttrs) => checkPool('avgPool2d', x!, a),
    decompose: ([x], a) => [avgPoolDecomposed(x!, a)],
    grad: ([dy], { inputs: [x], attrs }) => [run('avgPool2dGrad', [dy!, x!], attrs)],
  },
  {
    name: 'avgPool2dGrad',
    infer: ([, x]) => [{ shape: x!.shape, dtype: x!.dtype }],
    decompose: ([dy, x], a) => [vjp((xx) => avgPoolDecomposed(xx!, a), [x!], [dy!])[0]!],
  },
);

// ------------------------------------------------------------------ user-facing functions

export type IntOrPair = number | readonly [number, number] | readonly number[];

export interface Conv2dOptions {
  stride?: IntOrPair;
  padding?: IntOrPair;
  dilation?: IntOrPair;
  groups?: number;
}

/** 2-D convolution (cross-correlation) of NCHW input with [O, C/groups, KH, KW] weights. */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}): Tensor {
  const y = run('conv2d', [x, weight], convAttrs('conv2d', options));
  if (bias && (bias.ndim !== 1 || bias.size !== weight.shape[0])) {
    throw new ShapeError(`conv2d: bias must be [${weight.shape[0]}] for weight ${fmtShape(weight.shape)}, got ${fmtShape(bias.shape)}`);
  }
  return bias ? add(y, reshape(bias, [1, bias.size, 1, 1])) : y;
}

export interface Pool2dOptions {
  kernelSize: IntOrPair;
  stride?: IntOrPair;
  padding?: IntOrPair;
  /** Round the output size up (PyTorch's `ceil_mode`); default false. */
  ceilMode?: boolean;
}

function poolAttrs(op: string, options: IntOrPair | Pool2dOptions): PoolAttrs {
  const o: Pool2dOptions = typeof options === 'number' || Array.isArray(options) ? { kernelSize: options as IntOrPair } : (options as Pool2dOptions);
  const kernel = pair(o.kernelSize, op, 'kernelSize');
  return { kernel, stride: pair(o.stride ?? kernel, op, 'stride'), padding: pair(o.padding ?? 0, op, 'padding'), ceilMode: o.ceilMode ?? false };
}

/** Max pooling; `stride` defaults to the kernel size, padding never wins the max. */
export function maxPool2d(x: Tensor, options: IntOrPair | Pool2dOptions): Tensor {
  return run('maxPool2d', [x], poolAttrs('maxPool2d', options));
}

/** Average pooling; `countIncludePad` (default true) divides by the full window, as PyTorch does. */
export function avgPool2d(x: Tensor, options: IntOrPair | (Pool2dOptions & { countIncludePad?: boolean })): Tensor {
  const countIncludePad = typeof options === 'object' && !Array.isArray(options) ? ((options as { countIncludePad?: boolean }).countIncludePad ?? true) : true;
  return run('avgPool2d', [x], { ...poolAttrs('avgPool2d', options), countIncludePad });
}

/** Average pooling to a fixed output size, with PyTorch's window bounds floor(i·H/OH)…ceil((i+1)·H/OH). */
export function adaptiveAvgPool2d(x: Tensor, outputSize: IntOrPair): Tensor {
  const [oh, ow] = pair(outputSize, 'adaptiveAvgPool2d', 'outputSize');
  if (x.ndim !== 4) throw new ShapeError(`adaptiveAvgPool2d: input must be 4-D NCHW, got ${fmtShape(x.shape)}`);
  const [h, w] = x.shape.slice(2) as [number, number];
  if (oh < 1 || ow < 1 || !Number.isInteger(oh) || !Number.isInteger(ow)) throw new ValueError(`adaptiveAvgPool2d: output size must be positive integers, got ${oh}x${ow}`);
  if (h % oh === 0 && w % ow === 0) return avgPool2d(x, { kernelSize: [h / oh, w / ow] });
  const rows = Array.from({ length: oh }, (_, i) => mean(slice(x, [0, 0, Math.floor((i * h) / oh)], [null, null, Math.ceil(((i + 1) * h) / oh)] as number[]), 2, true));
  const byRow = concat(rows, 2);
  const cols = Array.from({ length: ow }, (_, j) => mean(slice(byRow, [0, 0, 0, Math.floor((j * w) / ow)], [null, null, null, Math.ceil(((j + 1) * w) / ow)] as number[]), 3, true));
  return concat(cols, 3);
}
