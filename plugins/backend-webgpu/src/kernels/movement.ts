import type { DType, KernelImpl } from '@fovea/core';
import { Uniforms, type Program } from '../program.js';
import { coalesce, contiguousStrides, sizeOfShape } from '../shape-utils.js';
import { bindings, dot, grid, load, perElementMain, storageType, store, unravel, wgslType } from '../wgsl.js';
import { mapKernel } from './elementwise.js';
import { mapProgram } from './map-program.js';
import { runOne, type Ctx } from './run.js';
import { FAULT_BINDING, FAULT_FN, faultCall } from '../index-faults.js';

const identity = (v: readonly string[]) => v[0]!;

/** An element copied between storages (an input may be f16 and the output f32, or back). */
const copy = (dtype: DType, access: string) => store(dtype, load(dtype, access));

const transpose: KernelImpl = (ctx: Ctx<{ perm: number[] }>) => {
  const x = ctx.inputs[0]!;
  const own = contiguousStrides(x.shape);
  const strides = ctx.attrs.perm.map((p) => own[p]!);
  return runOne(ctx, mapProgram({ name: 'copy', inputs: [{ dtype: x.dtype, strides, offset: 0 }], output: ctx.outputs[0]!, expr: identity }));
};

/**
 * A broadcast is elementwise, the identity on a broadcast input, so it stays pending like one:
 * the ops that read it read the small input in place instead of a full-size copy (a mean's
 * gradient, spread over a batch norm's input, was a copy of the whole activation).
 */
const expand: KernelImpl = (ctx: Ctx) => mapKernel(ctx, 'expand', identity);

/** `out[i] = x[begin + i·step]` per dim: a strided view, negative steps included. */
const slice: KernelImpl = (ctx: Ctx<{ begin: number[]; step: number[] }>) => {
  const x = ctx.inputs[0]!;
  const own = contiguousStrides(x.shape);
  const strides = own.map((s, d) => s * ctx.attrs.step[d]!);
  const offset = own.reduce((sum, s, d) => sum + s * ctx.attrs.begin[d]!, 0);
  return runOne(ctx, mapProgram({ name: 'copy', inputs: [{ dtype: x.dtype, strides, offset }], output: ctx.outputs[0]!, expr: identity }));
};

/**
 * Copies a contiguous `x` into a region of `y` that starts at `base` and is walked with
 * `outStrides`: one dispatch per concat input, each binding only its own input.
 */
function placeProgram(shape: readonly number[], dtype: DType, outStrides: readonly number[], base: number): Program {
  const layout = coalesce(shape, [contiguousStrides(shape), outStrides]);
  const rank = layout.shape.length;
  const uniforms = new Uniforms().i32('count', sizeOfShape(shape)).i32('base', base);
  uniforms.ints('os', layout.shape).ints('ys', layout.strides[1]!);
  const key = `place:${wgslType(dtype)}:r${rank}`;
  const wgsl = () =>
    [
      bindings([{ name: 'x', type: storageType(dtype) }], [{ name: 'y', type: storageType(dtype) }], uniforms),
      perElementMain(`${unravel('i', 'c', 'os', rank)}\n  y[u.base + ${dot('c', 'ys', rank)}] = ${copy(dtype, 'x[i]')};`),
    ].join('\n');
  return { key, wgsl, uniforms, grid: grid(sizeOfShape(shape)) };
}

const concat: KernelImpl = (ctx: Ctx<{ axis: number }>) => {
  const out = ctx.outputs[0]!;
  const axis = ctx.attrs.axis;
  const y = ctx.backend.alloc(sizeOfShape(out.shape), out.dtype);
  const outStrides = contiguousStrides(out.shape);
  let start = 0;
  for (const x of ctx.inputs) {
    if (sizeOfShape(x.shape) > 0) {
      const program = placeProgram(x.shape, x.dtype, outStrides, start * outStrides[axis]!);
      ctx.backend.run(program, [x.dataId], [y]);
    }
    start += x.shape[axis]!;
  }
  return [y];
};

/** Output coordinates minus the leading pads; outside `x` the fill value. */
const pad: KernelImpl = (ctx: Ctx<{ pads: [number, number][]; value: number }>) => {
  const x = ctx.inputs[0]!;
  const out = ctx.outputs[0]!;
  const rank = out.shape.length;
  const type = wgslType(x.dtype);
  const stored = storageType(x.dtype);
  const uniforms = new Uniforms().i32('count', sizeOfShape(out.shape));
  uniforms.ints('os', out.shape).ints('xd', x.shape).ints('xs', contiguousStrides(x.shape));
  uniforms.ints('before', ctx.attrs.pads.map((p) => p[0]));
  uniforms[type](`fill`, ctx.attrs.value);
  const inside = Array.from({ length: rank }, (_, d) => `c${d} >= u.before${d} && c${d} < u.before${d} + u.xd${d}`);
  const at = Array.from({ length: rank }, (_, d) => `(c${d} - u.before${d}) * u.xs${d}`).join(' + ') || '0';
  const wgsl = () =>
    [
      bindings([{ name: 'x', type: stored }], [{ name: 'y', type: stored }], uniforms),
      perElementMain(`${unravel('i', 'c', 'os', rank)}
  if (${inside.join(' && ') || 'true'}) { y[i] = ${copy(x.dtype, `x[${at}]`)}; } else { y[i] = ${store(x.dtype, 'u.fill')}; }`),
    ].join('\n');
  return runOne(ctx, { key: `pad:${type}:r${rank}`, wgsl, uniforms, grid: grid(sizeOfShape(out.shape)) });
};

