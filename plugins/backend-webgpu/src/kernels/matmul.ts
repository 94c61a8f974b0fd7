import type { KernelImpl } from '@fovea/core';
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
  if (vec4Applies(shape)) return runOne(ctx, vec4MatmulProgram(shape));
  const aAt = ta ? 'k * u.M + row' : 'row * u.K + k';
  const bAt = tb ? 'col * u.K + k' : 'k * u.N + col';
  return runGemm(
    ctx.backend,
    {
      key: `matmul:${ta ? 'T' : 'N'}${tb ? 'T' : 'N'}`,
      inputs: [
        { name: 'a', type: 'f32' },
        { name: 'bm', type: 'f32' },
      ],
      output: { name: 'y', type: 'f32' },
      m,
      n,
      k,
      batch,
      loaders: `
fn loadA(b: i32, row: i32, k: i32) -> f32 { return a[b * u.M * u.K + ${aAt}]; }
fn loadB(b: i32, k: i32, col: i32) -> f32 { return bm[b * u.K * u.N + ${bAt}]; }`,
      store: `
fn store(b: i32, row: i32, col: i32, v: f32) { y[b * u.M * u.N + row * u.N + col] = v; }`,
      aContiguousK: !ta,
      bContiguousK: tb,
    },
    ctx.inputs.map((i) => i.dataId),
    ctx.outputs[0]!,
  );
};

export const matmulKernels: Record<string, KernelImpl> = { batchMatmul };
