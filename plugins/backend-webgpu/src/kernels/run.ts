import type { KernelContext } from '@fovea/core';
import type { GPUData } from '../gpu-data.js';
import type { Program } from '../program.js';
import { sizeOfShape } from '../shape-utils.js';
import type { WebGPUBackend } from '../webgpu-backend.js';

export type Ctx<A = Record<string, unknown>> = KernelContext<A, WebGPUBackend>;

/**
 * The common kernel body: allocates the outputs and records one program over the kernel's own
 * inputs and outputs (nothing to record when an output is empty); float32 outputs as f32 under
 * f16 storage if `full`.
 */
export function runOne(ctx: Ctx<any>, program: Program, full = false): GPUData[] {
  const out = ctx.outputs.map((o) => ctx.backend.alloc(sizeOfShape(o.shape), o.dtype, full));
  if (out.every((o) => o.size > 0)) ctx.backend.run(program, ctx.inputs.map((i) => i.dataId), out);
  return out;
}
