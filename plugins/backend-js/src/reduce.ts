import { allocArray, sizeOf, stridesOf, type TypedArray } from '@fovea/core';
import type { JsKernel } from './backend.js';
import { forEachRow, planWalk } from './strided.js';

export interface ReduceAttrs {
  axes: number[];
  keepdim: boolean;
}

/**
 * Folds every element of `x` into its output cell with `f`, reading `x` once in memory order.
 * The output is walked with stride 0 on reduced axes, so any set of axes is one pass; the
 * accumulators are doubles, which keeps long float32 sums accurate.
 */
function fold(x: TypedArray, shape: readonly number[], axes: readonly number[], init: number, f: (acc: number, v: number) => number): Float64Array {
  const reduced = new Set(axes);
  const keptStrides = stridesOf(shape.map((d, i) => (reduced.has(i) ? 1 : d)));
  const outStrides = keptStrides.map((s, i) => (reduced.has(i) ? 0 : s));
  const acc = new Float64Array(sizeOf(shape.filter((_, i) => !reduced.has(i)))).fill(init);
  const plan = planWalk(shape, [stridesOf(shape), outStrides]);
  const n = plan.rowLength;
  const so = plan.inner[1]!;
  forEachRow(plan, [0, 0], (at) => {
    const ix = at[0]!;
    const o = at[1]!;
    if (so === 0) {
      // The row runs along a reduced axis: fold it in a register.
      let a = acc[o]!;
      for (let i = 0; i < n; i++) a = f(a, x[ix + i]!);
      acc[o] = a;
    } else {
      for (let i = 0; i < n; i++) acc[o + i * so] = f(acc[o + i * so]!, x[ix + i]!);
    }
  });
  return acc;
}

function reduction(init: number, f: (acc: number, v: number) => number): JsKernel<ReduceAttrs> {
  return ({ backend, inputs, attrs, outputs }) => {
    const x = inputs[0]!;
    const acc = fold(x.dataId.values, x.shape, attrs.axes, init, f);
    const out = allocArray(outputs[0]!.dtype, acc.length);
    out.set(acc);
    return [backend.adopt(out)];
  };
}

/**
 * [outer, r, inner] view of `shape` around one axis: element (o, k, i) is at (o·r + k)·inner + i.
 */
function around(shape: readonly number[], axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis]!, sizeOf(shape.slice(axis + 1))];
}

/** First index of the maximum along `axis`; NaN counts as the maximum, as in PyTorch. */
const argmax: JsKernel<{ axis: number; keepdim: boolean }> = ({ backend, inputs, attrs }) => {
  const xi = inputs[0]!;
  const x = xi.dataId.values;
  const [outer, r, inner] = around(xi.shape, attrs.axis);
  const out = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * r * inner + i;
      let best = x[base]!;
      let at = 0;
      for (let k = 1, j = base + inner; k < r; k++, j += inner) {
        const v = x[j]!;
        if (v > best || (v !== v && best === best)) {
          best = v;
          at = k;
        }
      }
      out[o * inner + i] = at;
    }
  }
  return [backend.adopt(out)];
};

/**
 * Softmax or log-softmax along `axis`, one lane (fixed outer and inner index) at a time,
 * shifted by the lane's maximum so exp cannot overflow.
 */
function softmaxLike(log: boolean): JsKernel<{ axis: number }> {
  return ({ backend, inputs, attrs }) => {
    const xi = inputs[0]!;
    const x = xi.dataId.values as Float32Array;
    const [outer, r, inner] = around(xi.shape, attrs.axis);
    const y = new Float32Array(x.length);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * r * inner + i;
        const end = base + r * inner;
        let max = -Infinity;
        for (let j = base; j < end; j += inner) max = Math.max(max, x[j]!);
        // The exponentials are kept in y, so softmax needs only one exp per element.
        let sum = 0;
        for (let j = base; j < end; j += inner) sum += y[j] = Math.exp(x[j]! - max);
        if (log) {
          const shift = max + Math.log(sum);
          for (let j = base; j < end; j += inner) y[j] = x[j]! - shift;
        } else {
          for (let j = base; j < end; j += inner) y[j] /= sum;
        }
      }
    }
    return [backend.adopt(y)];
  };
}

export const reduceKernels: Record<string, JsKernel> = {
  sum: reduction(0, (acc, v) => acc + v),
  // `v !== v` lets NaN win, and once NaN nothing replaces it (v > NaN is false): torch.amax.
  max: reduction(-Infinity, (acc, v) => (v > acc || v !== v ? v : acc)),
  argmax,
  softmax: softmaxLike(false),
  logSoftmax: softmaxLike(true),
};
