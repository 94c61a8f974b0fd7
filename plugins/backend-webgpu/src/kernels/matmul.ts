import type { KernelImpl } from '@fovea/core';
import type { GPUData } from '../gpu-data.js';
import type { WebGPUBackend } from '../webgpu-backend.js';
import { floatBinding } from '../wgsl.js';
import { epilogueStore, recordGemm, type GemmEpilogue } from './gemm.js';
import { vec4Applies, vec4MatmulProgram, type Vec4MatmulShape } from './matmul-vec4.js';
import type { Ctx } from './run.js';

interface MatmulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/**
 * a [B,M,K] (or [B,K,M]) × b [B,K,N] (or [B,N,K]) → [B,M,N]; vec4 loads where aligned. With
 * fusion on, the GEMM waits like an elementwise op: the elementwise ops that read its result
 * (a bias add, an activation) may then run in its store (see fusion.ts).
 */
const batchMatmul: KernelImpl = (ctx: Ctx<MatmulAttrs>) => {
  const { transposeA, transposeB } = ctx.attrs;
  const [batch, m, n] = ctx.outputs[0]!.shape as [number, number, number];
  const aShape = ctx.inputs[0]!.shape;
  const s = { batch, m, n, k: transposeA ? aShape[1]! : aShape[2]!, transposeA, transposeB };
  const inputs = ctx.inputs.map((i) => i.dataId);
  return [ctx.backend.gemm(batch * m * n, inputs, (outputs, extra) => recordMatmul(ctx.backend, s, [...inputs, ...(extra?.inputs ?? [])], outputs, extra?.epilogue))];
};

/** Records the product into `outputs`: its result, or what `epilogue` makes of it (reading inputs after a and b). */
function recordMatmul(backend: WebGPUBackend, s: Vec4MatmulShape, inputs: readonly GPUData[], outputs: readonly GPUData[], epilogue?: GemmEpilogue): void {
  const index = '(b * u.M + row) * u.N + col';
  const store = epilogue ? epilogueStore(epilogue, index) : `\nfn store(b: i32, row: i32, col: i32, v: f32) { y[${index}] = F(v); }`;
  if (backend.tiles.vec4 && vec4Applies(s)) {
    backend.run(vec4MatmulProgram(s, backend.tiles, epilogue && { epilogue, store }), inputs, outputs);
    return;
  }
  const [ta, tb] = [s.transposeA, s.transposeB];
  // Contexts: a row's or column's base offset, and k scaled by each stride it may need.
  const rowA = ta ? 'b * u.M * u.K + row' : 'b * u.M * u.K + row * u.K';
  const colB = tb ? 'b * u.K * u.N + col * u.K' : 'b * u.K * u.N + col';
  recordGemm(
    backend,
    {
      key: `matmul:${ta ? 'T' : 'N'}${tb ? 'T' : 'N'}${epilogue ? `+${epilogue.key}` : ''}`,
      inputs: [floatBinding('a'), floatBinding('bm'), ...(epilogue?.inputs ?? [])],
      storeInputs: epilogue?.inputs.length ?? 0,
      outputs: epilogue?.outputs ?? [floatBinding('y')],
      m: s.m,
      n: s.n,
      k: s.k,
      batch: s.batch,
      uniforms: epilogue?.uniforms,
      loaders: `
fn rowA(b: i32, row: i32) -> vec4<i32> { return vec4<i32>(${rowA}, 0, 0, 0); }
fn colB(b: i32, col: i32) -> vec4<i32> { return vec4<i32>(${colB}, 0, 0, 0); }
fn kAt(b: i32, k: i32) -> vec4<i32> { return vec4<i32>(k, k * u.M, k * u.N, 0); }
fn loadA(b: i32, r: vec4<i32>, k: vec4<i32>) -> f32 { return readA(r.x + k.${ta ? 'y' : 'x'}); }
fn loadB(b: i32, k: vec4<i32>, c: vec4<i32>) -> f32 { return readB(c.x + k.${tb ? 'x' : 'z'}); }`,
      store,
      aContiguousK: !ta,
      bContiguousK: tb,
      // Rows of A (columns of Bᵀ) are K long: vec4s along k when K is a multiple of 4.
      a: { input: 0, vec4: !ta && s.k % 4 === 0 ? 'fn loadA4(b: i32, r: vec4<i32>, k: vec4<i32>) -> vec4<f32> { return readA4(r.x + k.x); }' : null },
      b: { input: 1, vec4: tb && s.k % 4 === 0 ? 'fn loadB4(b: i32, k: vec4<i32>, c: vec4<i32>) -> vec4<f32> { return readB4(c.x + k.x); }' : null },
    },
    inputs,
    outputs,
  );
}

export const matmulKernels: Record<string, KernelImpl> = { batchMatmul };
