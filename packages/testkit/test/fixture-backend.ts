/**
 * The smallest backend that runs all of Fovea: one naive kernel per primitive of
 * docs/PRIMITIVES.md and nothing else, so every other op runs through core's decompositions.
 * It reads only asynchronously (no `readSync`), like a GPU backend, and counts its live buffers
 * so leak checks see what the engine frees.
 */
import { registerBackend, registerKernels, type Backend, type DType, type KernelContext, type TypedArray } from '@fovea/core';

type Ctx = KernelContext<any>;
type Index = readonly number[];

const live = new Set<TypedArray>();

function alloc(dtype: DType, size: number): TypedArray {
  const array = dtype === 'float32' ? new Float32Array(size) : dtype === 'int32' ? new Int32Array(size) : new Uint8Array(size);
  live.add(array);
  return array;
}

const fixture: Backend<TypedArray> = {
  name: 'fixture',
  write: (values, spec) => {
    const copy = alloc(spec.dtype, values.length);
    copy.set(values);
    return copy;
  },
  read: async (data) => data.slice(),
  disposeData: (data) => void live.delete(data),
  memoryInfo: () => ({ fixtureBuffers: live.size }),
};

// ------------------------------------------------------------------ index helpers

function stridesOf(shape: Index): number[] {
  const strides = shape.map(() => 1);
  for (let d = shape.length - 2; d >= 0; d--) strides[d] = strides[d + 1]! * shape[d + 1]!;
  return strides;
}

const sizeOf = (shape: Index) => shape.reduce((n, d) => n * d, 1);

/** Strides that read `shape` broadcast (NumPy rules) to `out`: 0 along broadcast dims. */
function broadcastStrides(shape: Index, out: Index): number[] {
  const own = stridesOf(shape);
  const lead = out.length - shape.length;
  return out.map((_, d) => (d < lead || shape[d - lead] === 1 ? 0 : own[d - lead]!));
}

const dot = (index: Index, strides: Index) => index.reduce((s, i, d) => s + i * strides[d]!, 0);

/** Calls `fn` with every multi-index of `shape` in row-major order and its flat position. */
function forEach(shape: Index, fn: (index: number[], flat: number) => void): void {
  const index = shape.map(() => 0);
  const size = sizeOf(shape);
  for (let flat = 0; flat < size; flat++) {
    fn(index, flat);
    for (let d = shape.length - 1; d >= 0 && ++index[d]! === shape[d]; d--) index[d] = 0;
  }
}

/** out[i] = f(inputs broadcast to the output at i) — every elementwise primitive and `expand`. */
function map(f: (...values: number[]) => number) {
  return ({ inputs, outputs: [spec] }: Ctx) => {
    const out = alloc(spec!.dtype, sizeOf(spec!.shape));
    const strides = inputs.map((x) => broadcastStrides(x.shape, spec!.shape));
    const data = inputs.map((x) => x.dataId as TypedArray);
    forEach(spec!.shape, (index, flat) => {
      out[flat] = f(...data.map((d, k) => d[dot(index, strides[k]!)]!));
    });
    return [out];
  };
}

/** out[i] = x[source(i)], or the `value` attribute where source gives -1 — the movement primitives. */
function remap(source: (ctx: Ctx, xStrides: number[]) => (index: number[], flat: number) => number) {
  return (ctx: Ctx) => {
    const [x] = ctx.inputs;
    const spec = ctx.outputs[0]!;
    const out = alloc(spec.dtype, sizeOf(spec.shape));
    const from = source(ctx, stridesOf(x!.shape));
    const data = x!.dataId as TypedArray;
    const value = ctx.attrs.value ?? 0;
    forEach(spec.shape, (index, flat) => {
      const s = from(index, flat);
      out[flat] = s < 0 ? value : data[s]!;
    });
    return [out];
  };
}

/** Walks the input of a reduction, giving each element's output position and its index along `axis`. */
function reduce(init: number, step: (acc: Float64Array, o: number, v: number, k: number) => void, axisOf = (a: any) => a.axes as number[]) {
  return ({ inputs: [x], attrs, outputs: [spec] }: Ctx) => {
    const axes = axisOf(attrs);
    const kept = x!.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const outStrides = stridesOf(kept).map((s, i) => (axes.includes(i) ? 0 : s));
    const acc = new Float64Array(sizeOf(kept)).fill(init);
    const data = x!.dataId as TypedArray;
    forEach(x!.shape, (index, flat) => step(acc, dot(index, outStrides), data[flat]!, index[axes[0]!]!));
    const out = alloc(spec!.dtype, acc.length);
    out.set(acc);
    return [out];
  };
}

function argmaxStep(): (acc: Float64Array, o: number, v: number, k: number) => void {
  const best = new Map<number, number>();
  return (acc, o, v, k) => {
    if (!(v <= (best.get(o) ?? -Infinity))) {
      best.set(o, v);
      acc[o] = k;
    }
  };
}

// ------------------------------------------------------------------ kernels

