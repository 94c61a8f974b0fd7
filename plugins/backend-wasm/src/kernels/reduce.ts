import { sizeOf, stridesOf, type TensorSpec } from '@fovea/core';
import type { WasmBackend, WasmData, WasmKernel } from '../backend.js';
import { copyStrided } from './movement.js';

interface ReduceAttrs {
  axes: number[];
  keepdim: boolean;
}

/** [outer, len, inner] around the block of axes first..last. */
function around(shape: readonly number[], first: number, last: number): [number, number, number] {
  return [sizeOf(shape.slice(0, first)), sizeOf(shape.slice(first, last + 1)), sizeOf(shape.slice(last + 1))];
}

/** Axes that are one adjacent block reduce in place; others are moved to the end first. */
function isBlock(axes: readonly number[]): boolean {
  return axes.every((a, i) => i === 0 || a === axes[i - 1]! + 1);
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
 * Sum or max over `axes`. Bool input (sum only) is summed as int32. Non-adjacent axes are
 * transposed to the end so the kernel always reduces one [outer, len, inner] middle block.
 */
function reduction(op: 'sum' | 'max'): WasmKernel<ReduceAttrs> {
  const code = op === 'sum' ? 0 : 1;
  return ({ backend, inputs, attrs, outputs }) => {
    const x = inputs[0]!;
    const dtype = outputs[0]!.dtype;
    const kernelDtype = dtype === 'float32' ? 0 : 1;
    return backend.run(op, outputs, ([y]) => {
      const reduce = (src: number, shape: readonly number[], first: number, last: number) => {
        const [outer, len, inner] = around(shape, first, last);
        return backend.exports.fv_reduce(code, kernelDtype, src, y!.ptr, outer, len, inner);
      };
      const asDtype = (use: (ptr: number) => number): number => {
        if (x.dtype === dtype) return use(x.dataId.ptr);
        return withTemp(backend, { shape: x.shape, dtype }, (t) => {
          const status = backend.exports.fv_cast(2, x.dataId.ptr, 1, t.ptr, sizeOf(x.shape));
          return status !== 0 ? status : use(t.ptr);
        });
      };
      if (isBlock(attrs.axes)) return asDtype((src) => reduce(src, x.shape, attrs.axes[0]!, attrs.axes[attrs.axes.length - 1]!));
      const kept = x.shape.map((_, i) => i).filter((i) => !attrs.axes.includes(i));
      const perm = [...kept, ...attrs.axes];
      const moved = perm.map((p) => x.shape[p]!);
      const xs = stridesOf(x.shape);
      return asDtype((src) =>
        withTemp(backend, { shape: moved, dtype }, (t) => {
          const status = copyStrided(backend, dtype, moved, { ptr: src, strides: perm.map((p) => xs[p]!) }, { ptr: t.ptr, strides: stridesOf(moved) }, op);
          return status !== 0 ? status : reduce(t.ptr, moved, kept.length, moved.length - 1);
        }),
      );
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
