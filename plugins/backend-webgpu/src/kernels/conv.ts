import type { FusedConvAttrs, KernelImpl } from '@fovea/core';
import type { GPUData } from '../gpu-data.js';
import type { Uniforms } from '../program.js';
import { floatBinding } from '../wgsl.js';
import { epilogueStore, runGemm, type GemmEpilogue } from './gemm.js';
import { GemmShape } from './gemm-shader.js';
import { vec4Applies, vec4MatmulProgram, type Vec4MatmulShape } from './matmul-vec4.js';
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

/**
 * A's loaders, from each kernel's `fn aAt(r: vec4<i32>, k: vec4<i32>) -> i32` (the element's
 * offset), and the vec4 one where 4 k from a multiple of 4 are contiguous (see GemmSpec.a).
 */
const LOAD_A = 'fn loadA(b: i32, r: vec4<i32>, k: vec4<i32>) -> f32 { return readA(aAt(r, k)); }';
const LOAD_A4 = 'fn loadA4(b: i32, r: vec4<i32>, k: vec4<i32>) -> vec4<f32> { return readA4(aAt(r, k)); }';

function convUniforms(d: Dims, attrs: ConvAttrs): (u: Uniforms) => void {
  return (u) => {
    u.i32('Nb', d.n).i32('C', d.c).i32('H', d.h).i32('W', d.wd).i32('O', d.o).i32('Cg', d.cg).i32('Og', d.og);
    u.i32('KH', d.kh).i32('KW', d.kw).i32('OH', d.oh).i32('OW', d.ow);
    u.i32('sh', attrs.stride[0]).i32('sw', attrs.stride[1]);
    u.i32('ph', attrs.padding[0]).i32('pw', attrs.padding[1]);
    u.i32('dh', attrs.dilation[0]).i32('dw', attrs.dilation[1]);
  };
}

/**
 * Index maths for the column contexts, made once per column (k arrives as digits instead, see
 * GemmSpec.kDigits). `window(q)`: output position q = (n, oh, ow) → (n, oh·OW + ow, the top row
 * and left column of its window in the padded image). `patch_at(b, k)`: patch index
 * k = (c, kh, kw) in group b → (k, offset of channel b·Cg + c in an image, kh·dh, kw·dw).
 * `image_at`: one image pixel, or 0 in the padding.
 */
const WINDOW = `
fn window(q: i32) -> vec4<i32> {
  let n = q / (u.OH * u.OW);
  let p = q % (u.OH * u.OW);
  return vec4<i32>(n, p, (p / u.OW) * u.sh - u.ph, (p % u.OW) * u.sw - u.pw);
}
fn patch_at(b: i32, k: i32) -> vec4<i32> {
  let c = k / (u.KH * u.KW);
  let r = k % (u.KH * u.KW);
  return vec4<i32>(k, (b * u.Cg + c) * u.H * u.W, (r / u.KW) * u.dh, (r % u.KW) * u.dw);
}
fn image_at(at: i32, ih: i32, iw: i32) -> f32 {
  if (ih < 0 || ih >= u.H || iw < 0 || iw >= u.W) { return 0.0; }
  return readB(at + ih * u.W + iw);
}`;

/**
 * Forward, per group b: y[o, (n,oh,ow)] = Σ_(c,kh,kw) w[o, (c,kh,kw)] · patch[(c,kh,kw), (n,oh,ow)],
 * then the epilogue of `fusedConv2d` while the sum is still in a register: + bias[o], + the
 * residual at the same output index, then ReLU (NaN stays NaN, as in torch.relu). The order of
 * the additions is the decomposition's, so results match it.
 */
