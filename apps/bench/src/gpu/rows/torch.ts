/** The ceiling: PyTorch's cuBLAS fp32 GEMM (TF32 off), through python/torch_bench.py. */
import { prepared, startTorch } from '../../rows/pytorch.js';
import type { TimingOptions } from '../../harness.js';
import type { Row } from '../../workloads.js';
import type { GpuWorkload } from '../workloads.js';

export async function torchCudaRow(root: string, timing: TimingOptions): Promise<Row<GpuWorkload>> {
  const name = 'pytorch-cuda';
  const started = await startTorch(root, 'cuda', 1);
  if ('skip' in started) return { name, threads: 'GPU', prepare: async () => ({ skip: started.skip }) };
  const { torch, ready } = started;
  return {
    name,
    threads: `GPU (${ready.device}, PyTorch ${ready.torch}, cuBLAS fp32, TF32 off)`,
    prepare: async (w) => {
      if (w.kind !== 'gemm') return { skip: 'the cuBLAS row is the GEMM ceiling only' };
      return prepared(await torch.measure({ id: w.id, kind: 'gemm', n: w.n }, timing));
    },
    close: () => torch.close(),
  };
}
