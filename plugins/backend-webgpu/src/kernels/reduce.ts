import type { DType, KernelImpl } from '@fovea/core';
import { Uniforms, type Program } from '../program.js';
import { coalesce, contiguousStrides, sizeOfShape } from '../shape-utils.js';
import { bindings, dot, grid, perElementMain, storageType, store, unravel, wgslType } from '../wgsl.js';
import { IS_NAN } from './special-values.js';
import { runOne, type Ctx } from './run.js';

type Reducer = 'sum' | 'max' | 'argmax';

/** Threads per workgroup in the tree variant (a power of two). */
const TREE = 256;

/** A split reduction's pieces are at least this long (8 elements a thread). */
const MIN_PIECE = 8 * TREE;

/** Splits `x` into the kept dims (output order) and the reduced dims, each coalesced. */
function splitAxes(shape: readonly number[], axes: readonly number[]) {
  const strides = contiguousStrides(shape);
  const dims = shape.map((_, d) => d);
  const kept = dims.filter((d) => !axes.includes(d));
  const red = dims.filter((d) => axes.includes(d));
  const pick = (ds: number[]) => coalesce(ds.map((d) => shape[d]!), [ds.map((d) => strides[d]!)]);
  return { kept: pick(kept), red: pick(red) };
}

/** The most negative value of a type, as a uniform (WGSL has no infinite constants). */
function lowest(type: string): number {
  return type === 'f32' ? -Infinity : type === 'i32' ? -2147483648 : 0;
}

interface ReduceSpec {
  readonly reducer: Reducer;
  readonly x: { shape: readonly number[]; dtype: DType };
  readonly axes: readonly number[];
  readonly outDtype: DType;
}

/** The kept and reduced dims, the outputs and reduced elements per output, and the variant. */
function layout(spec: ReduceSpec) {
  const { kept, red } = splitAxes(spec.x.shape, spec.axes);
  const [outCount, redCount] = [sizeOfShape(kept.shape), sizeOfShape(red.shape)];
  return { kept, red, outCount, redCount, tree: redCount >= 64 && !(outCount >= 4096 && redCount <= 512) };
}

/**
 * One program for sum, max and argmax over any axes. Long reductions get a workgroup per output
 * (strided partial results, then a shared-memory tree), or with `splits` > 1 that many workgroups
 * per output, each reducing one piece into y[output · splits + piece]; short ones a thread per
 * output.
 */
export function reduceProgram(spec: ReduceSpec, splits = 1): Program {
  const { kept, red, outCount, redCount, tree } = layout(spec);
  const xType = wgslType(spec.x.dtype);
  const accType = spec.reducer === 'argmax' ? xType : wgslType(spec.outDtype);
  const uniforms = new Uniforms().i32('count', outCount).i32('rcount', redCount);
  uniforms.ints('ks', kept.shape).ints('kst', kept.strides[0]!).ints('rs', red.shape).ints('rst', red.strides[0]!);
  uniforms[accType]('init', spec.reducer === 'sum' ? 0 : lowest(accType));
  uniforms.i32('splits', splits).i32('chunk', Math.ceil(redCount / splits));
  const kr = kept.shape.length;
  const rr = red.shape.length;
  const key = `reduce:${spec.reducer}:${xType}>${wgslType(spec.outDtype)}:k${kr}:r${rr}:${tree ? 'tree' : 'thread'}`;
  const wgsl = () => {
    const parts = [
      bindings([{ name: 'x', type: storageType(spec.x.dtype) }], [{ name: 'y', type: storageType(spec.outDtype) }], uniforms),
      combineFn(spec.reducer, accType),
      `fn offset_of(o: i32, r: i32) -> i32 {
${unravel('o', 'k', 'ks', kr)}
${unravel('r', 'q', 'rs', rr)}
  return ${dot('k', 'kst', kr)} + ${dot('q', 'rst', rr)};
}`,
    ];
    const load = `${accType}(x[offset_of(o, r)])`;
    const result = (best: string) => (spec.reducer === 'argmax' ? `${best}.i` : store(spec.outDtype, `${best}.v`));
    parts.push(tree ? treeMain(load, result) : threadMain(load, result));
    return parts.join('\n');
  };
  return { key, wgsl, uniforms, grid: tree ? grid(outCount * splits, 1) : grid(outCount) };
}