function convForward(ctx: Ctx<ConvAttrs>, epilogue: ConvEpilogue): GPUData[] {
  const d = convDims(ctx.inputs[0]!.shape, ctx.inputs[1]!.shape, ctx.outputs[0]!.shape, ctx.attrs);
  const pointwise = pointwiseShape(ctx, d);
  if (pointwise) return pointwiseConv(ctx, pointwise, epilogue);
  const extra = epilogueInputs(epilogue);
  return runGemm(
    ctx.backend,
    {
      key: epilogueKey('conv2d', epilogue),
      inputs: [floatBinding('x'), floatBinding('w'), ...extra],
      storeInputs: extra.length,
      outputs: [floatBinding('y')],
      m: d.og,
      n: d.n * d.oh * d.ow,
      k: d.cg * d.kh * d.kw,
      batch: ctx.attrs.groups,
      uniforms: convUniforms(d, ctx.attrs),
      loaders: `${WINDOW}
fn rowA(b: i32, row: i32) -> vec4<i32> { return vec4<i32>((b * u.Og + row) * u.K, 0, 0, 0); }
fn colB(b: i32, col: i32) -> vec4<i32> {
  let q = window(col);
  return vec4<i32>(q.x * u.C * u.H * u.W, q.z, q.w, 0);
}
fn aAt(r: vec4<i32>, k: vec4<i32>) -> i32 { return r.x + k.x; }
${LOAD_A}
fn loadB(b: i32, k: vec4<i32>, c: vec4<i32>) -> f32 {
  return image_at(c.x + (b * u.Cg + k.y) * u.H * u.W, c.y + k.z * u.dh, c.z + k.w * u.dw);
}`,
      store: `
fn store(b: i32, row: i32, col: i32, v: f32) {
  let n = col / (u.OH * u.OW);
  let at = ((n * u.O + b * u.Og + row) * u.OH) * u.OW + col % (u.OH * u.OW);
${epilogueSteps(epilogue, 'b * u.Og + row', 'at')}
  y[at] = F(r);
}`,
      kDigits: ['u.KH', 'u.KW'],
      aContiguousK: true,
      bContiguousK: false,
      // Filter rows are K long: vec4s along k when K is a multiple of 4.
      a: { input: 1, vec4: (d.cg * d.kh * d.kw) % 4 === 0 ? LOAD_A4 : null },
      b: { input: 0, vec4: null },
    },
    ctx.inputs.map((i) => i.dataId),
    ctx.outputs[0]!,
  );
}

type ConvEpilogue = Omit<FusedConvAttrs, keyof ConvAttrs>;

const NO_EPILOGUE: ConvEpilogue = { hasBias: false, hasResidual: false, activation: 'none' };

const epilogueKey = (name: string, e: ConvEpilogue) =>
  [name, e.hasBias && 'bias', e.hasResidual && 'residual', e.activation !== 'none' && e.activation].filter(Boolean).join('+');

/** The store's own inputs: the bias, then the residual, by the flags. */
const epilogueInputs = (e: ConvEpilogue) => [...(e.hasBias ? ['bias'] : []), ...(e.hasResidual ? ['residual'] : [])].map(floatBinding);

/** From the sum `v` to `r`: + bias[`bias`], + residual[`at`], then ReLU (WGSL index expressions). */
function epilogueSteps(e: ConvEpilogue, bias: string, at: string): string {
  return [
    '  var r = v;',
    e.hasBias ? `  r = r + f32(bias[${bias}]);` : '',
    e.hasResidual ? `  r = r + f32(residual[${at}]);` : '',
    e.activation === 'relu' ? '  r = select(r, 0.0, r < 0.0);' : '',
  ]
    .filter(Boolean)
    .join('\n');
}

/**
 * A 1×1 convolution with unit stride, no padding and one group is, image by image, the matmul
 * w[O, C] · x[n][C, H·W], its output already in NCHW order; its input gradient is wᵀ · dy[n]
 * (`inputGradient`). Where the vec4 matmul kernel takes it (C, O as the case may be, and H·W
 * multiples of 4, on tiles with vec4 loads), it runs there: 16-byte loads of both operands and
 * no patch gather (half a ResNet-50's multiply-adds are in such convolutions). That kernel has
 * no split-K, so a small output (batch 1: 4 tiles of a 1024→256 conv at 14²) stays on the conv
 * GEMM, which splits; the line is half the tiles' split-K target (unmeasured on a GPU).
 */