/**
 * `out[…i…] = x[…index[…i…]…]` along `axis`; the index tensor is laid out like the output.
 * An out-of-range index reads 0, and the next read raises it (see index-faults.ts).
 */
const gather: KernelImpl = (ctx: Ctx<{ axis: number }>) => {
  const x = ctx.inputs[0]!;
  const out = ctx.outputs[0]!;
  const rank = out.shape.length;
  const axis = ctx.attrs.axis;
  const type = wgslType(x.dtype);
  const stored = storageType(x.dtype);
  const uniforms = new Uniforms().i32('count', sizeOfShape(out.shape)).i32('axisLen', x.shape[axis]!);
  uniforms.ints('os', out.shape).ints('xs', contiguousStrides(x.shape));
  const others = Array.from({ length: rank }, (_, d) => d)
    .filter((d) => d !== axis)
    .map((d) => `c${d} * u.xs${d}`);
  const wgsl = () =>
    [
      bindings([{ name: 'x', type: stored }, { name: 'index', type: 'i32' }], [{ name: 'y', type: stored }, FAULT_BINDING], uniforms),
      FAULT_FN,
      perElementMain(`${unravel('i', 'c', 'os', rank)}
  let j = index[i];
  if (j < 0 || j >= u.axisLen) {
    ${faultCall('gather', 'j', axis, 'u.axisLen')};
    y[i] = ${store(x.dtype, `${type}(0)`)};
    return;
  }
  y[i] = ${copy(x.dtype, `x[${[...others, `j * u.xs${axis}`].join(' + ')}]`)};`),
    ].join('\n');
  return runOne(ctx, { key: `gather:${type}:r${rank}:a${axis}`, wgsl, uniforms, grid: grid(sizeOfShape(out.shape)), checksIndices: true });
};

/**
 * base + src scattered along `axis` by `index`, computed per output element by scanning the
 * index entries that could land on it. No atomics, so sums are deterministic (float atomics do
 * not exist in WGSL, and CAS loops would make the summation order vary run to run). An
 * out-of-range index adds nothing, and the next read raises it (see index-faults.ts).
 */
const scatterAdd: KernelImpl = (ctx: Ctx<{ axis: number }>) => {
  const [base, index, src] = ctx.inputs as [Ctx['inputs'][0], Ctx['inputs'][0], Ctx['inputs'][0]];
  const out = ctx.outputs[0]!;
  const rank = out.shape.length;
  const axis = ctx.attrs.axis;
  const type = wgslType(base.dtype);
  const stored = storageType(base.dtype);
  const uniforms = new Uniforms().i32('count', sizeOfShape(out.shape)).i32('scan', index.shape[axis]!);
  uniforms.ints('os', out.shape).ints('id', index.shape).ints('is', contiguousStrides(index.shape));
  uniforms.ints('ss', contiguousStrides(src.shape));
  const dims = Array.from({ length: rank }, (_, d) => d);
  const covered = dims.filter((d) => d !== axis).map((d) => `c${d} < u.id${d}`);
  const indexAt = dims.map((d) => (d === axis ? `j * u.is${d}` : `c${d} * u.is${d}`)).join(' + ');
  const srcAt = dims.map((d) => (d === axis ? `j * u.ss${d}` : `c${d} * u.ss${d}`)).join(' + ');
  const wgsl = () =>
    [
      bindings([{ name: 'base', type: stored }, { name: 'index', type: 'i32' }, { name: 'src', type: stored }], [{ name: 'y', type: stored }, FAULT_BINDING], uniforms),
      FAULT_FN,
      perElementMain(`${unravel('i', 'c', 'os', rank)}
  var acc = ${load(base.dtype, 'base[i]')};
  if (${covered.join(' && ') || 'true'}) {
    for (var j = 0; j < u.scan; j++) {
      let at = index[${indexAt}];
      if (at == c${axis}) { acc += ${load(base.dtype, `src[${srcAt}]`)}; }
      else if (at < 0 || at >= u.os${axis}) { ${faultCall('scatterAdd', 'at', axis, `u.os${axis}`)}; }
    }
  }
  y[i] = ${store(base.dtype, 'acc')};`),
    ].join('\n');
  return runOne(ctx, { key: `scatterAdd:${type}:r${rank}:a${axis}`, wgsl, uniforms, grid: grid(sizeOfShape(out.shape)), checksIndices: true });
};

export const movementKernels: Record<string, KernelImpl> = { transpose, expand, slice, concat, pad, gather, scatterAdd };