function concat({ inputs, attrs: { axis }, outputs: [spec] }: Ctx) {
  const out = alloc(spec!.dtype, sizeOf(spec!.shape));
  const outStrides = stridesOf(spec!.shape);
  let offset = 0;
  for (const x of inputs) {
    const data = x.dataId as TypedArray;
    forEach(x.shape, (index, flat) => {
      out[dot(index, outStrides) + offset * outStrides[axis]!] = data[flat]!;
    });
    offset += x.shape[axis]!;
  }
  return [out];
}

function scatterAdd({ inputs: [base, index, src], attrs: { axis }, outputs: [spec] }: Ctx) {
  const out = alloc(spec!.dtype, sizeOf(spec!.shape));
  out.set(base!.dataId as TypedArray);
  const [baseStrides, srcStrides] = [stridesOf(base!.shape), stridesOf(src!.shape)];
  const [idx, data] = [index!.dataId as Int32Array, src!.dataId as TypedArray];
  forEach(index!.shape, (i, flat) => {
    out[dot(i, baseStrides) + (idx[flat]! - i[axis]!) * baseStrides[axis]!]! += data[dot(i, srcStrides)]!;
  });
  return [out];
}

function batchMatmul({ inputs: [a, b], attrs: { transposeA, transposeB }, outputs: [spec] }: Ctx) {
  const [B, M, N] = spec!.shape as [number, number, number];
  const K = a!.shape[transposeA ? 1 : 2]!;
  const [x, y] = [a!.dataId as Float32Array, b!.dataId as Float32Array];
  const out = alloc('float32', B * M * N);
  const at = (i: number, m: number, k: number) => x[i * M * K + (transposeA ? k * M + m : m * K + k)]!;
  const bt = (i: number, k: number, n: number) => y[i * K * N + (transposeB ? n * K + k : k * N + n)]!;
  forEach([B, M, N], ([i, m, n], flat) => {
    let s = 0;
    for (let k = 0; k < K; k++) s += at(i!, m!, k) * bt(i!, k, n!);
    out[flat] = s;
  });
  return [out];
}

function conv2d({ inputs: [x, w], attrs: { stride, padding, dilation, groups }, outputs: [spec] }: Ctx) {
  const [, , H, W] = x!.shape as number[];
  const [O, Cg, KH, KW] = w!.shape as number[];
  const [xs, ws] = [stridesOf(x!.shape), stridesOf(w!.shape)];
  const [xd, wd] = [x!.dataId as Float32Array, w!.dataId as Float32Array];
  const out = alloc('float32', sizeOf(spec!.shape));
  forEach(spec!.shape, ([n, o, oh, ow], flat) => {
    const c0 = Math.floor(o! / (O! / groups)) * Cg!;
    let s = 0;
    forEach([Cg!, KH!, KW!], ([c, kh, kw]) => {
      const ih = oh! * stride[0] - padding[0] + kh! * dilation[0];
      const iw = ow! * stride[1] - padding[1] + kw! * dilation[1];
      if (ih < 0 || ih >= H! || iw < 0 || iw >= W!) return;
      s += xd[dot([n!, c0 + c!, ih, iw], xs)]! * wd[dot([o!, c!, kh!, kw!], ws)]!;
    });
    out[flat] = s;
  });
  return [out];
}

const kernels = {
  neg: map((x) => -x),
  abs: map(Math.abs),
  exp: map(Math.exp),
  log: map(Math.log),
  sqrt: map(Math.sqrt),
  add: map((a, b) => a + b),
  sub: map((a, b) => a - b),
  mul: map((a, b) => a * b),
  div: map((a, b) => a / b),
  pow: map(Math.pow),
  maximum: map((a, b) => (a !== a || b !== b ? NaN : Math.max(a, b))),
  less: map((a, b) => +(a < b)),
  equal: map((a, b) => +(a === b)),
  where: map((c, a, b) => (c ? a : b)),
  expand: map((x) => x),
  cast: (ctx: Ctx) => map(ctx.attrs.dtype === 'bool' ? (x) => +(x !== 0) : (x) => x)(ctx),
  sum: reduce(0, (acc, o, v) => void (acc[o]! += v)),
  max: reduce(-Infinity, (acc, o, v) => {
    if (v > acc[o]! || v !== v) acc[o] = v;
  }),
  argmax: (ctx: Ctx) => reduce(0, argmaxStep(), (a) => [a.axis])(ctx),
  transpose: remap(({ attrs: { perm } }, xs) => (index) => index.reduce((s, i, d) => s + i * xs[perm[d]]!, 0)),
  slice: remap(({ attrs: { begin, step } }, xs) => (index) => index.reduce((s, i, d) => s + (begin[d] + i * step[d]) * xs[d]!, 0)),
  pad: remap(({ inputs: [x], attrs: { pads } }, xs) => (index) => {
    let s = 0;
    for (let d = 0; d < index.length; d++) {
      const j = index[d]! - pads[d][0];
      if (j < 0 || j >= x!.shape[d]!) return -1;
      s += j * xs[d]!;
    }
    return s;
  }),
  gather: remap(({ inputs: [, index], attrs: { axis } }, xs) => {
    const idx = index!.dataId as Int32Array;
    return (i, flat) => dot(i, xs) + (idx[flat]! - i[axis]!) * xs[axis]!;
  }),
  concat,
  scatterAdd,
  batchMatmul,
  conv2d,
};

registerBackend('fixture', () => fixture);
registerKernels('fixture', kernels);