/**
 * `combine(a, b)` of (value, index) pairs. Max and argmax follow PyTorch: a NaN beats every
 * number (the first NaN for argmax), and on ties the lower index wins (the first maximum).
 */
function combineFn(reducer: Reducer, type: string): string {
  const struct = `struct P { v: ${type}, i: i32 }`;
  if (reducer === 'sum') return `${struct}\nfn combine(a: P, b: P) -> P { return P(a.v + b.v, 0); }`;
  const firstMax = 'if (b.v > a.v || (b.v == a.v && b.i < a.i)) { return b; } return a;';
  if (type !== 'f32') return `${struct}\nfn combine(a: P, b: P) -> P { ${firstMax} }`;
  return `${struct}${IS_NAN}
fn combine(a: P, b: P) -> P {
  let an = is_nan(a.v);
  let bn = is_nan(b.v);
  if (an || bn) {
    if (bn && (!an || b.i < a.i)) { return b; }
    return a;
  }
  ${firstMax}
}`;
}

/** `result(best)`: the output value from the best (value, index) pair, as stored. */
type Result = (best: string) => string;

function threadMain(load: string, result: Result): string {
  return perElementMain(`  let o = i;
  var best = P(u.init, 0);
  for (var r = 0; r < u.rcount; r++) { best = combine(best, P(${load}, r)); }
  y[o] = ${result('best')};`);
}

function treeMain(load: string, result: Result): string {
  return `var<workgroup> partial: array<P, ${TREE}>;
@compute @workgroup_size(${TREE})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) t: u32) {
  let w = i32(wid.x + wid.y * nwg.x);
  if (w >= u.count * u.splits) { return; }
  let o = w / u.splits;
  let rEnd = min(u.rcount, (w % u.splits + 1) * u.chunk);
  var best = P(u.init, 0);
  for (var r = (w % u.splits) * u.chunk + i32(t); r < rEnd; r += ${TREE}) { best = combine(best, P(${load}, r)); }
  partial[t] = best;
  for (var s = ${TREE / 2}u; s > 0u; s = s >> 1u) {
    workgroupBarrier();
    if (t < s) { partial[t] = combine(partial[t], partial[t + s]); }
  }
  if (t == 0u) { y[w] = ${result('partial[0]')}; }
}`;
}

/**
 * Sum or max, split when a workgroup per output would leave the device idle (a batch norm's 64
 * channel sums over 32 × 56 × 56 values: 64 workgroups): enough pieces per output for the tile
 * configuration's `targetWorkgroups`, then a second pass reduces the pieces in order
 * (deterministic). Argmax is never split: its pieces would need their indices too.
 */
function reduceSplit(reducer: 'sum' | 'max'): KernelImpl {
  return (ctx: Ctx<{ axes: number[] }>) => {
    const spec: ReduceSpec = { reducer, x: ctx.inputs[0]!, axes: ctx.attrs.axes, outDtype: ctx.outputs[0]!.dtype };
    const { outCount, redCount, tree } = layout(spec);
    const target = ctx.backend.tiles.targetWorkgroups;
    const splits = tree && outCount < target ? Math.min(Math.ceil(target / outCount), Math.floor(redCount / MIN_PIECE)) : 1;
    if (splits <= 1) return runOne(ctx, reduceProgram(spec));
    const partial = ctx.backend.alloc(outCount * splits, spec.outDtype, true);
    ctx.backend.run(reduceProgram(spec, splits), [ctx.inputs[0]!.dataId], [partial]);
    const pieces: ReduceSpec = { reducer, x: { shape: [outCount, splits], dtype: spec.outDtype }, axes: [1], outDtype: spec.outDtype };
    const [out] = runOne({ ...ctx, inputs: [{ ...pieces.x, dataId: partial }] }, reduceProgram(pieces));
    // Safe at once: any later use of this buffer is queued after the second pass.
    ctx.backend.disposeData(partial);
    return [out!];
  };
}

const sum = reduceSplit('sum');
const max = reduceSplit('max');

const argmax: KernelImpl = (ctx: Ctx<{ axis: number }>) =>
  runOne(ctx, reduceProgram({ reducer: 'argmax', x: ctx.inputs[0]!, axes: [ctx.attrs.axis], outDtype: 'int32' }));

export const reduceKernels: Record<string, KernelImpl> = { sum, max, argmax };
