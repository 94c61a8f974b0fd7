import type { KernelImpl } from '@fovea/core';
import type { Uniforms } from '../program.js';
import { runGemm } from './gemm.js';
import type { Ctx } from './run.js';

interface ConvAttrs {
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  groups: number;
}

/** Every size a convolution's index maths needs, from the image, filter and output shapes. */
function convDims(x: readonly number[], w: readonly number[], y: readonly number[], attrs: ConvAttrs) {
  const [n, c, h, wd] = x as [number, number, number, number];
  const [o, cg, kh, kw] = w as [number, number, number, number];
  const [oh, ow] = [y[2]!, y[3]!];
  return { n, c, h, wd, o, cg, og: o / attrs.groups, kh, kw, oh, ow };
}

type Dims = ReturnType<typeof convDims>;

function convUniforms(d: Dims, attrs: ConvAttrs): (u: Uniforms) => void {
  return (u) => {
    u.i32('Nb', d.n).i32('C', d.c).i32('H', d.h).i32('W', d.wd).i32('O', d.o).i32('Cg', d.cg).i32('Og', d.og);
    u.i32('KH', d.kh).i32('KW', d.kw).i32('OH', d.oh).i32('OW', d.ow);
    u.i32('sh', attrs.stride[0]).i32('sw', attrs.stride[1]);
    u.i32('ph', attrs.padding[0]).i32('pw', attrs.padding[1]);
    u.i32('dh', attrs.dilation[0]).i32('dw', attrs.dilation[1]);
  };
}

const f32 = (name: string) => ({ name, type: 'f32' });

/** Splits a flat (c, kh, kw) patch index. */
const PATCH = `
fn patch_c(k: i32) -> i32 { return k / (u.KH * u.KW); }
fn patch_kh(k: i32) -> i32 { return (k / u.KW) % u.KH; }
fn patch_kw(k: i32) -> i32 { return k % u.KW; }`;

/** x[n, g·Cg + c, oh·s − p + kh·d, …], or 0 in the padding. */
const IMAGE_AT = `
fn image_at(n: i32, ch: i32, oh: i32, ow: i32, kh: i32, kw: i32) -> f32 {
  let ih = oh * u.sh - u.ph + kh * u.dh;
  let iw = ow * u.sw - u.pw + kw * u.dw;
  if (ih < 0 || ih >= u.H || iw < 0 || iw >= u.W) { return 0.0; }
  return x[((n * u.C + ch) * u.H + ih) * u.W + iw];
}`;

/**
 * Forward, per group b: y[o, (n,oh,ow)] = Σ_(c,kh,kw) w[o, (c,kh,kw)] · patch[(c,kh,kw), (n,oh,ow)].
 */
const conv2d: KernelImpl = (ctx: Ctx<ConvAttrs>) => {
  const d = convDims(ctx.inputs[0]!.shape, ctx.inputs[1]!.shape, ctx.outputs[0]!.shape, ctx.attrs);
  return runGemm(
    ctx.backend,
    {
      key: 'conv2d',
      inputs: [f32('x'), f32('w')],
      output: f32('y'),
      m: d.og,
      n: d.n * d.oh * d.ow,
      k: d.cg * d.kh * d.kw,
      batch: ctx.attrs.groups,
      uniforms: convUniforms(d, ctx.attrs),
      loaders: `${PATCH}${IMAGE_AT}
fn loadA(b: i32, row: i32, k: i32) -> f32 { return w[(b * u.Og + row) * u.K + k]; }
fn loadB(b: i32, k: i32, col: i32) -> f32 {
  let n = col / (u.OH * u.OW);
  return image_at(n, b * u.Cg + patch_c(k), (col / u.OW) % u.OH, col % u.OW, patch_kh(k), patch_kw(k));
}`,
      store: `
fn store(b: i32, row: i32, col: i32, v: f32) {
  let n = col / (u.OH * u.OW);
  y[((n * u.O + b * u.Og + row) * u.OH) * u.OW + col % (u.OH * u.OW)] = v;
}`,
      aContiguousK: true,
      bContiguousK: false,
    },
    ctx.inputs.map((i) => i.dataId),
    ctx.outputs[0]!,
  );
};

