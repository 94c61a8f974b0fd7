import type { TensorSpec } from '../backend.js';
import { isDType, type DType } from '../dtype.js';
import { DTypeError, ValueError } from '../errors.js';
import type { OpDef } from '../op.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { asFloat, defineOps, operands, requireDType, requireFinite, run, scalarTensor, unbroadcast, type Operand } from './util.js';

const FLOAT: DType[] = ['float32'];
const NUMERIC: DType[] = ['float32', 'int32'];

function unary(name: string, dtypes: DType[], grad?: OpDef['grad'], decompose?: OpDef['decompose']): OpDef {
  return {
    name,
    infer: ([x]) => {
      requireDType(x!, dtypes, name);
      return [{ shape: x!.shape, dtype: x!.dtype }];
    },
    grad,
    decompose,
  };
}

function sameDTypes(name: string, specs: readonly TensorSpec[], from = 0): DType {
  const dtype = specs[from]!.dtype;
  for (const s of specs.slice(from)) {
    if (s.dtype !== dtype) throw new DTypeError(`${name}: operands must share a dtype, got ${specs.map((t) => t.dtype).join(', ')}`);
  }
  return dtype;
}

function binary(name: string, grad?: OpDef['grad'], out?: DType): OpDef {
  return {
    name,
    infer: ([a, b]) => {
      const dtype = sameDTypes(name, [a!, b!]);
      if (!out) requireDType(a!, NUMERIC, name);
      return [{ shape: broadcastShapes(a!.shape, b!.shape, name), dtype: out ?? dtype }];
    },
    grad,
    nondifferentiable: !grad,
  };
}

const mul_ = (a: Tensor, b: Tensor) => run('mul', [a, b]);
const neg_ = (a: Tensor) => run('neg', [a]);
const zero = (like: Tensor) => scalarTensor(0, like.dtype);

