import type { KernelImpl } from '@fovea/core';
import { Uniforms, type Program } from '../program.js';
import { sizeOfShape } from '../shape-utils.js';
import { bindings, floatBinding, grid, perElementMain } from '../wgsl.js';
import { runOne, type Ctx } from './run.js';

interface PoolAttrs {
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
  countIncludePad?: boolean;
}

function poolUniforms(count: number, x: readonly number[], y: readonly number[], a: PoolAttrs): Uniforms {
  return new Uniforms()
    .i32('count', count)
    .i32('H', x[2]!)
    .i32('W', x[3]!)
    .i32('OH', y[2]!)
    .i32('OW', y[3]!)
    .i32('kh', a.kernel[0])
    .i32('kw', a.kernel[1])
    .i32('sh', a.stride[0])
    .i32('sw', a.stride[1])
    .i32('ph', a.padding[0])
    .i32('pw', a.padding[1])
    .u32('includePad', a.countIncludePad ? 1 : 0)
    .f32('lowest', -Infinity);
}

/**
 * Window helpers over plane `p` (= n·C + c). Max pooling takes the first maximum in scan order
 * (PyTorch's choice); average pooling divides by the window clipped to the padded image, or to
 * the image itself without `countIncludePad`.
 */
const WINDOW = `
fn window_argmax(p: i32, oh: i32, ow: i32) -> i32 {
  var best = u.lowest;
  var at = -1;
  for (var i = 0; i < u.kh; i++) {
    let h = oh * u.sh - u.ph + i;
    if (h < 0 || h >= u.H) { continue; }
    for (var j = 0; j < u.kw; j++) {
      let w = ow * u.sw - u.pw + j;
      if (w < 0 || w >= u.W) { continue; }
      let v = f32(x[(p * u.H + h) * u.W + w]);
      if (at < 0 || v > best) { best = v; at = h * u.W + w; }
    }
  }
  return at;
}
fn window_divisor(oh: i32, ow: i32) -> f32 {
  let h0 = oh * u.sh - u.ph;
  let w0 = ow * u.sw - u.pw;
  let h1 = min(h0 + u.kh, u.H + u.ph);
  let w1 = min(w0 + u.kw, u.W + u.pw);
  if (u.includePad == 1u) { return f32((h1 - h0) * (w1 - w0)); }
  return f32((min(h1, u.H) - max(h0, 0)) * (min(w1, u.W) - max(w0, 0)));
}`;

function forward(kind: 'max' | 'avg', x: readonly number[], y: readonly number[], attrs: PoolAttrs): Program {
  const count = sizeOfShape(y);
  const uniforms = poolUniforms(count, x, y, attrs);
  const value =
    kind === 'max'
      ? `let at = window_argmax(p, oh, ow);
  out[i] = F(select(f32(x[p * u.H * u.W + at]), u.lowest, at < 0));`
      : `var s = 0.0;
  for (var a = max(oh * u.sh - u.ph, 0); a < min(oh * u.sh - u.ph + u.kh, u.H); a++) {
    for (var b = max(ow * u.sw - u.pw, 0); b < min(ow * u.sw - u.pw + u.kw, u.W); b++) { s += f32(x[(p * u.H + a) * u.W + b]); }
  }
  out[i] = F(s / window_divisor(oh, ow));`;
  const wgsl = () =>
    [
      bindings([floatBinding('x')], [floatBinding('out')], uniforms),
      WINDOW,
      perElementMain(`  let ow = i % u.OW;
  let oh = (i / u.OW) % u.OH;
  let p = i / (u.OW * u.OH);
  ${value}`),
    ].join('\n');
  return { key: `pool:${kind}`, wgsl, uniforms, grid: grid(count) };
}

/**
 * One thread per input element gathers from every window that covers it (no atomics, so the
 * result is deterministic): max pooling only where that window's first maximum is this element.
 */
function backward(kind: 'max' | 'avg', x: readonly number[], y: readonly number[], attrs: PoolAttrs): Program {
  const count = sizeOfShape(x);
  const uniforms = poolUniforms(count, x, y, attrs);
  const term = kind === 'max' ? `select(0.0, g, window_argmax(p, oh, ow) == h * u.W + w)` : `g / window_divisor(oh, ow)`;
  const wgsl = () =>
    [
      bindings([floatBinding('dy'), floatBinding('x')], [floatBinding('dx')], uniforms),
      WINDOW,
      perElementMain(`  let w = i % u.W;
  let h = (i / u.W) % u.H;
  let p = i / (u.W * u.H);
  // Windows oh with oh·s − p ≤ h < oh·s − p + k, clipped to the output.
  let oh0 = max(0, (h + u.ph - u.kh + u.sh) / u.sh);
  let ow0 = max(0, (w + u.pw - u.kw + u.sw) / u.sw);
  let oh1 = min(u.OH - 1, (h + u.ph) / u.sh);
  let ow1 = min(u.OW - 1, (w + u.pw) / u.sw);
  var s = 0.0;
  for (var oh = oh0; oh <= oh1; oh++) {
    for (var ow = ow0; ow <= ow1; ow++) {
      let g = f32(dy[(p * u.OH + oh) * u.OW + ow]);
      s += ${term};
    }
  }
  dx[i] = F(s);`),
    ].join('\n');
  return { key: `poolGrad:${kind}`, wgsl, uniforms, grid: grid(count) };
}

const kernel =
  (kind: 'max' | 'avg'): KernelImpl =>
  (ctx: Ctx<PoolAttrs>) =>
    runOne(ctx, forward(kind, ctx.inputs[0]!.shape, ctx.outputs[0]!.shape, ctx.attrs));

const gradKernel =
  (kind: 'max' | 'avg'): KernelImpl =>
  (ctx: Ctx<PoolAttrs>) =>
    runOne(ctx, backward(kind, ctx.inputs[1]!.shape, ctx.inputs[0]!.shape, ctx.attrs));

export const poolKernels: Record<string, KernelImpl> = {
  maxPool2d: kernel('max'),
  avgPool2d: kernel('avg'),
  maxPool2dGrad: gradKernel('max'),
  avgPool2dGrad: gradKernel('avg'),
};
