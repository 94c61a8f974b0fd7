/**
 * `--profile`: where fovea-webgpu's GPU time goes. For each workload, after warm-up steps (two,
 * and for at least `warmupMs`, as the bench: run cold on an H200, GEMM 4096³ took 16 ms on the
 * GPU in one process and 4 ms in another), one step runs on a backend that times every dispatch
 * with timestamp queries, and the kernels (shader and grid) are listed by total GPU time, with
 * the rate of the GEMMs (matmuls and convolutions; a split-K GEMM's rate leaves out its finishing
 * pass, listed apart). Dispatches run in passes of their own there, and timestamps come in steps
 * of ~131 µs on that GPU, so read the shares, not the sums: a ResNet-50 b32 step profiled at
 * 44.9 ms of GPU time where the bench timed it at 12.8 ms.
 */
import * as fv from '@fovea/core';
import { WebGPUBackend, webgpuKernels, type KernelTime } from '@fovea/backend-webgpu';
import { warmUp } from '../harness.js';
import { prepare } from './rows/fovea.js';
import type { GpuWorkload } from './workloads.js';

const SHOWN = 15;

export interface WorkloadProfile {
  readonly workload: string;
  readonly wallMs: number;
  readonly gpuMs: number;
  readonly dispatches: number;
  readonly kernels: readonly KernelTime[];
}

export async function profileFovea(workloads: readonly GpuWorkload[], warmupMs: number): Promise<WorkloadProfile[]> {
  const name = 'webgpu-profile';
  const backend = await WebGPUBackend.create({ profile: true, name });
  fv.registerKernels(name, webgpuKernels);
  fv.registerBackend(name, () => backend, { priority: -1 });
  fv.setLogLevel('silent');
  await fv.setBackend(name);
  const profiles: WorkloadProfile[] = [];
  for (const w of workloads) {
    fv.manualSeed(0);
    const step = prepare(w);
    if (!('run' in step)) continue;
    await warmUp(step.run, 2, warmupMs);
    await backend.kernelTimes();
    const start = performance.now();
    await step.run();
    const wallMs = performance.now() - start;
    const kernels = await backend.kernelTimes();
    step.dispose?.();
    const profile = { workload: w.title, wallMs, gpuMs: sum(kernels.map((k) => k.ms)), dispatches: sum(kernels.map((k) => k.calls)), kernels };
    console.log(formatProfile(profile));
    profiles.push(profile);
  }
  return profiles;
}

function formatProfile(p: WorkloadProfile): string {
  const rate = (k: KernelTime) => (k.flops && k.ms > 0 ? (k.flops / k.ms / 1e6).toFixed(1) : '');
  const rows = p.kernels.slice(0, SHOWN).map((k) => `| ${k.ms.toFixed(3)} | ${((100 * k.ms) / p.gpuMs).toFixed(1)} % | ${k.calls} | ${rate(k)} | \`${k.kernel}\` |`);
  return [
    `\n${p.workload}: one step ${p.wallMs.toFixed(1)} ms wall, ${p.gpuMs.toFixed(1)} ms in ${p.dispatches} dispatches on the GPU; the ${Math.min(SHOWN, p.kernels.length)} longest of ${p.kernels.length} kernels:`,
    '| GPU ms | share | launches | GFLOP/s | kernel [grid] |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
