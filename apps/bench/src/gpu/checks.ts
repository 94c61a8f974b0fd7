import type { GpuWorkload } from './workloads.js';

/** One comparison of fovea-webgpu's output with a peer's on the same weights and input. */
export interface Check {
  workload: string;
  peer: string;
  /** max |fovea − peer| / max |peer|. */
  error: number;
  tolerance: number;
  ok: boolean;
}

/** Outputs by row name, then workload id. */
export type Outputs = Map<string, Map<string, Float32Array>>;

// fp32 kernels summing in different orders agree to ~1e-5 of the largest value (logits; a
// training row's loss and gradients, measured so against PyTorch on the CPU); a wrong kernel is
// off by far more. (Losses after an Adam step are no check: its first step moves every weight by
// ±lr, whichever way a gradient's rounding tips it.)
const TOLERANCE = 1e-3;

function relativeError(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return Number.isFinite(diff) ? diff / (scale || 1) : Infinity;
}

/** fovea-webgpu's outputs (logits; a training step's loss and gradients) against every peer's. */
export function compareOutputs(outputs: Outputs, workloads: readonly GpuWorkload[], subject = 'fovea-webgpu'): Check[] {
  const mine = outputs.get(subject);
  if (!mine) return [];
  return workloads.flatMap((w) => {
    const own = mine.get(w.id);
    if (!own || w.kind === 'gemm') return [];
    return [...outputs].flatMap(([peer, theirs]) => {
      const other = theirs.get(w.id);
      if (peer === subject || !other) return [];
      const error = relativeError(own, other);
      return [{ workload: w.title, peer, error, tolerance: TOLERANCE, ok: error <= TOLERANCE }];
    });
  });
}

export function formatChecks(checks: readonly Check[]): string[] {
  if (!checks.length) return ['- no outputs to compare (fovea-webgpu or every peer missing)'];
  return checks.map((c) => `- ${c.ok ? 'ok' : 'MISMATCH'}: fovea-webgpu vs ${c.peer}, ${c.workload}: max error ${c.error.toExponential(2)} of the largest value (tolerance ${c.tolerance})`);
}
