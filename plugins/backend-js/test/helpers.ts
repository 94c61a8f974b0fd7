import { allocArray, sizeOf, type DType, type TypedArray } from '@fovea/core';
import { JsBackend, type JsKernel } from '../src/index.js';

/** A host tensor for tests: shape, dtype and flat values. */
export interface HostTensor {
  shape: number[];
  dtype: DType;
  values: TypedArray;
}

export function host(shape: number[], values: ArrayLike<number>, dtype: DType = 'float32'): HostTensor {
  const array = allocArray(dtype, sizeOf(shape));
  array.set(Array.from(values));
  return { shape, dtype, values: array };
}

/** Deterministic pseudo-random values in [-1, 1) (a small LCG, so failures reproduce). */
export function randomTensor(shape: number[], seed = 1, dtype: DType = 'float32'): HostTensor {
  let s = seed >>> 0;
  const values = Array.from({ length: sizeOf(shape) }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
  return host(shape, dtype === 'float32' ? values : values.map((v) => Math.round(v * 5)), dtype);
}

/** Runs one kernel on a fresh backend, as the engine would, and returns its outputs. */
export function runKernel(kernel: JsKernel, inputs: HostTensor[], attrs: object, outputs: { shape: number[]; dtype: DType }[]): HostTensor[] {
  const backend = new JsBackend();
  const infos = inputs.map((t) => ({ dataId: backend.write(t.values, t), shape: t.shape, dtype: t.dtype }));
  const ids = kernel({ backend, inputs: infos, attrs, outputs });
  return ids.map((id, i) => ({ ...outputs[i]!, values: backend.readSync(id, outputs[i]!) }));
}

/** Multi-index of flat position `flat` in `shape`. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = flat % shape[d]!;
    flat = Math.floor(flat / shape[d]!);
  }
  return index;
}

/** Flat position of a multi-index in `shape`. */
export function ravel(index: readonly number[], shape: readonly number[]): number {
  return index.reduce((acc, i, d) => acc * shape[d]! + i, 0);
}

/** Largest |a − b| relative to max(1, |b|), NaN-aware (NaN matches NaN only). */
export function maxError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const b = expected[i]!;
    if (Number.isNaN(a) || Number.isNaN(b)) {
      if (Number.isNaN(a) !== Number.isNaN(b)) return Infinity;
      continue;
    }
    if (a === b) continue;
    worst = Math.max(worst, Math.abs(a - b) / Math.max(1, Math.abs(b)));
  }
  return worst;
}
