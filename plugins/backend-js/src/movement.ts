import { allocArray, sizeOf, stridesOf, type TensorSpec, type TypedArray } from '@fovea/core';
import type { JsKernel } from './backend.js';
import { broadcastStrides, forEachRow, planWalk } from './strided.js';

/** Where a strided copy reads or writes: a base offset and a stride per dim of the walked shape. */
interface Place {
  readonly data: TypedArray;
  readonly base: number;
  readonly strides: readonly number[];
}

/**
 * dst[i] = src[i] for every index i of `shape`, each side addressed through its own strides.
 * Transpose, expand, slice, concat and pad are all this copy with different strides and bases.
 */
function copyStrided(shape: readonly number[], dst: Place, src: Place): void {
  const plan = planWalk(shape, [dst.strides, src.strides]);
  const n = plan.rowLength;
  const [sd, ss] = plan.inner as [number, number];
  const out = dst.data;
  const from = src.data;
  forEachRow(plan, [dst.base, src.base], (at) => {
    for (let i = 0, d = at[0]!, s = at[1]!; i < n; i++, d += sd, s += ss) out[d] = from[s]!;
  });
}

/** The output array a kernel fills, in the dtype and size the op inferred. */
function output(spec: TensorSpec): TypedArray {
  return allocArray(spec.dtype, sizeOf(spec.shape));
}

const transpose: JsKernel<{ perm: number[] }> = ({ backend, inputs, attrs, outputs }) => {
  const x = inputs[0]!;
  const spec = outputs[0]!;
  const out = output(spec);
  const xs = stridesOf(x.shape);
  copyStrided(spec.shape, { data: out, base: 0, strides: stridesOf(spec.shape) }, { data: x.dataId.values, base: 0, strides: attrs.perm.map((p) => xs[p]!) });
  return [backend.adopt(out)];
};

const expand: JsKernel<{ shape: number[] }> = ({ backend, inputs, outputs }) => {
  const x = inputs[0]!;
  const spec = outputs[0]!;
  const out = output(spec);
  copyStrided(spec.shape, { data: out, base: 0, strides: stridesOf(spec.shape) }, { data: x.dataId.values, base: 0, strides: broadcastStrides(x.shape, spec.shape) });
  return [backend.adopt(out)];
};

/** out[i] = x[begin + i·step] per dim: a strided read whose strides may be negative. */
const slice: JsKernel<{ begin: number[]; step: number[] }> = ({ backend, inputs, attrs, outputs }) => {
  const x = inputs[0]!;
  const spec = outputs[0]!;
  const out = output(spec);
  const xs = stridesOf(x.shape);
  const base = attrs.begin.reduce((acc, b, d) => acc + b * xs[d]!, 0);
  copyStrided(spec.shape, { data: out, base: 0, strides: stridesOf(spec.shape) }, { data: x.dataId.values, base, strides: attrs.step.map((s, d) => s * xs[d]!) });
  return [backend.adopt(out)];
};

/** Each input is written into the output's slab that starts at its offset along `axis`. */
const concat: JsKernel<{ axis: number }> = ({ backend, inputs, attrs, outputs }) => {
  const spec = outputs[0]!;
  const out = output(spec);
  const os = stridesOf(spec.shape);
  let along = 0;
  for (const x of inputs) {
    copyStrided(x.shape, { data: out, base: along * os[attrs.axis]!, strides: os }, { data: x.dataId.values, base: 0, strides: stridesOf(x.shape) });
    along += x.shape[attrs.axis]!;
  }
  return [backend.adopt(out)];
};

/** The output is filled with `value`, then the input is copied into its interior. */
const pad: JsKernel<{ pads: [number, number][]; value: number }> = ({ backend, inputs, attrs, outputs }) => {
  const x = inputs[0]!;
  const spec = outputs[0]!;
  const out = output(spec).fill(attrs.value);
  const os = stridesOf(spec.shape);
  const base = attrs.pads.reduce((acc, [before], d) => acc + before * os[d]!, 0);
  copyStrided(x.shape, { data: out, base, strides: os }, { data: x.dataId.values, base: 0, strides: stridesOf(x.shape) });
  return [backend.adopt(out)];
};

export const movementKernels: Record<string, JsKernel> = { transpose, expand, slice, concat, pad };
