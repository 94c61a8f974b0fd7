import { sizeOf, type TensorSpec } from '@fovea/core';
import type { WasmBackend, WasmData, WasmKernel } from '../backend.js';

interface ReduceAttrs {
  axes: number[];
  keepdim: boolean;
}

/** [outer, len, inner] around the block of axes first..last. */
function around(shape: readonly number[], first: number, last: number): [number, number, number] {
  return [sizeOf(shape.slice(0, first)), sizeOf(shape.slice(first, last + 1)), sizeOf(shape.slice(last + 1))];
}

/** The reduced axes as runs of adjacent axes, last run first: [[first, last], …]. */
function runsFromLast(axes: readonly number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const a of [...new Set(axes)].sort((x, y) => x - y)) {
    const last = runs[runs.length - 1];
    if (last && a === last[1] + 1) last[1] = a;
    else runs.push([a, a]);
  }
  return runs.reverse();
}

/** Temporary storage freed after `use`, whatever happens. */
function withTemp<T>(backend: WasmBackend, spec: TensorSpec, use: (t: WasmData) => T): T {
  const temp = backend.alloc(spec);
  try {
    return use(temp);
  } finally {
    backend.disposeData(temp);
  }
}

/**
 * Sum or max over `axes`. Bool input (sum only) is summed as int32. Each run of adjacent axes
 * is one [outer, len, inner] reduction, the last run first, each into a smaller temporary:
 * a conv bias gradient (axes 0, 2, 3 of NCHW) reads its input once instead of transposing it.
 */
function reduction(op: 'sum' | 'max'): WasmKernel<ReduceAttrs> {
  const code = op === 'sum' ? 0 : 1;
  return ({ backend, inputs, attrs, outputs }) => {
    const x = inputs[0]!;
    const dtype = outputs[0]!.dtype;
    const kernelDtype = dtype === 'float32' ? 0 : 1;
    const reduceRuns = (src: number, shape: number[], runs: [number, number][], dst: number): number => {
      const [[first, last], ...rest] = runs as [[number, number], ...[number, number][]];
      const [outer, len, inner] = around(shape, first, last);
      if (!rest.length) return backend.exports.fv_reduce(code, kernelDtype, src, dst, outer, len, inner);
      const left = [...shape.slice(0, first), ...shape.slice(last + 1)];
      return withTemp(backend, { shape: left, dtype }, (t) => {
        const status = backend.exports.fv_reduce(code, kernelDtype, src, t.ptr, outer, len, inner);
        return status !== 0 ? status : reduceRuns(t.ptr, left, rest, dst);
      });
    };
    return backend.run(op, outputs, ([y]) => {
      const runs = runsFromLast(attrs.axes);
      if (x.dtype === dtype) return reduceRuns(x.dataId.ptr, [...x.shape], runs, y!.ptr);
      return withTemp(backend, { shape: x.shape, dtype }, (t) => {
        const status = backend.exports.fv_cast(2, x.dataId.ptr, 1, t.ptr, sizeOf(x.shape));
        return status !== 0 ? status : reduceRuns(t.ptr, [...x.shape], runs, y!.ptr);
      });
    });
  };
}

const argmax: WasmKernel<{ axis: number }> = ({ backend, inputs, attrs, outputs }) => {
  const x = inputs[0]!;
  const [outer, len, inner] = around(x.shape, attrs.axis, attrs.axis);
  return backend.run('argmax', outputs, ([y]) => backend.exports.fv_argmax(x.dtype === 'float32' ? 0 : 1, x.dataId.ptr, y!.ptr, outer, len, inner));
};

function softmaxLike(log: boolean): WasmKernel<{ axis: number }> {
  return ({ backend, inputs, attrs, outputs }) => {
    const x = inputs[0]!;
    const [outer, len, inner] = around(x.shape, attrs.axis, attrs.axis);
    return backend.run(log ? 'logSoftmax' : 'softmax', outputs, ([y]) => backend.exports.fv_softmax(x.dataId.ptr, y!.ptr, outer, len, inner, log ? 1 : 0));
  };
}

export const reduceKernels: Record<string, WasmKernel> = {
  sum: reduction('sum'),
  max: reduction('max'),
  argmax,
  softmax: softmaxLike(false),
  logSoftmax: softmaxLike(true),
};
