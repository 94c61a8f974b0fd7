import type { KernelImpl } from '@fovea/core';
import { Uniforms, type Program } from '../program.js';
import { sizeOfShape } from '../shape-utils.js';
import { bindings, floatBinding, grid } from '../wgsl.js';
import { runOne, type Ctx } from './run.js';

const ROW_THREADS = 64;

/**
 * A workgroup per row along `axis` (rows are strided by the product of the later dims): a tree
 * for the row's maximum, a tree for Σ exp(x − max), then one pass writing the result. Subtracting
 * the maximum keeps exp from overflowing.
 */
function softmaxProgram(log: boolean, shape: readonly number[], axis: number): Program {
  const len = shape[axis]!;
  const inner = sizeOfShape(shape.slice(axis + 1));
  const rows = sizeOfShape(shape) / Math.max(len, 1);
  const uniforms = new Uniforms().i32('rows', rows).i32('len', len).i32('inner', inner).f32('lowest', -Infinity);
  const write = log ? 'f32(x[at]) - m - log(total)' : 'exp(f32(x[at]) - m) / total';
  const wgsl = () =>
    [
      bindings([floatBinding('x')], [floatBinding('y')], uniforms),
      `var<workgroup> part: array<f32, ${ROW_THREADS}>;
fn tree_max(t: u32) -> f32 {
  for (var s = ${ROW_THREADS / 2}u; s > 0u; s = s >> 1u) {
    workgroupBarrier();
    if (t < s) { part[t] = max(part[t], part[t + s]); }
  }
  workgroupBarrier();
  let r = part[0];
  workgroupBarrier();
  return r;
}
fn tree_sum(t: u32) -> f32 {
  for (var s = ${ROW_THREADS / 2}u; s > 0u; s = s >> 1u) {
    workgroupBarrier();
    if (t < s) { part[t] = part[t] + part[t + s]; }
  }
  workgroupBarrier();
  return part[0];
}
@compute @workgroup_size(${ROW_THREADS})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) t: u32) {
  let row = i32(wid.x + wid.y * nwg.x);
  if (row >= u.rows) { return; }
  let base = (row / u.inner) * u.len * u.inner + row % u.inner;
  var m = u.lowest;
  for (var j = i32(t); j < u.len; j += ${ROW_THREADS}) { m = max(m, f32(x[base + j * u.inner])); }
  part[t] = m;
  m = tree_max(t);
  var s = 0.0;
  for (var j = i32(t); j < u.len; j += ${ROW_THREADS}) { s += exp(f32(x[base + j * u.inner]) - m); }
  part[t] = s;
  let total = tree_sum(t);
  for (var j = i32(t); j < u.len; j += ${ROW_THREADS}) {
    let at = base + j * u.inner;
    y[at] = F(${write});
  }
}`,
    ].join('\n');
  return { key: `softmax:${log ? 'log' : 'exp'}`, wgsl, uniforms, grid: grid(rows, 1) };
}

const kernel =
  (log: boolean): KernelImpl =>
  (ctx: Ctx<{ axis: number }>) =>
    runOne(ctx, softmaxProgram(log, ctx.inputs[0]!.shape, ctx.attrs.axis));

export const softmaxKernels: Record<string, KernelImpl> = { softmax: kernel(false), logSoftmax: kernel(true) };
