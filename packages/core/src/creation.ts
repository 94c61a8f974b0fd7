import { allocArray, arrayMatches, isDType, type DType, type TypedArray } from './dtype.js';
import { fromValues } from './engine.js';
import { DTypeError, ShapeError, ValueError } from './errors.js';
import { defaultGenerator, type Generator } from './random.js';
import { checkShape, fmtShape, sizeOf } from './shape.js';
import type { Tensor } from './tensor.js';

export type TensorLike = number | boolean | TypedArray | readonly TensorLike[];

export interface CreateOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

export interface RandomOptions extends CreateOptions {
  generator?: Generator;
}

function finish(t: Tensor, options: CreateOptions): Tensor {
  if (options.requiresGrad) t.requiresGrad = true;
  return t;
}

function inferShape(values: TensorLike): number[] {
  const shape: number[] = [];
  let v: TensorLike = values;
  while (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const arr = v as ArrayLike<TensorLike>;
    shape.push(arr.length);
    if (arr.length === 0) break;
    v = arr[0]!;
  }
  return shape;
}

function flatten(values: TensorLike, shape: readonly number[], out: number[], dim = 0): void {
  if (dim === shape.length) {
    if (typeof values !== 'number' && typeof values !== 'boolean') {
      throw new ShapeError(`tensor: ragged nested array, expected a number at depth ${dim} for shape ${fmtShape(shape)}`);
    }
    out.push(Number(values));
    return;
  }
  const arr = values as ArrayLike<TensorLike>;
  if (typeof values !== 'object' || arr.length !== shape[dim]) {
    throw new ShapeError(`tensor: ragged nested array, expected length ${shape[dim]} at depth ${dim} for shape ${fmtShape(shape)}`);
  }
  for (let i = 0; i < arr.length; i++) flatten(arr[i]!, shape, out, dim + 1);
}

function defaultDType(values: TensorLike): DType {
  if (values instanceof Int32Array) return 'int32';
  if (values instanceof Uint8Array) return 'bool';
  let v: TensorLike = values;
  while (Array.isArray(v) && v.length) v = v[0]!;
  return typeof v === 'boolean' ? 'bool' : 'float32';
}

function checkDType(dtype: unknown): DType {
  if (!isDType(dtype)) throw new DTypeError(`unknown dtype ${JSON.stringify(dtype)}; expected float32, int32 or bool`);
  return dtype;
}

/**
 * A tensor from nested arrays, a typed array or a number. `shape` reshapes flat values; the dtype
 * defaults to float32 (int32/bool for Int32Array/Uint8Array/boolean data).
 */
export function tensor(values: TensorLike, shape?: readonly number[], options: CreateOptions = {}): Tensor {
  const dtype = checkDType(options.dtype ?? defaultDType(values));
  const flatShape = inferShape(values);
  let data: TypedArray;
  if (ArrayBuffer.isView(values) && arrayMatches(values, dtype)) data = (values as TypedArray).slice();
  else {
    const flat: number[] = [];
    flatten(values, flatShape, flat);
    data = allocArray(dtype, flat.length);
    data.set(dtype === 'bool' ? flat.map((v) => (v ? 1 : 0)) : flat);
  }
  const finalShape = shape ? checkShape(shape, 'tensor') : flatShape;
  if (sizeOf(finalShape) !== data.length) {
    throw new ShapeError(`tensor: ${data.length} values do not fill shape ${fmtShape(finalShape)}`);
  }
  return finish(fromValues(data, finalShape, dtype), options);
}

export function scalar(value: number | boolean, options: CreateOptions = {}): Tensor {
  return tensor(value, [], options);
}

export function full(shape: readonly number[], value: number | boolean, options: CreateOptions = {}): Tensor {
  const dtype = checkDType(options.dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32'));
  const data = allocArray(dtype, sizeOf(checkShape(shape, 'full')));
  data.fill(Number(value));
  return finish(fromValues(data, shape, dtype), options);
}

export function zeros(shape: readonly number[], options: CreateOptions = {}): Tensor {
  return full(shape, 0, options);
}

export function ones(shape: readonly number[], options: CreateOptions = {}): Tensor {
  return full(shape, 1, options);
}

export function zerosLike(t: Tensor, options: CreateOptions = {}): Tensor {
  return full(t.shape, 0, { dtype: t.dtype, ...options });
}

export function onesLike(t: Tensor, options: CreateOptions = {}): Tensor {
  return full(t.shape, 1, { dtype: t.dtype, ...options });
}

/** `arange(end)` or `arange(start, end, step)`, like `torch.arange`. */
export function arange(start: number, end?: number, step = 1, options: CreateOptions = {}): Tensor {
  if (end === undefined) [start, end] = [0, start];
  if (!Number.isFinite(start) || !Number.isFinite(end) || !Number.isFinite(step) || step === 0) {
    throw new ValueError(`arange: start, end and step must be finite and step non-zero, got (${start}, ${end}, ${step})`);
  }
  const n = Math.max(0, Math.ceil((end - start) / step));
  const ints = [start, end, step].every(Number.isInteger);
  const dtype = checkDType(options.dtype ?? (ints ? 'int32' : 'float32'));
  const data = allocArray(dtype, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return finish(fromValues(data, [n], dtype), options);
}

/** Identity matrix of n rows (and m columns). */
export function eye(n: number, m = n, options: CreateOptions = {}): Tensor {
  const dtype = checkDType(options.dtype ?? 'float32');
  const data = allocArray(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return finish(fromValues(data, checkShape([n, m], 'eye'), dtype), options);
}

function randomTensor(shape: readonly number[], options: RandomOptions, draw: (g: Generator) => number): Tensor {
  const dtype = checkDType(options.dtype ?? 'float32');
  const g = options.generator ?? defaultGenerator();
  const data = allocArray(dtype, sizeOf(checkShape(shape, 'random')));
  for (let i = 0; i < data.length; i++) data[i] = draw(g);
  return finish(fromValues(data, shape, dtype), options);
}

/** Uniform on [0, 1) (or [low, high)). */
export function rand(shape: readonly number[], options: RandomOptions & { low?: number; high?: number } = {}): Tensor {
  const low = options.low ?? 0;
  const high = options.high ?? 1;
  if (!(high >= low) || !Number.isFinite(low) || !Number.isFinite(high)) throw new ValueError(`rand: need finite low <= high, got ${low}, ${high}`);
  return randomTensor(shape, options, (g) => low + (high - low) * g.uniform());
}

/** Normal with mean 0 and std 1 (or `mean`, `std`). */
export function randn(shape: readonly number[], options: RandomOptions & { mean?: number; std?: number } = {}): Tensor {
  const mean = options.mean ?? 0;
  const std = options.std ?? 1;
  if (!Number.isFinite(mean) || !(std >= 0)) throw new ValueError(`randn: need finite mean and std >= 0, got ${mean}, ${std}`);
  return randomTensor(shape, options, (g) => mean + std * g.normal());
}

/** Integers uniform on [low, high), int32 by default. */
export function randint(low: number, high: number, shape: readonly number[], options: RandomOptions = {}): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new ValueError(`randint: need integers low < high, got ${low}, ${high}`);
  }
  return randomTensor(shape, { dtype: 'int32', ...options }, (g) => g.integer(low, high));
}
