import type { DType, KernelImpl } from '@fovea/core';
import { mapProgram } from './map-program.js';
import type { GPUData } from '../gpu-data.js';
import { runOne, type Ctx } from './run.js';
import { wgslType } from '../wgsl.js';
import { IS_NAN, SPECIALS } from './special-values.js';

/**
 * WGSL's pow is exp2(y·log2 x): undefined for x ≤ 0. This follows C's pow for those cases:
 * negative bases need integral exponents, and 0 to a negative power is +inf. NaN as JS's
 * Math.pow (the reference backend): x^0 = 1, anything else with a NaN is NaN.
 */
const POW_F32 = `
fn pow_f32(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (is_nan(a) || is_nan(b)) { return f32_nan(); }
  if (a > 0.0) { return pow(a, b); }
  if (a == 0.0) { return select(0.0, f32_inf(), b < 0.0); }
  if (b != trunc(b)) { return f32_nan(); }
  let r = pow(-a, b);
  return select(r, -r, abs(b % 2.0) == 1.0);
}`;

/** Integer power by squaring; negative exponents truncate toward zero like 1/a^n. */
const POW_I32 = `
fn pow_i32(a: i32, b: i32) -> i32 {
  if (b < 0) { return select(select(0, select(-1, 1, (b & 1) == 0), a == -1), 1, a == 1); }
  var base = a; var e = b; var r = 1;
  loop {
    if (e == 0) { break; }
    if ((e & 1) == 1) { r = r * base; }
    base = base * base; e = e >> 1u;
  }
  return r;
}`;

/** Integer division truncating toward zero; division by zero gives 0. */
const DIV_I32 = `
fn div_i32(a: i32, b: i32) -> i32 { return select(a / b, 0, b == 0); }`;

type Expr = (v: readonly string[], dtype: DType) => string;

interface ElementwiseOp {
  readonly expr: Expr;
  /** WGSL functions the expression calls, each one fragment (fused kernels dedupe them). */
  readonly helpers?: (dtype: DType) => readonly string[];
}

const zero = (dtype: DType) => (dtype === 'float32' ? '0.0' : dtype === 'int32' ? '0' : '0u');

/**
 * Drivers differ on special values (SwiftShader's log returns log|x| for x < 0 and -88 at 0;
 * its exp, tanh and sigmoid turn NaN into ±1, 0 or inf), so the IEEE results PyTorch gives are
 * spelled out: NaN in, NaN out; log 0 = -inf; log of a negative is NaN.
 */
const keepNaN = (a: string, value: string) => `select(${value}, ${a}, is_nan(${a}))`;

const UNARY: Record<string, ElementwiseOp> = {
  neg: { expr: ([a]) => `-${a}` },
  abs: { expr: ([a]) => `abs(${a})` },
  exp: { expr: ([a]) => keepNaN(a!, `exp(${a})`), helpers: () => [IS_NAN] },
  log: {
    expr: ([a]) => `select(select(log(${a}), -f32_inf(), ${a} == 0.0), f32_nan(), !(${a} >= 0.0))`,
    helpers: () => [SPECIALS],
  },
  sqrt: { expr: ([a]) => `sqrt(${a})` },
  // select, not max: NaN stays NaN, as in torch.relu.
  relu: { expr: ([a], t) => `select(${a}, ${zero(t)}, ${a} < ${zero(t)})` },
  sigmoid: { expr: ([a]) => keepNaN(a!, `1.0 / (1.0 + exp(-${a}))`), helpers: () => [IS_NAN] },
  // Clamped: some drivers build tanh from exp(2x), which overflows to inf/inf past |x| ≈ 44.
  tanh: { expr: ([a]) => keepNaN(a!, `tanh(clamp(${a}, -15.0, 15.0))`), helpers: () => [IS_NAN] },
};

