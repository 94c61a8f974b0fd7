import type { KernelContext, TensorSpec } from '@fovea/core';
import type { GPUData } from '../gpu-data.js';
import type { Program } from '../program.js';
import { sizeOfShape } from '../shape-utils.js';
import type { WebGPUBackend } from '../webgpu-backend.js';

export type Ctx<A = Record<string, unknown>> = KernelContext<A, WebGPUBackend>;

/** Allocates the outputs, records the programs (none for empty outputs), returns the outputs. */
export function runPrograms(backend: WebGPUBackend, programs: readonly Program[], inputs: readonly GPUData[], outputs: readonly TensorSpec[]): GPUData[] {
  const out = outputs.map((o) => backend.alloc(sizeOfShape(o.shape)));
  if (out.every((o) => o.size > 0)) for (const p of programs) backend.run(p, inputs, out);
  return out;
}

/** The common case: one program over the kernel's own inputs and outputs. */
export function runOne(ctx: Ctx<any>, program: Program): GPUData[] {
  return runPrograms(ctx.backend, [program], ctx.inputs.map((i) => i.dataId), ctx.outputs);
}
