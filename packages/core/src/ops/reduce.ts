import type { TensorSpec } from '../backend.js';
import { ValueError } from '../errors.js';
import { normalizeAxes, normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { abs, add, cast, div, equal, exp, less, log, mul, neg, sub, where } from './elementwise.js';
import { asFloat, defineOps, requireDType, run } from './util.js';

interface ReduceAttrs {
  axes: number[];
  keepdim: boolean;
}

function reducedShape(shape: readonly number[], axes: readonly number[], keepdim: boolean): number[] {
  return keepdim ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

function checkAxes(name: string, x: TensorSpec, axes: unknown): number[] {
  if (!Array.isArray(axes) || axes.length === 0) throw new ValueError(`${name}: axes must be a non-empty array, got ${JSON.stringify(axes)}`);
  return axes.map((a) => normalizeAxis(a, x.shape.length, name));
}

/** The gradient of a reduction spread back over the input's shape. */
function expandBack(dy: Tensor, x: Tensor, { axes, keepdim }: ReduceAttrs): Tensor {
  const kept = keepdim ? dy : run('reshape', [dy], { shape: reducedShape(x.shape, axes, true) });
  return run('expand', [kept], { shape: x.shape });
}

defineOps(
  {
    name: 'sum',
    infer: ([x], { axes, keepdim }: ReduceAttrs) => {
      checkAxes('sum', x!, axes);
      return [{ shape: reducedShape(x!.shape, axes, keepdim), dtype: x!.dtype === 'bool' ? 'int32' : x!.dtype }];
    },
    grad: ([dy], { inputs: [x], attrs }) => [expandBack(dy!, x!, attrs)],
  },
  {
    name: 'max',
    infer: ([x], { axes, keepdim }: ReduceAttrs) => {
      checkAxes('max', x!, axes);
      requireDType(x!, ['float32', 'int32'], 'max');
      if (axes.some((a) => x!.shape[a] === 0)) throw new ValueError(`max: cannot reduce an empty dimension`);
      return [{ shape: reducedShape(x!.shape, axes, keepdim), dtype: x!.dtype }];
    },
    // Ties share the gradient evenly (PyTorch's amax rule).
    grad: ([dy], { inputs: [x], outputs: [y], attrs }) => {
      const mask = cast(equal(x!, expandBack(y!, x!, attrs)), 'float32');
      const count = run('sum', [mask], { axes: attrs.axes, keepdim: true });
      return [mul(div(mask, count), expandBack(dy!, x!, attrs))];
    },
  },
  {
    name: 'argmax',
    infer: ([x], { axis, keepdim }: { axis: number; keepdim: boolean }) => {
      normalizeAxis(axis, x!.shape.length, 'argmax');
      requireDType(x!, ['float32', 'int32'], 'argmax');
      if (x!.shape[axis] === 0) throw new ValueError('argmax: cannot reduce an empty dimension');
      return [{ shape: reducedShape(x!.shape, [axis], keepdim), dtype: 'int32' }];
    },
    nondifferentiable: true,
  },
  {
    name: 'softmax',
    infer: softmaxInfer('softmax'),
    decompose: ([x], { axis }: { axis: number }) => {
      const e = exp(sub(x!, max(x!, axis, true)));
      return [div(e, sum(e, axis, true))];
    },
    grad: ([dy], { outputs: [y], attrs: { axis } }) => [mul(y!, sub(dy!, sum(mul(dy!, y!), axis, true)))],
  },
  {
    name: 'logSoftmax',
    infer: softmaxInfer('logSoftmax'),
    decompose: ([x], { axis }: { axis: number }) => [sub(x!, logsumexp(x!, axis, true))],
    grad: ([dy], { outputs: [y], attrs: { axis } }) => [sub(dy!, mul(exp(y!), sum(dy!, axis, true)))],
  },
);

function softmaxInfer(name: string) {
  return ([x]: readonly TensorSpec[], { axis }: { axis: number }) => {
    requireDType(x!, ['float32'], name);
    normalizeAxis(axis, x!.shape.length, name);
    return [{ shape: x!.shape, dtype: x!.dtype }];
  };
}

type Dim = number | readonly number[] | null | undefined;

function reduceWith(name: 'sum' | 'max', x: Tensor, dim: Dim, keepdim: boolean): Tensor {
  const axes = normalizeAxes(dim, x.shape.length, name);
  if (axes.length === 0) return run('reshape', [x], { shape: x.shape });
  return run(name, [x], { axes, keepdim });
}

export function sum(x: Tensor, dim?: Dim, keepdim = false): Tensor {
  return reduceWith('sum', x, dim, keepdim);
}

export function mean(x: Tensor, dim?: Dim, keepdim = false): Tensor {
  const axes = normalizeAxes(dim, x.shape.length, 'mean');
  const n = axes.reduce((p, a) => p * x.shape[a]!, 1);
  return div(sum(asFloat(x), axes, keepdim), n);
}

export function max(x: Tensor, dim?: Dim, keepdim = false): Tensor {
  return reduceWith('max', x, dim, keepdim);
}

export function min(x: Tensor, dim?: Dim, keepdim = false): Tensor {
  return neg(max(neg(x), dim, keepdim));
}

/** Index of the (first) largest value along `dim`, or in the flattened tensor. */
export function argmax(x: Tensor, dim?: number, keepdim = false): Tensor {
  if (dim === undefined) return run('argmax', [run('reshape', [x], { shape: [x.size] })], { axis: 0, keepdim: false });
  return run('argmax', [x], { axis: normalizeAxis(dim, x.shape.length, 'argmax'), keepdim });
}

export function argmin(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argmax(neg(x), dim, keepdim);
}

/** log Σ exp(x), shifted by the maximum so it cannot overflow. */
export function logsumexp(x: Tensor, dim: Dim, keepdim = false): Tensor {
  const f = asFloat(x);
  const axes = normalizeAxes(dim, f.shape.length, 'logsumexp');
  // The shift is a constant for differentiation: the exact gradient flows through exp. Rows
  // whose maximum is infinite are shifted by 0 instead, so an all −∞ row gives −∞, not NaN.
  const top = max(f, axes, true).detach();
  const m = where(less(abs(top), Infinity), top, 0);
  const out = add(log(sum(exp(sub(f, m)), axes, true)), m);
  return keepdim ? out : run('reshape', [out], { shape: reducedShape(f.shape, axes, false) });
}

export function softmax(x: Tensor, dim: number): Tensor {
  return run('softmax', [asFloat(x)], { axis: normalizeAxis(dim, x.shape.length, 'softmax') });
}

export function logSoftmax(x: Tensor, dim: number): Tensor {
  return run('logSoftmax', [asFloat(x)], { axis: normalizeAxis(dim, x.shape.length, 'logSoftmax') });
}

/** Variance over `dim`; unbiased (n − 1) by default, like `torch.var`. */
export function variance(x: Tensor, dim?: Dim, options: { unbiased?: boolean; keepdim?: boolean } = {}): Tensor {
  const axes = normalizeAxes(dim, x.shape.length, 'variance');
  const n = axes.reduce((p, a) => p * x.shape[a]!, 1);
  const centred = sub(x, mean(x, axes, true));
  return div(sum(mul(centred, centred), axes, options.keepdim ?? false), options.unbiased === false ? n : n - 1);
}
