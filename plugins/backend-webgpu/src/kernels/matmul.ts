import type { KernelImpl } from '@fovea/core';
import { floatBinding } from '../wgsl.js';
import { runGemm } from './gemm.js';
import { vec4Applies, vec4MatmulProgram } from './matmul-vec4.js';
import { runOne, type Ctx } from './run.js';

interface MatmulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/** a [B,M,K] (or [B,K,M]) × b [B,K,N] (or [B,N,K]) → [B,M,N]; vec4 loads where aligned. */
const batchMatmul: KernelImpl = (ctx: Ctx<MatmulAttrs>) => {
  const { transposeA: ta, transposeB: tb } = ctx.attrs;
  const [batch, m, n] = ctx.outputs[0]!.shape as [number, number, number];
  const aShape = ctx.inputs[0]!.shape;
  const k = ta ? aShape[1]! : aShape[2]!;
  const shape = { batch, m, n, k, transposeA: ta, transposeB: tb };
  if (ctx.backend.tiles.vec4 && vec4Applies(shape)) return runOne(ctx, vec4MatmulProgram(shape, ctx.backend.tiles));
  // Contexts: a row's or column's base offset, and k scaled by each stride it may need.
  const rowA = ta ? 'b * u.M * u.K + row' : 'b * u.M * u.K + row * u.K';
  const colB = tb ? 'b * u.K * u.N + col * u.K' : 'b * u.K * u.N + col';
  return runGemm(
    ctx.backend,
    {
      key: `matmul:${ta ? 'T' : 'N'}${tb ? 'T' : 'N'}`,
      inputs: [floatBinding('a'), floatBinding('bm')],
      output: floatBinding('y'),
      m,
      n,
      k,
      batch,
      loaders: `
fn rowA(b: i32, row: i32) -> vec4<i32> { return vec4<i32>(${rowA}, 0, 0, 0); }
fn colB(b: i32, col: i32) -> vec4<i32> { return vec4<i32>(${colB}, 0, 0, 0); }
fn kAt(b: i32, k: i32) -> vec4<i32> { return vec4<i32>(k, k * u.M, k * u.N, 0); }
fn loadA(b: i32, r: vec4<i32>, k: vec4<i32>) -> f32 { return f32(a[r.x + k.${ta ? 'y' : 'x'}]); }
fn loadB(b: i32, k: vec4<i32>, c: vec4<i32>) -> f32 { return f32(bm[c.x + k.${tb ? 'x' : 'z'}]); }`,
      store: `
fn store(b: i32, row: i32, col: i32, v: f32) { y[b * u.M * u.N + row * u.N + col] = F(v); }`,
      aContiguousK: !ta,
      bContiguousK: tb,
    },
    ctx.inputs.map((i) => i.dataId),
    ctx.outputs[0]!,
  );
};

export const matmulKernels: Record<string, KernelImpl> = { batchMatmul };
