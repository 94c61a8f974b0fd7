import { bytesPerElement, sizeOf, stridesOf, type DType, type TensorInfo } from '@fovea/core';
import type { WasmBackend, WasmData, WasmKernel } from '../backend.js';
import { broadcastStrides, collapse } from './strides.js';

/** One side of a strided copy: a byte pointer and element strides over the walked shape. */
interface Place {
  readonly ptr: number;
  readonly strides: readonly number[];
}

/**
 * dst[i] = src[i] over every index i of `shape`, each side with its own strides. Transpose,
 * expand, slice, concat and pad are all this one copy.
 */
export function copyStrided(backend: WasmBackend, dtype: DType, shape: readonly number[], src: Place, dst: Place, op: string): number {
  if (sizeOf(shape) === 0) return 0;
  const walk = collapse(shape, [src.strides, dst.strides], op);
  const [shapePtr, ssPtr, dsPtr] = backend.heap.args(walk.shape, ...walk.strides);
  return backend.exports.fv_copy_strided(bytesPerElement(dtype), src.ptr, dst.ptr, walk.shape.length, shapePtr!, ssPtr!, dsPtr!);
}

const transpose: WasmKernel<{ perm: number[] }> = ({ backend, inputs, attrs, outputs }) => {
  const x = inputs[0]!;
  const shape = outputs[0]!.shape;
  const xs = stridesOf(x.shape);
  return backend.run('transpose', outputs, ([y]) =>
    copyStrided(backend, x.dtype, shape, { ptr: x.dataId.ptr, strides: attrs.perm.map((p) => xs[p]!) }, { ptr: y!.ptr, strides: stridesOf(shape) }, 'transpose'),
  );
};

const expand: WasmKernel = ({ backend, inputs, outputs }) => {
  const x = inputs[0]!;
  const shape = outputs[0]!.shape;
  return backend.run('expand', outputs, ([y]) =>
    copyStrided(backend, x.dtype, shape, { ptr: x.dataId.ptr, strides: broadcastStrides(x.shape, shape) }, { ptr: y!.ptr, strides: stridesOf(shape) }, 'expand'),
  );
};

/** out[i] = x[begin + i·step] per dim: a strided read whose strides may be negative. */
const slice: WasmKernel<{ begin: number[]; step: number[] }> = ({ backend, inputs, attrs, outputs }) => {
  const x = inputs[0]!;
  const shape = outputs[0]!.shape;
  const xs = stridesOf(x.shape);
  const first = attrs.begin.reduce((acc, b, d) => acc + b * xs[d]!, 0);
  return backend.run('slice', outputs, ([y]) =>
    copyStrided(
      backend,
      x.dtype,
      shape,
      { ptr: x.dataId.ptr + first * bytesPerElement(x.dtype), strides: attrs.step.map((s, d) => s * xs[d]!) },
      { ptr: y!.ptr, strides: stridesOf(shape) },
      'slice',
    ),
  );
};

/** Each input is copied into its slab of the output along `axis`. */
const concat: WasmKernel<{ axis: number }> = ({ backend, inputs, attrs, outputs }) => {
  const spec = outputs[0]!;
  const os = stridesOf(spec.shape);
  const elem = bytesPerElement(spec.dtype);
  return backend.run('concat', outputs, ([y]) => {
    let along = 0;
    for (const x of inputs as TensorInfo<WasmData>[]) {
      const status = copyStrided(backend, x.dtype, x.shape, { ptr: x.dataId.ptr, strides: stridesOf(x.shape) }, { ptr: y!.ptr + along * os[attrs.axis]! * elem, strides: os }, 'concat');
      if (status !== 0) return status;
      along += x.shape[attrs.axis]!;
    }
    return 0;
  });
};

/** The bit pattern of `value` as one element of `dtype`. */
function fillBits(dtype: DType, value: number): number {
  if (dtype === 'float32') return new Int32Array(new Float32Array([value]).buffer)[0]!;
  if (dtype === 'int32') return value | 0;
  return value ? 1 : 0;
}

/** The output is filled with `value`, then the input is copied into its interior. */
const pad: WasmKernel<{ pads: [number, number][]; value: number }> = ({ backend, inputs, attrs, outputs }) => {
  const x = inputs[0]!;
  const spec = outputs[0]!;
  const os = stridesOf(spec.shape);
  const first = attrs.pads.reduce((acc, [before], d) => acc + before * os[d]!, 0);
  const elem = bytesPerElement(spec.dtype);
  return backend.run('pad', outputs, ([y]) => {
    const status = backend.exports.fv_fill(elem, y!.ptr, sizeOf(spec.shape), fillBits(spec.dtype, attrs.value));
    if (status !== 0) return status;
    return copyStrided(backend, x.dtype, x.shape, { ptr: x.dataId.ptr, strides: stridesOf(x.shape) }, { ptr: y!.ptr + first * elem, strides: os }, 'pad');
  });
};

/** out[…i…] = x[…index[…i…]…] along `axis`; the output has the index's shape. */
const gather: WasmKernel<{ axis: number }> = ({ backend, inputs, attrs, outputs }) => {
  const [x, index] = inputs as [TensorInfo<WasmData>, TensorInfo<WasmData>];
  const shape = outputs[0]!.shape;
  return backend.run('gather', outputs, ([y]) => {
    if (sizeOf(shape) === 0) return 0;
    const [ishape, xs] = backend.heap.args(index.shape, stridesOf(x.shape));
    const e = backend.exports;
    return e.fv_gather(bytesPerElement(x.dtype), x.dataId.ptr, index.dataId.ptr, y!.ptr, shape.length, ishape!, xs!, attrs.axis, x.shape[attrs.axis]!);
  });
};

/** A copy of base with src[…i…] added at […index[…i…]…] along `axis`. */
const scatterAdd: WasmKernel<{ axis: number }> = ({ backend, inputs, attrs, outputs }) => {
  const [base, index, src] = inputs as [TensorInfo<WasmData>, TensorInfo<WasmData>, TensorInfo<WasmData>];
  return backend.run('scatterAdd', outputs, ([y]) => {
    const n = sizeOf(base.shape);
    const heap = backend.heap;
    if (base.dtype === 'float32') heap.f32().copyWithin(y!.ptr >>> 2, base.dataId.ptr >>> 2, (base.dataId.ptr >>> 2) + n);
    else heap.i32().copyWithin(y!.ptr >>> 2, base.dataId.ptr >>> 2, (base.dataId.ptr >>> 2) + n);
    if (sizeOf(index.shape) === 0) return 0;
    const [ishape, ss, os] = heap.args(index.shape, stridesOf(src.shape), stridesOf(base.shape));
    const dtype = base.dtype === 'float32' ? 0 : 1;
    return backend.exports.fv_scatter_add(dtype, y!.ptr, index.dataId.ptr, src.dataId.ptr, index.shape.length, ishape!, ss!, os!, attrs.axis, base.shape[attrs.axis]!);
  });
};

export const movementKernels: Record<string, WasmKernel> = { transpose, expand, slice, concat, pad, gather, scatterAdd };
