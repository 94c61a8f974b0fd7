import type { TensorInfo } from '@fovea/core';
import type { WasmData, WasmKernel } from '../backend.js';

interface MatmulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/** c[b] = op(a[b]) · op(b[b]) on the packed SIMD GEMM (threaded when the pool runs). */
const batchMatmul: WasmKernel<MatmulAttrs> = ({ backend, inputs, attrs, outputs }) => {
  const [a, b] = inputs as [TensorInfo<WasmData>, TensorInfo<WasmData>];
  const [batch, m, n] = outputs[0]!.shape as [number, number, number];
  const k = attrs.transposeA ? a.shape[1]! : a.shape[2]!;
  return backend.run('batchMatmul', outputs, ([c]) =>
    backend.exports.fv_batch_matmul(a.dataId.ptr, b.dataId.ptr, c!.ptr, batch, m, n, k, attrs.transposeA ? 1 : 0, attrs.transposeB ? 1 : 0),
  );
};

export const linalgKernels: Record<string, WasmKernel> = { batchMatmul };