defineOps(
  unary('neg', NUMERIC, ([dy]) => [neg_(dy!)]),
  unary('abs', NUMERIC, ([dy], { inputs: [x] }) => [mul_(dy!, sign(x!))]),
  unary('exp', FLOAT, ([dy], { outputs: [y] }) => [mul_(dy!, y!)]),
  unary('log', FLOAT, ([dy], { inputs: [x] }) => [run('div', [dy!, x!])]),
  unary('sqrt', FLOAT, ([dy], { outputs: [y] }) => [run('div', [dy!, mul_(y!, scalarTensor(2, 'float32'))])]),
  binary('add', ([dy], { inputs: [a, b] }) => [unbroadcast(dy!, a!.shape), unbroadcast(dy!, b!.shape)]),
  binary('sub', ([dy], { inputs: [a, b] }) => [unbroadcast(dy!, a!.shape), unbroadcast(neg_(dy!), b!.shape)]),
  binary('mul', ([dy], { inputs: [a, b] }) => [unbroadcast(mul_(dy!, b!), a!.shape), unbroadcast(mul_(dy!, a!), b!.shape)]),
  binary('div', ([dy], { inputs: [a, b] }) => {
    const da = run('div', [dy!, b!]);
    return [unbroadcast(da, a!.shape), unbroadcast(neg_(mul_(da, run('div', [a!, b!]))), b!.shape)];
  }),
  binary('pow', ([dy], { inputs: [a, b], outputs: [y] }) => {
    const one = scalarTensor(1, 'float32');
    const da = mul_(dy!, mul_(b!, run('pow', [a!, run('sub', [b!, one])])));
    const positive = run('less', [zero(a!), a!]);
    const logA = run('where', [positive, run('log', [run('where', [positive, a!, one])]), zero(a!)]);
    return [unbroadcast(da, a!.shape), unbroadcast(mul_(dy!, mul_(y!, logA)), b!.shape)];
  }),
  binary('maximum', ([dy], { inputs: [a, b] }) => {
    // PyTorch splits the gradient evenly where the operands tie.
    const half = run('div', [dy!, scalarTensor(2, 'float32')]);
    const tie = run('equal', [a!, b!]);
    const ga = run('where', [tie, half, run('where', [run('less', [b!, a!]), dy!, zero(dy!)])]);
    const gb = run('sub', [dy!, ga]);
    return [unbroadcast(ga, a!.shape), unbroadcast(gb, b!.shape)];
  }),
  binary('less', undefined, 'bool'),
  binary('equal', undefined, 'bool'),
  {
    name: 'where',
    infer: ([c, a, b]) => {
      requireDType(c!, ['bool'], 'where', 'condition');
      const dtype = sameDTypes('where', [c!, a!, b!], 1);
      return [{ shape: broadcastShapes(broadcastShapes(c!.shape, a!.shape, 'where'), b!.shape, 'where'), dtype }];
    },
    grad: ([dy], { inputs: [c, a, b] }) => [
      null,
      unbroadcast(run('where', [c!, dy!, zero(dy!)]), a!.shape),
      unbroadcast(run('where', [c!, zero(dy!), dy!]), b!.shape),
    ],
  },
  {
    name: 'cast',
    infer: ([x], { dtype }: { dtype: DType }) => {
      if (!isDType(dtype)) throw new DTypeError(`cast: unknown dtype ${JSON.stringify(dtype)}`);
      return [{ shape: x!.shape, dtype }];
    },
    grad: ([dy], { inputs: [x] }) => [x!.dtype === 'float32' ? dy! : null],
  },
  // Composite activations: decompositions for any backend, explicit gradients so fused kernels
  // train without replaying the decomposition.
  {
    name: 'relu',
    infer: unaryFloatInfer('relu'),
    decompose: ([x]) => [run('where', [run('less', [zero(x!), x!]), x!, zero(x!)])],
    grad: ([dy], { outputs: [y] }) => [run('where', [run('less', [zero(y!), y!]), dy!, zero(dy!)])],
  },
  {
    name: 'sigmoid',
    infer: unaryFloatInfer('sigmoid'),
    decompose: ([x]) => [run('div', [scalarTensor(1, 'float32'), run('add', [scalarTensor(1, 'float32'), run('exp', [neg_(x!)])])])],
    grad: ([dy], { outputs: [y] }) => [mul_(dy!, mul_(y!, run('sub', [scalarTensor(1, 'float32'), y!])))],
  },
  {
    name: 'tanh',
    infer: unaryFloatInfer('tanh'),
    decompose: ([x]) => {
      const two = scalarTensor(2, 'float32');
      return [run('sub', [mul_(two, run('sigmoid', [mul_(two, x!)])), scalarTensor(1, 'float32')])];
    },
    grad: ([dy], { outputs: [y] }) => [mul_(dy!, run('sub', [scalarTensor(1, 'float32'), mul_(y!, y!)]))],
  },
);

function unaryFloatInfer(name: string) {
  return ([x]: readonly TensorSpec[]) => {
    requireDType(x!, FLOAT, name);
    return [{ shape: x!.shape, dtype: x!.dtype }];
  };
}

// ------------------------------------------------------------------ user-facing functions

export const neg = (x: Tensor): Tensor => run('neg', [x.dtype === 'bool' ? asFloat(x) : x]);
export const abs = (x: Tensor): Tensor => run('abs', [x.dtype === 'bool' ? asFloat(x) : x]);
export const exp = (x: Tensor): Tensor => run('exp', [asFloat(x)]);
export const log = (x: Tensor): Tensor => run('log', [asFloat(x)]);
export const sqrt = (x: Tensor): Tensor => run('sqrt', [asFloat(x)]);
export const relu = (x: Tensor): Tensor => run('relu', [asFloat(x)]);
export const sigmoid = (x: Tensor): Tensor => run('sigmoid', [asFloat(x)]);
export const tanh = (x: Tensor): Tensor => run('tanh', [asFloat(x)]);