/**
 * Input gradient, per group b: dx[c, (n,h,w)] = Σ_(o,kh,kw) w[o, c, kh, kw] · dy[n, o, oh, ow]
 * where h = oh·s − p + kh·d, i.e. oh = (h + p − kh·d) / s when that divides exactly.
 */
const conv2dBackpropInput: KernelImpl = (ctx: Ctx<ConvAttrs & { inputShape: number[] }>) => {
  const [dy, w] = ctx.inputs as [Ctx['inputs'][0], Ctx['inputs'][0]];
  const d = convDims(ctx.attrs.inputShape, w.shape, dy.shape, ctx.attrs);
  return runGemm(
    ctx.backend,
    {
      key: 'conv2dBackpropInput',
      inputs: [f32('dy'), f32('w')],
      output: f32('dx'),
      m: d.cg,
      n: d.n * d.h * d.wd,
      k: d.og * d.kh * d.kw,
      batch: ctx.attrs.groups,
      uniforms: convUniforms(d, ctx.attrs),
      loaders: `
fn loadA(b: i32, row: i32, k: i32) -> f32 {
  let o = k / (u.KH * u.KW);
  return w[(((b * u.Og + o) * u.Cg + row) * u.KH * u.KW) + k % (u.KH * u.KW)];
}
fn loadB(b: i32, k: i32, col: i32) -> f32 {
  let o = k / (u.KH * u.KW);
  let kh = (k / u.KW) % u.KH;
  let kw = k % u.KW;
  let n = col / (u.H * u.W);
  let th = (col / u.W) % u.H + u.ph - kh * u.dh;
  let tw = col % u.W + u.pw - kw * u.dw;
  if (th < 0 || tw < 0 || th % u.sh != 0 || tw % u.sw != 0) { return 0.0; }
  let oh = th / u.sh;
  let ow = tw / u.sw;
  if (oh >= u.OH || ow >= u.OW) { return 0.0; }
  return dy[((n * u.O + b * u.Og + o) * u.OH + oh) * u.OW + ow];
}`,
      store: `
fn store(b: i32, row: i32, col: i32, v: f32) {
  let n = col / (u.H * u.W);
  dx[(n * u.C + b * u.Cg + row) * u.H * u.W + col % (u.H * u.W)] = v;
}`,
      aContiguousK: true,
      bContiguousK: false,
    },
    ctx.inputs.map((i) => i.dataId),
    ctx.outputs[0]!,
  );
};

/**
 * Filter gradient, per group b: dw[o, (c,kh,kw)] = Σ_(n,oh,ow) dy[n, o, oh, ow] · patch[(n,oh,ow), (c,kh,kw)].
 */
const conv2dBackpropFilter: KernelImpl = (ctx: Ctx<ConvAttrs & { filterShape: number[] }>) => {
  const [x, dy] = ctx.inputs as [Ctx['inputs'][0], Ctx['inputs'][0]];
  const d = convDims(x.shape, ctx.attrs.filterShape, dy.shape, ctx.attrs);
  return runGemm(
    ctx.backend,
    {
      key: 'conv2dBackpropFilter',
      inputs: [f32('x'), f32('dy')],
      output: f32('dw'),
      m: d.og,
      n: d.cg * d.kh * d.kw,
      k: d.n * d.oh * d.ow,
      batch: ctx.attrs.groups,
      uniforms: convUniforms(d, ctx.attrs),
      loaders: `${PATCH}${IMAGE_AT}
fn loadA(b: i32, row: i32, k: i32) -> f32 {
  let n = k / (u.OH * u.OW);
  return dy[(n * u.O + b * u.Og + row) * u.OH * u.OW + k % (u.OH * u.OW)];
}
fn loadB(b: i32, k: i32, col: i32) -> f32 {
  let n = k / (u.OH * u.OW);
  return image_at(n, b * u.Cg + patch_c(col), (k / u.OW) % u.OH, k % u.OW, patch_kh(col), patch_kw(col));
}`,
      store: `
fn store(b: i32, row: i32, col: i32, v: f32) { dw[(b * u.Og + row) * u.N + col] = v; }`,
      aContiguousK: true,
      bContiguousK: true,
    },
    ctx.inputs.map((i) => i.dataId),
    ctx.outputs[0]!,
  );
};

export const convKernels: Record<string, KernelImpl> = { conv2d, conv2dBackpropInput, conv2dBackpropFilter };
