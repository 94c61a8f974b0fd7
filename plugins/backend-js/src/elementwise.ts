import { allocArray, sizeOf, stridesOf, type TypedArray } from '@fovea/core';
import type { JsKernel } from './backend.js';
import { broadcastStrides, forEachRow, planWalk } from './strided.js';

/*
 * Each family of ops shares one loop, and the op is picked by a switch on a loop-invariant code
 * inside it. Passing a function per op instead would make the one call site in the loop see
 * every op: V8 then stops inlining it and pays a generic call per element (5–10× slower).
 */

const NEG = 0, ABS = 1, EXP = 2, LOG = 3, SQRT = 4, RELU = 5, SIGMOID = 6, TANH = 7, TO_BOOL = 8, COPY = 9;

function unaryOp(op: number, x: number): number {
  switch (op) {
    case NEG: return -x;
    case ABS: return Math.abs(x);
    case EXP: return Math.exp(x);
    case LOG: return Math.log(x);
    case SQRT: return Math.sqrt(x);
    // `x < 0 ? 0 : x` keeps NaN, as torch.relu does.
    case RELU: return x < 0 ? 0 : x;
    case SIGMOID: return 1 / (1 + Math.exp(-x));
    case TANH: return Math.tanh(x);
    // NaN != 0 is true, as in PyTorch; a plain byte store would also turn 256 into 0.
    case TO_BOOL: return x !== 0 ? 1 : 0;
    // The typed-array store converts: float → int32 truncates toward zero.
    default: return x;
  }
}

const ADD = 0, SUB = 1, MUL = 2, DIV = 3, POW = 4, MAXIMUM = 5, LESS = 6, EQUAL = 7;

function binaryOp(op: number, a: number, b: number): number {
  switch (op) {
    case ADD: return a + b;
    case SUB: return a - b;
    case MUL: return a * b;
    case DIV: return a / b;
    case POW: return Math.pow(a, b);
    // Math.max propagates NaN, as torch.maximum does.
    case MAXIMUM: return Math.max(a, b);
    case LESS: return a < b ? 1 : 0;
    default: return a === b ? 1 : 0;
  }
}

/** A kernel applying one unary op to every element, into the dtype the op inferred. */
function unary(op: number): JsKernel {
  return ({ backend, inputs, outputs }) => {
    const x = inputs[0]!.dataId.values;
    const out = allocArray(outputs[0]!.dtype, x.length);
    for (let i = 0; i < x.length; i++) out[i] = unaryOp(op, x[i]!);
    return [backend.adopt(out)];
  };
}

/**
 * The one broadcasting walk: inputs are read over the output shape with stride 0 on stretched
 * dims, and `row` fills one output row given every operand's row offset and row step.
 */
function broadcastWalk(
  inputs: readonly { readonly shape: readonly number[] }[],
  outShape: readonly number[],
  row: (offsets: number[], steps: readonly number[], n: number) => void,
): void {
  const strides = [stridesOf(outShape), ...inputs.map((t) => broadcastStrides(t.shape, outShape))];
  const plan = planWalk(outShape, strides);
  forEachRow(plan, new Array<number>(strides.length).fill(0), (offsets) => row(offsets, plan.inner, plan.rowLength));
}

/** A broadcasting binary kernel; comparisons write 0/1 into their bool output. */
function binary(op: number): JsKernel {
  return ({ backend, inputs, outputs }) => {
    const spec = outputs[0]!;
    const a = inputs[0]!.dataId.values;
    const b = inputs[1]!.dataId.values;
    const out = allocArray(spec.dtype, sizeOf(spec.shape));
    broadcastWalk(inputs, spec.shape, (at, step, n) => {
      const o = at[0]!, sa = step[1]!, sb = step[2]!;
      for (let i = 0, ia = at[1]!, ib = at[2]!; i < n; i++, ia += sa, ib += sb) out[o + i] = binaryOp(op, a[ia]!, b[ib]!);
    });
    return [backend.adopt(out)];
  };
}

const where: JsKernel = ({ backend, inputs, outputs }) => {
  const spec = outputs[0]!;
  const [c, a, b] = inputs.map((t) => t.dataId.values) as [TypedArray, TypedArray, TypedArray];
  const out = allocArray(spec.dtype, sizeOf(spec.shape));
  broadcastWalk(inputs, spec.shape, (at, step, n) => {
    const o = at[0]!, sc = step[1]!, sa = step[2]!, sb = step[3]!;
    for (let i = 0, ic = at[1]!, ia = at[2]!, ib = at[3]!; i < n; i++, ic += sc, ia += sa, ib += sb) {
      out[o + i] = c[ic] ? a[ia]! : b[ib]!;
    }
  });
  return [backend.adopt(out)];
};

const toBool = unary(TO_BOOL);
const convert = unary(COPY);

/** A cast to the same dtype hands back the input's storage; the engine counts the extra reference. */
const cast: JsKernel<{ dtype: string }> = (ctx) => {
  const x = ctx.inputs[0]!;
  if (x.dtype === ctx.outputs[0]!.dtype) return [x.dataId];
  return ctx.outputs[0]!.dtype === 'bool' ? toBool(ctx) : convert(ctx);
};

export const elementwiseKernels: Record<string, JsKernel> = {
  neg: unary(NEG),
  abs: unary(ABS),
  exp: unary(EXP),
  log: unary(LOG),
  sqrt: unary(SQRT),
  relu: unary(RELU),
  sigmoid: unary(SIGMOID),
  tanh: unary(TANH),
  add: binary(ADD),
  sub: binary(SUB),
  mul: binary(MUL),
  div: binary(DIV),
  pow: binary(POW),
  maximum: binary(MAXIMUM),
  less: binary(LESS),
  equal: binary(EQUAL),
  where,
  cast,
};