function pointwiseShape(ctx: Ctx<ConvAttrs>, d: Dims, inputGradient = false): Vec4MatmulShape | null {
  const { stride, padding, groups } = ctx.attrs;
  if (d.kh !== 1 || d.kw !== 1 || groups !== 1 || !ctx.backend.tiles.vec4) return null;
  if (stride[0] !== 1 || stride[1] !== 1 || padding[0] !== 0 || padding[1] !== 0) return null;
  const [m, k] = inputGradient ? [d.c, d.o] : [d.o, d.c];
  const s = { batch: d.n, m, n: d.oh * d.ow, k, transposeA: inputGradient, transposeB: false, sharedA: true };
  if (!vec4Applies(s)) return null;
  const config = ctx.backend.tiles;
  return new GemmShape(config, { m, n: s.n, staged: true }).tiles(m, s.n, s.batch) >= config.targetWorkgroups / 2 ? s : null;
}

/** Runs `pointwiseShape`'s matmul: inputs the image (x or dy), the filter, then the epilogue's. */
function pointwiseConv(ctx: Ctx<ConvAttrs>, s: Vec4MatmulShape, e: ConvEpilogue = NO_EPILOGUE): GPUData[] {
  const y = ctx.backend.alloc(s.batch * s.m * s.n, 'float32');
  if (y.size === 0) return [y];
  const [x, w, ...extra] = ctx.inputs.map((i) => i.dataId);
  const plain = !e.hasBias && !e.hasResidual && e.activation === 'none';
  const epilogue: GemmEpilogue = {
    key: epilogueKey('conv1x1', e),
    inputs: epilogueInputs(e),
    outputs: [floatBinding('y')],
    uniforms: () => {},
    helpers: '',
    body: () => `  let v = gv;\n${epilogueSteps(e, 'row', 'i')}\n  y[i] = F(r);`,
  };
  const fused = plain ? undefined : { epilogue, store: epilogueStore(epilogue, '(b * u.M + row) * u.N + col') };
  ctx.backend.run(vec4MatmulProgram(s, ctx.backend.tiles, fused), [w!, x!, ...extra], [y]);
  return [y];
}

const conv2d: KernelImpl = (ctx: Ctx<ConvAttrs>) => convForward(ctx, NO_EPILOGUE);

/** act(conv2d(x, w) + bias + residual) in one GEMM: inputs x, w, then bias and residual by the flags. */
const fusedConv2d: KernelImpl = (ctx: Ctx<FusedConvAttrs>) => convForward(ctx, ctx.attrs);

/**
 * Input gradient, per group b: dx[c, (n,h,w)] = Σ_(o,kh,kw) w[o, c, kh, kw] · dy[n, o, oh, ow]
 * where h = oh·s − p + kh·d, i.e. oh = (h + p − kh·d) / s when that divides exactly.
 */
