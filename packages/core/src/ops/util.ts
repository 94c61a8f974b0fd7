import type { TensorSpec } from '../backend.js';
import { promoteTypes, type DType } from '../dtype.js';
import { fromValues, runOp } from '../engine.js';
import { DTypeError, ValueError } from '../errors.js';
import type { OpDef } from '../op.js';
import { registerOp } from '../registry.js';
import { fmtShape, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { Conv2dOptions, ConvAttrs, IntOrPair, Pair } from './conv.js';

/** A tensor, or a plain number/boolean used as a scalar. */
export type Operand = Tensor | number | boolean;

/** Runs a single-output op. */
export function run<A>(name: string, inputs: readonly Tensor[], attrs: A = {} as A): Tensor {
  return runOp(name, inputs, attrs)[0]!;
}

/** Registers ops at module load, keeping an existing definition when core is loaded twice. */
export function defineOps(...defs: OpDef<any>[]): void {
  for (const def of defs) registerOp(def, { replace: true });
}

export function scalarTensor(value: number | boolean, dtype: DType): Tensor {
  const data = dtype === 'float32' ? new Float32Array(1) : dtype === 'int32' ? new Int32Array(1) : new Uint8Array(1);
  data[0] = Number(value);
  return fromValues(data, [], dtype);
}

function operandDType(v: Operand): DType {
  if (v instanceof Tensor) return v.dtype;
  if (typeof v === 'boolean') return 'bool';
  return Number.isInteger(v) ? 'int32' : 'float32';
}

/**
 * Turns two operands into tensors of one dtype. A plain number takes the tensor's dtype unless
 * it needs a float (PyTorch's rule for Python scalars).
 */
export function operands(a: Operand, b: Operand, op: string, arithmetic = true): [Tensor, Tensor] {
  const ta = a instanceof Tensor ? a.dtype : null;
  const tb = b instanceof Tensor ? b.dtype : null;
  let dtype: DType;
  if (ta && tb) dtype = ta === tb ? ta : promoteTypes(ta, tb);
  else if (ta || tb) {
    const t = (ta ?? tb)!;
    const s = operandDType(ta ? b : a);
    dtype = s === 'float32' && t !== 'float32' ? 'float32' : s === 'int32' && t === 'bool' ? 'int32' : t;
  } else throw new ValueError(`${op}: at least one operand must be a tensor`);
  if (arithmetic && dtype === 'bool') dtype = 'int32';
  return [toDType(a, dtype), toDType(b, dtype)];
}

export function toDType(v: Operand, dtype: DType): Tensor {
  if (!(v instanceof Tensor)) return scalarTensor(v, dtype);
  return v.dtype === dtype ? v : run('cast', [v], { dtype });
}

/** Float-only ops take ints too, as PyTorch does, by casting them first. */
export function asFloat(x: Tensor): Tensor {
  return x.dtype === 'float32' ? x : run('cast', [x], { dtype: 'float32' });
}

export function requireDType(spec: TensorSpec, dtypes: readonly DType[], op: string, what = 'input'): void {
  if (!dtypes.includes(spec.dtype)) {
    throw new DTypeError(`${op}: ${what} must be ${dtypes.join(' or ')}, got ${spec.dtype} ${fmtShape(spec.shape)}`);
  }
}

export function requireFinite(value: unknown, op: string, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new ValueError(`${op}: ${name} must be a finite number, got ${value}`);
  return value;
}

export function requireInt(value: unknown, op: string, name: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ValueError(`${op}: ${name} must be an integer >= ${min}, got ${value}`);
  }
  return value;
}

/** Sums a broadcast gradient back to the shape of the operand it came from. */
export function unbroadcast(g: Tensor, shape: readonly number[]): Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const lead = g.shape.length - shape.length;
  const axes: number[] = [];
  g.shape.forEach((d, i) => {
    if (i < lead || (shape[i - lead] === 1 && d !== 1)) axes.push(i);
  });
  const summed = axes.length ? run('sum', [g], { axes, keepdim: true }) : g;
  return run('reshape', [summed], { shape });
}

export function numel(shape: readonly number[]): number {
  return sizeOf(shape);
}

/** A size given as one number for both spatial dims or as an [h, w] pair. */
export function pair(v: IntOrPair, op: string, name: string): Pair {
  const p = typeof v === 'number' ? [v, v] : [...v];
  if (p.length !== 2 || p.some((x) => typeof x !== 'number' || Number.isNaN(x))) throw new ValueError(`${op}: ${name} must be a number or [h, w], got ${String(v)}`);
  return p as Pair;
}

/** A convolution's attrs from the user's options, with PyTorch's defaults. */
export function convAttrs(op: string, options: Conv2dOptions): ConvAttrs {
  return {
    stride: pair(options.stride ?? 1, op, 'stride'),
    padding: pair(options.padding ?? 0, op, 'padding'),
    dilation: pair(options.dilation ?? 1, op, 'dilation'),
    groups: options.groups ?? 1,
  };
}
