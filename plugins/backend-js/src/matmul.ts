import type { JsKernel } from './backend.js';
import { gemm } from './gemm.js';

export interface BatchMatmulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/** a [B,M,K] (or [B,K,M]) times b [B,K,N] (or [B,N,K]): one GEMM per batch entry. */
const batchMatmul: JsKernel<BatchMatmulAttrs> = ({ backend, inputs, attrs, outputs }) => {
  const [a, b] = inputs;
  const [batch, m, n] = outputs[0]!.shape as [number, number, number];
  const k = attrs.transposeA ? a.shape[1]! : a.shape[2]!;
  const out = new Float32Array(batch * m * n);
  const av = a.dataId.values as Float32Array;
  const bv = b.dataId.values as Float32Array;
  for (let i = 0; i < batch; i++) {
    gemm(
      m,
      n,
      k,
      { data: av, offset: i * m * k, stride: attrs.transposeA ? m : k, transpose: attrs.transposeA },
      { data: bv, offset: i * k * n, stride: attrs.transposeB ? k : n, transpose: attrs.transposeB },
      { data: out, offset: i * m * n, stride: n },
    );
  }
  return [backend.adopt(out)];
};

export const matmulKernels: Record<string, JsKernel> = { batchMatmul };