const BINARY: Record<string, ElementwiseOp> = {
  add: { expr: ([a, b]) => `${a} + ${b}` },
  sub: { expr: ([a, b]) => `${a} - ${b}` },
  mul: { expr: ([a, b]) => `${a} * ${b}` },
  div: {
    expr: ([a, b], t) => (t === 'int32' ? `div_i32(${a}, ${b})` : `${a} / ${b}`),
    helpers: (t) => (t === 'int32' ? [DIV_I32] : []),
  },
  pow: {
    expr: ([a, b], t) => (t === 'int32' ? `pow_i32(${a}, ${b})` : `pow_f32(${a}, ${b})`),
    helpers: (t) => (t === 'int32' ? [POW_I32] : [SPECIALS, IS_NAN, POW_F32]),
  },
  // WGSL leaves max(NaN, x) open; torch.maximum propagates NaN.
  maximum: {
    expr: ([a, b], t) => (t === 'float32' ? `select(max(${a}, ${b}), ${a} + ${b}, is_nan(${a}) || is_nan(${b}))` : `max(${a}, ${b})`),
    helpers: (t) => (t === 'float32' ? [IS_NAN] : []),
  },
  less: { expr: ([a, b]) => `select(0u, 1u, ${a} < ${b})` },
  equal: { expr: ([a, b]) => `select(0u, 1u, ${a} == ${b})` },
};

/**
 * An elementwise kernel: its result is pending (fused with the elementwise ops around it when
 * something needs it, see fusion.ts) or, with fusion off, computed at once by a map program.
 */
export function mapKernel(ctx: Ctx, name: string, expr: (v: readonly string[]) => string, helpers: readonly string[] = []): GPUData[] {
  const output = ctx.outputs[0]!;
  const op = {
    name,
    shape: output.shape,
    dtype: output.dtype,
    inputs: ctx.inputs.map((i) => ({ data: i.dataId, shape: i.shape, dtype: i.dtype })),
    expr,
    helpers,
  };
  return [ctx.backend.elementwise(op, (full) => runOne(ctx, mapProgram({ name, inputs: ctx.inputs, output, expr, helpers: helpers.join('') }), full))];
}

function elementwiseKernel(name: string, op: ElementwiseOp): KernelImpl {
  return (ctx: Ctx) => {
    const dtype = ctx.inputs[0]!.dtype;
    return mapKernel(ctx, name, (v) => op.expr(v, dtype), op.helpers?.(dtype));
  };
}

const whereKernel: KernelImpl = (ctx: Ctx) => mapKernel(ctx, 'where', ([c, a, b]) => `select(${b}, ${a}, ${c} != 0u)`);

/** Float → int truncates toward zero (WGSL's conversion, saturating); → bool is `x != 0`. */
function castExpr(v: string, from: DType, to: DType): string {
  // NaN is true, as in PyTorch; tested on the bits since `NaN != 0` may compile as ordered.
  if (to === 'bool') return from === 'float32' ? `select(0u, 1u, ${v} != 0.0 || is_nan(${v}))` : `select(0u, 1u, ${v} != ${zero(from)})`;
  return `${wgslType(to)}(${v})`;
}

const castKernel: KernelImpl = (ctx: Ctx<{ dtype: DType }>) => {
  const from = ctx.inputs[0]!.dtype;
  const to = ctx.outputs[0]!.dtype;
  // Same dtype: share the storage; the engine reference-counts handles.
  if (from === to) return [ctx.inputs[0]!.dataId];
  return mapKernel(ctx, 'cast', ([v]) => castExpr(v!, from, to), from === 'float32' && to === 'bool' ? [IS_NAN] : []);
};

export const elementwiseKernels: Record<string, KernelImpl> = {
  ...Object.fromEntries(Object.entries({ ...UNARY, ...BINARY }).map(([name, op]) => [name, elementwiseKernel(name, op)])),
  where: whereKernel,
  cast: castKernel,
};

/** Ops and dtypes this file covers, for tests that validate every shader variant. */
export const elementwiseVariants = {
  unary: Object.keys(UNARY),
  binary: Object.keys(BINARY),
};