const conv2dBackpropInput: KernelImpl = (ctx: Ctx<ConvAttrs & { inputShape: number[] }>) => {
  const [dy, w] = ctx.inputs as [Ctx['inputs'][0], Ctx['inputs'][0]];
  const d = convDims(ctx.attrs.inputShape, w.shape, dy.shape, ctx.attrs);
  const pointwise = pointwiseShape(ctx, d, true);
  if (pointwise) return pointwiseConv(ctx, pointwise);
  return runGemm(
    ctx.backend,
    {
      key: 'conv2dBackpropInput',
      inputs: [floatBinding('dy'), floatBinding('w')],
      outputs: [floatBinding('dx')],
      m: d.cg,
      n: d.n * d.h * d.wd,
      k: d.og * d.kh * d.kw,
      batch: ctx.attrs.groups,
      uniforms: convUniforms(d, ctx.attrs),
      loaders: `
fn rowA(b: i32, row: i32) -> vec4<i32> { return vec4<i32>((b * u.Og * u.Cg + row) * u.KH * u.KW, 0, 0, 0); }
fn colB(b: i32, col: i32) -> vec4<i32> {
  let n = col / (u.H * u.W);
  let p = col % (u.H * u.W);
  return vec4<i32>(n * u.O * u.OH * u.OW, p / u.W, p % u.W, 0);
}
fn aAt(r: vec4<i32>, k: vec4<i32>) -> i32 { return r.x + (k.y * u.Cg * u.KH + k.z) * u.KW + k.w; }
${LOAD_A}
fn loadB(b: i32, k: vec4<i32>, c: vec4<i32>) -> f32 {
  var oh = c.y + u.ph - k.z * u.dh;
  var ow = c.z + u.pw - k.w * u.dw;
  if (oh < 0 || ow < 0) { return 0.0; }
  // Strides are uniform: unit strides (the common case) skip the divisions.
  if (u.sh != 1) {
    if (oh % u.sh != 0) { return 0.0; }
    oh = oh / u.sh;
  }
  if (u.sw != 1) {
    if (ow % u.sw != 0) { return 0.0; }
    ow = ow / u.sw;
  }
  if (oh >= u.OH || ow >= u.OW) { return 0.0; }
  return readB(c.x + ((b * u.Og + k.y) * u.OH + oh) * u.OW + ow);
}`,
      store: `
fn store(b: i32, row: i32, col: i32, v: f32) {
  let n = col / (u.H * u.W);
  dx[(n * u.C + b * u.Cg + row) * u.H * u.W + col % (u.H * u.W)] = F(v);
}`,
      kDigits: ['u.KH', 'u.KW'],
      aContiguousK: true,
      bContiguousK: false,
      // k = (o, kh, kw) steps over the filter's input channels: no contiguous run of 4.
      a: { input: 1, vec4: null },
      b: { input: 0, vec4: null },
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
      inputs: [floatBinding('x'), floatBinding('dy')],
      outputs: [floatBinding('dw')],
      m: d.og,
      n: d.cg * d.kh * d.kw,
      k: d.n * d.oh * d.ow,
      batch: ctx.attrs.groups,
      uniforms: convUniforms(d, ctx.attrs),
      loaders: `${WINDOW}
fn rowA(b: i32, row: i32) -> vec4<i32> { return vec4<i32>((b * u.Og + row) * u.OH * u.OW, 0, 0, 0); }
fn colB(b: i32, col: i32) -> vec4<i32> { return patch_at(b, col); }
fn aAt(r: vec4<i32>, k: vec4<i32>) -> i32 { return r.x + (k.y * u.O * u.OH + k.z) * u.OW + k.w; }
${LOAD_A}
fn loadB(b: i32, k: vec4<i32>, c: vec4<i32>) -> f32 {
  return image_at(k.y * u.C * u.H * u.W + c.y, k.z * u.sh - u.ph + c.z, k.w * u.sw - u.pw + c.w);
}`,
      store: `
fn store(b: i32, row: i32, col: i32, v: f32) { dw[(b * u.Og + row) * u.N + col] = F(v); }`,
      kDigits: ['u.OH', 'u.OW'],
      aContiguousK: true,
      bContiguousK: true,
      // k = (n, oh, ow): runs of 4 stay within one image's dy when OH·OW is a multiple of 4.
      a: { input: 1, vec4: (d.oh * d.ow) % 4 === 0 ? LOAD_A4 : null },
      b: { input: 0, vec4: null },
    },
    ctx.inputs.map((i) => i.dataId),
    ctx.outputs[0]!,
  );
};

export const convKernels: Record<string, KernelImpl> = { conv2d, fusedConv2d, conv2dBackpropInput, conv2dBackpropFilter };