export const add = (a: Operand, b: Operand): Tensor => run('add', operands(a, b, 'add'));
export const sub = (a: Operand, b: Operand): Tensor => run('sub', operands(a, b, 'sub'));
export const mul = (a: Operand, b: Operand): Tensor => run('mul', operands(a, b, 'mul'));
/** True division: always float, like PyTorch's `/`. */
export const div = (a: Operand, b: Operand): Tensor => run('div', operands(a, b, 'div').map(asFloat));
export const pow = (a: Operand, b: Operand): Tensor => run('pow', operands(a, b, 'pow').map(asFloat));
export const maximum = (a: Operand, b: Operand): Tensor => run('maximum', operands(a, b, 'maximum'));
export function minimum(a: Operand, b: Operand): Tensor {
  const [ta, tb] = operands(a, b, 'minimum');
  return neg(run('maximum', [neg(ta), neg(tb)]));
}

export const less = (a: Operand, b: Operand): Tensor => run('less', operands(a, b, 'less', false));
export const greater = (a: Operand, b: Operand): Tensor => less(b, a);
export const equal = (a: Operand, b: Operand): Tensor => run('equal', operands(a, b, 'equal', false));
export const logicalNot = (x: Tensor): Tensor => {
  if (x.dtype !== 'bool') throw new DTypeError(`logicalNot: input must be bool, got ${x.dtype}`);
  return equal(x, false);
};
export const notEqual = (a: Operand, b: Operand): Tensor => logicalNot(equal(a, b));
export const lessEqual = (a: Operand, b: Operand): Tensor => logicalNot(greater(a, b));
export const greaterEqual = (a: Operand, b: Operand): Tensor => logicalNot(less(a, b));

/** Elementwise choice: `cond ? a : b`, broadcasting all three. */
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  return run('where', [cond, ...operands(a, b, 'where', false)]);
}

export function cast(x: Tensor, dtype: DType): Tensor {
  return x.dtype === dtype ? run('reshape', [x], { shape: x.shape }) : run('cast', [x], { dtype });
}

export const square = (x: Tensor): Tensor => mul(x, x);
export const reciprocal = (x: Tensor): Tensor => div(1, x);

/** −1, 0 or 1 (float32). */
export function sign(x: Tensor): Tensor {
  const f = asFloat(x);
  return sub(cast(greater(f, 0), 'float32'), cast(less(f, 0), 'float32'));
}

export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  requireFinite(negativeSlope, 'leakyRelu', 'negativeSlope');
  const f = asFloat(x);
  return where(greater(f, 0), f, mul(f, negativeSlope));
}

export function elu(x: Tensor, alpha = 1): Tensor {
  requireFinite(alpha, 'elu', 'alpha');
  const f = asFloat(x);
  // exp of the clamped input: the branch `where` drops must not overflow into NaN gradients.
  return where(greater(f, 0), f, mul(sub(exp(minimum(f, 0)), 1), alpha));
}

/** log(1 + eˣ), computed without overflow. */
export function softplus(x: Tensor): Tensor {
  const f = asFloat(x);
  return add(relu(f), log(add(exp(neg(abs(f))), 1)));
}

/** Leaky ReLU with a learned slope per channel (dim 1), PyTorch's PReLU. */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  const shape = x.shape.map((_, i) => (i === 1 ? weight.size : 1));
  const w = weight.size === 1 ? run('reshape', [weight], { shape: [] }) : run('reshape', [weight], { shape });
  return where(greater(x, 0), x, mul(x, w));
}

/** Limits values to [min, max]; the gradient passes inside the range, boundaries included. */
export function clamp(x: Tensor, min?: number, max?: number): Tensor {
  if (min !== undefined && max !== undefined && min > max) throw new ValueError(`clamp: min ${min} is above max ${max}`);
  let y = x;
  if (min !== undefined) y = where(less(y, requireFinite(min, 'clamp', 'min')), min, y);
  if (max !== undefined) y = where(greater(y, requireFinite(max, 'clamp', 'max')), max, y);
  return y;
}
